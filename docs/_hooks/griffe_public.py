"""Griffe extension: show numora's public surface as users meet it, not as the source spells it.

griffe reads the source statically, so it sees what only the code's authors should:

* a client's resources (``client.documents``) are methods decorated with ``cached_resource``,
  which griffe does not know is a property: they are turned into attributes typed with their
  resource class, linked to that resource's page;
* a default written as a private constant or sentinel (``timeout=DEFAULT_TIMEOUT``,
  ``timeout=_NOT_SET``) is replaced by what it means: the value itself, or ``...`` for
  "unchanged";
* an attribute whose value is built from private names (``webhooks.Event``, a discriminated
  union with ``_tag`` and ``_UNKNOWN``) shows no value: its docstring says what it is.

The docstrings' own references to private paths are made public by ``griffe_roles``.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import griffe

_PRIVATE_NAME = re.compile(r"(?<![\w.])_[A-Za-z]\w*")


def _runtime(path: str) -> Any:
    """The object at a dotted path, imported; ``None`` if there is none."""
    module_path, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ImportError:
        return None
    return getattr(module, name, None)


def readable_default(value: Any) -> str | None:
    """A default's value as users would write it, or ``None`` to leave it as written."""
    import httpx

    if isinstance(value, httpx.Timeout):
        phases = {value.read, value.write, value.pool}
        if len(phases) == 1:
            (seconds,) = phases
            return f"httpx.Timeout({seconds:g}, connect={value.connect:g})"
        return None
    if isinstance(value, (bool, int, float, str)) or value is None:
        return repr(value)
    return None


class PublicSurface(griffe.Extension):
    """Applies the rewrites above to every loaded ``numora`` object."""

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        if pkg.name != "numora":
            return
        stack = [pkg]
        while stack:
            obj = stack.pop()
            if obj.is_alias:
                continue
            if obj.is_class:
                self._resources_as_attributes(obj)
            if obj.is_function:
                self._defaults(obj)
            if obj.is_attribute and obj.value is not None and _PRIVATE_NAME.search(str(obj.value)):
                obj.value = None
            stack.extend(obj.members.values())

    @staticmethod
    def _resources_as_attributes(owner: Any) -> None:
        for name, member in list(owner.members.items()):
            if member.is_alias or not member.is_function:
                continue
            if not any(str(d.value).endswith("cached_resource") for d in member.decorators):
                continue
            returns = str(member.returns or "")
            resource = re.match(r"(\w+)", returns)
            annotation: Any = None
            if resource:
                target = member.parent.resolve(resource.group(1)) if member.parent else None
                annotation = griffe.ExprName(resource.group(1), parent=target.rpartition(".")[0])
            attribute = griffe.Attribute(
                name,
                lineno=member.lineno,
                endlineno=member.endlineno,
                annotation=annotation,
                docstring=member.docstring,
            )
            attribute.labels = {"property"}
            owner.set_member(name, attribute)

    @staticmethod
    def _defaults(function: Any) -> None:
        for parameter in function.parameters:
            written = str(parameter.default) if parameter.default is not None else ""
            if not re.fullmatch(r"_?[A-Z_][A-Z0-9_]*", written):
                continue  # only constants and sentinels are replaced
            if written.startswith("_"):
                parameter.default = "..."  # a sentinel: "leave it unchanged"
                continue
            try:
                path = function.resolve(written)
            except griffe.NameResolutionError:
                continue  # left as written
            shown = readable_default(_runtime(path))
            if shown is not None:
                parameter.default = shown
