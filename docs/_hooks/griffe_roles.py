"""Griffe extension: turn the reST roles in numora's docstrings into cross-references.

numora's docstrings are read by humans in editors and by ``help()``, so they use the
familiar ``:class:`~numora.ConflictError``` and ``:meth:`wait``` roles. mkdocstrings reads
them as Markdown, where those roles would show up as raw text. This extension rewrites each
role into an optional autorefs link: a link when the target is documented on the site, plain
code otherwise, and never a broken reference.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|meth|func|attr|data|mod|exc|obj):`(~?)([\w.]+)`")
_CALLABLE_ROLES = (":meth:", ":func:")
# reST introduces a literal block with "::"; in Markdown the indented block is enough.
_LONE_LITERAL_MARKER = re.compile(r"^[ \t]*::[ \t]*$", re.MULTILINE)
_TRAILING_LITERAL_MARKER = re.compile(r"(?<=\S)::[ \t]*$", re.MULTILINE)

# ".. deprecated:: text" (with indented continuation lines) becomes a Markdown admonition.
_DEPRECATED = re.compile(
    r"^(?P<indent>[ \t]*)\.\. deprecated::[ \t]*(?P<first>.*)\n"
    r"(?P<rest>(?:(?P=indent)[ \t]+\S.*\n?)*)",
    re.MULTILINE,
)


def _admonition(match: re.Match[str]) -> str:
    indent = match.group("indent")
    lines = [match.group("first").strip()] + [
        line.strip() for line in match.group("rest").splitlines() if line.strip()
    ]
    body = "".join(f"{indent}    {line}\n" for line in lines if line)
    return f'{indent}!!! warning "Deprecated"\n{body}'


def resolve(target: str, obj: Any) -> str:
    """The full path of ``target`` as seen from ``obj``'s docstring.

    A dotted path that starts at a top-level package is kept as written; a name such as
    ``wait`` or ``Documents.create`` is looked up in the enclosing class, then module.
    """
    first, _, rest = target.partition(".")
    scope = obj
    while scope is not None:
        members = getattr(scope, "members", None) or {}
        if first in members:
            found = str(members[first].path)
        elif first in (getattr(scope, "inherited_members", None) or {}):
            found = f"{scope.path}.{first}"  # documented on this class too
        else:
            scope = getattr(scope, "parent", None)
            continue
        return f"{found}.{rest}" if rest else found
    return target


def public_path(path: str) -> str:
    """The public name of a private path (``numora._models.NumoraModel`` →
    ``numora.NumoraModel``), or the path unchanged."""
    if "._" not in path:
        return path
    return _public_names().get(path, path)


@functools.cache
def _public_names() -> dict[str, str]:
    """Where each name ``numora`` exports is defined → its public path."""
    try:
        import numora
    except ImportError:  # the docs are built with numora installed; be harmless otherwise
        return {}
    names: dict[str, str] = {}
    for name in numora.__all__:
        value = getattr(numora, name)
        module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
        if isinstance(module, str) and isinstance(qualname, str):
            names[f"{module}.{qualname}"] = f"numora.{name}"
    return names


def rewrite(text: str, obj: Any) -> str:
    """Replace every role in ``text`` with an ``<autoref optional>`` element, and drop the
    ``::`` literal-block markers. A private path is shown and linked by its public name."""

    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1), public_path(match.group(2))
        label = target.rsplit(".", 1)[-1] if short else target
        if match.group(0).startswith(_CALLABLE_ROLES):
            label += "()"
        identifier = html.escape(public_path(resolve(target, obj)), quote=True)
        return f'<autoref identifier="{identifier}" optional><code>{label}</code></autoref>'

    text = _DEPRECATED.sub(_admonition, text)
    text = _LONE_LITERAL_MARKER.sub("", text)
    text = _TRAILING_LITERAL_MARKER.sub(":", text)
    return _ROLE.sub(replace, text)


class SphinxRoles(griffe.Extension):
    """Rewrites reST roles in every loaded docstring (see the module docstring)."""

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        # Once the whole tree is loaded, so that a role can point at a later member.
        stack = [pkg]
        while stack:
            obj = stack.pop()
            if obj.is_alias:
                continue  # its docstring is its target's, rewritten where it is defined
            docstring = obj.docstring
            if docstring is not None and ":" in docstring.value:
                docstring.value = rewrite(docstring.value, obj)
            stack.extend(obj.members.values())
