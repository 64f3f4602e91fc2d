"""mkdocs hook: the per-method API reference, generated from the running SDK and the spec.

A resource page (``docs/resources/*.md``) is prose plus directive lines; each directive is
replaced at build time:

``<!-- api: method documents.create -->``
    The method's entry: its signature as ``inspect.signature`` shows it (the per-call options
    spelled out), the HTTP route and the scope it needs, the docstring, a Parameters table
    (types as the source spells them, defaults, and the spec's description and limits for
    each), what it returns on each client, and what it raises: the spec's error responses
    for its route mapped to numora's exception classes, plus the local checks. The page's
    own example block follows the directive.
``<!-- api: summary documents -->``
    A table of one resource's methods: signature, HTTP route, return type.
``<!-- api: index -->``
    Every resource's summary (the overview page), then the argument types used above.

Sources of truth: the methods and their signatures come from a client (no request is made),
routes and error responses from ``spec/numora-v1.openapi.yaml`` by ``operationId``
(``documents.create``), the exception for each error code from ``numora._exceptions``, and the
scope each route needs from the sandbox's route table (the spec does not say). Nothing about a
method is written here by hand except what an SDK-only parameter means (``SDK_PARAMETERS``)
and which route a multi-step helper polls (``HELPER_OPERATIONS``).

Run it by hand to see a page's generated Markdown:
``python docs/_hooks/api_reference.py docs/resources/documents.md``.
"""

from __future__ import annotations

import ast
import html
import importlib
import inspect
import itertools
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

SPEC = Path(__file__).resolve().parents[2] / "spec" / "numora-v1.openapi.yaml"
DIRECTIVE = re.compile(r"^<!-- api: (?P<kind>method|summary|index) ?(?P<arg>[\w.]*) -->$", re.M)

# What each SDK-only parameter means (the spec describes the rest).
SDK_PARAMETERS: dict[str, str] = {
    "document": (
        "The document's id, or the `Document` itself: then its `updated_at` is sent as "
        "`expected_updated_at` (unless you pass one), so a version you did not see is "
        "never approved."
    ),
    "file": (
        "A local file to upload: a path, `bytes`, a binary file object, or "
        "`(filename, content[, content_type])`. Streamed as `multipart/form-data`; checked "
        "before sending against the 30 MB limit and the accepted formats (PDF, JPEG, PNG, "
        "TIFF, HEIC, HEIF, WEBP, GIF, BMP). Give exactly one of `file` and `file_url`."
    ),
    "metadata": (
        "Your own data, kept with the document: at most 50 keys of at most 40 characters; "
        "values are strings (at most 500 characters), numbers or booleans."
    ),
    "review_state": (
        "What the reviewer confirmed: a `ReviewState` or a mapping "
        '`{"version": 1, "confirmed_general_field_names": [...], '
        '"confirmed_line_item_ids": [...]}`.'
    ),
    "until": (
        "When to stop: a status, several statuses, or a function of the polled object "
        "returning `True` when done."
    ),
    "deadline": (
        "The overall limit of the polling, in seconds; past it, `WaitTimeoutError` "
        "(with the last object seen in `exc.last`)."
    ),
    "poll_interval": "Seconds before the second poll; grows 1.5x per poll up to 10 s.",
    "items": (
        "The documents to submit, read lazily (a generator of millions runs in flat memory): "
        "each a file path, an `https://` URL (sent as `file_url`), or a mapping of `create()` "
        "arguments. A file gets a content-derived `external_id` (`sha256:` and the hex "
        "digest of its bytes) unless you give one. On `AsyncNumora` it may be an async "
        "iterable. A bad entry becomes a failed outcome; it never stops the batch."
    ),
    "concurrency": (
        "At most this many documents in flight (1 to 100). On a 429 the batch sends fewer "
        "at a time and nothing until `retry-after` has passed, then widens again."
    ),
    "wait": (
        "Also wait for each document to leave extraction (`documents.wait()`, with "
        "`deadline` and `poll_interval`), within the same `concurrency`."
    ),
}

# Multi-step helpers have no route of their own: the operations they call.
HELPER_OPERATIONS: dict[str, tuple[str, ...]] = {
    "documents.wait": ("documents.retrieve",),
    "documents.create_and_wait": ("documents.create", "documents.retrieve"),
    "runs.wait": ("runs.retrieve",),
    "documents.create_many": ("documents.create", "documents.retrieve"),
}

# Exceptions any call can raise, whatever its route: named once under each entry.
ANY_CALL = ("APIConnectionError", "APITimeoutError", "APIResponseValidationError")

# An error code about one request field is listed only for routes that take the field (the
# spec's shared 422 response names both codes on every route).
FIELD_CODES = {"invalid_schema": "schema"}

_BUILTIN_NAMES = {"None", "str", "int", "float", "bool", "bytes", "object", "tuple", "list"}


# --- what a method is ---------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter as users see it."""

    name: str
    kind: inspect._ParameterKind
    spelled: str  # the annotation as the source writes it
    default: Any  # inspect.Parameter.empty when required
    module: str  # where the annotation's names are looked up
    is_option: bool = False  # a per-call option (RequestOptions)


@dataclass(frozen=True)
class Operation:
    """One route of the spec."""

    operation_id: str
    method: str
    path: str
    spec: Mapping[str, Any]

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Method:
    """One public method of a resource."""

    path: str  # "documents.create": the attribute path from the client
    anchor: str  # "numora.resources.documents.Documents.create"
    kind: str  # endpoint | paginated | helper | method
    params: list[Param]
    options: str | None  # "RequestOptions" / "BodyRequestOptions" when it takes them
    returns: Any  # on Numora
    returns_async: Any  # on AsyncNumora (awaited when is_coroutine)
    returns_raw: Any | None  # on with_raw_response (None: same as returns)
    is_coroutine: bool  # async methods are awaited
    doc: str
    value_errors: list[str] = field(default_factory=list)  # what it checks before sending
    operations: list[Operation] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)

    @property
    def resource(self) -> str:
        return self.path.rsplit(".", 1)[0]

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[1]


# --- loading the SDK ----------------------------------------------------------------------


def _resource_attributes(cls: type) -> Iterator[tuple[str, Any]]:
    """Public attributes of a resource class, base classes first, in source order."""
    seen: set[str] = set()
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if not name.startswith("_") and name not in seen:
                seen.add(name)
                yield name, value


def _is_subresource(value: Any) -> bool:
    from functools import cached_property

    return isinstance(value, (cached_property, property))


def _expand_options(hints: Mapping[str, Any], name: str) -> tuple[str, dict[str, str]]:
    """``**options: Unpack[X]`` → (``"X"``, {option name: spelled annotation})."""
    unpacked = typing.get_args(hints[name])[0]
    spelled: dict[str, str] = {}
    for key, value in unpacked.__annotations__.items():
        spelled[key] = value.__forward_arg__ if isinstance(value, typing.ForwardRef) else str(value)
    return unpacked.__name__, spelled


def _params(function: Callable[..., Any]) -> tuple[list[Param], str | None]:
    """The parameters users see: the function's own (without ``self``), then its options."""
    from typing_extensions import get_type_hints

    raw = function.__annotations__
    params: list[Param] = []
    options: str | None = None
    module = function.__module__
    for param in list(inspect.signature(function).parameters.values())[1:]:
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            hints = get_type_hints(function, include_extras=True)
            options, spelled = _expand_options(hints, param.name)
            unpacked = typing.get_args(hints[param.name])[0]
            for key, text in spelled.items():
                default = ... if key in ("timeout", "max_retries") else None
                params.append(
                    Param(
                        key,
                        inspect.Parameter.KEYWORD_ONLY,
                        text,
                        default,
                        unpacked.__module__,
                        is_option=True,
                    )
                )
            continue
        spelled_text = raw.get(param.name, "Any")
        params.append(Param(param.name, param.kind, str(spelled_text), param.default, module))
    return params, options


def _overload_returns(function: Callable[..., Any], client: str) -> Any:
    """A plain method's return type on one client, from its ``@overload`` on ``self``."""
    get_overloads = getattr(typing, "get_overloads", None)
    for overload in get_overloads(function) if get_overloads else ():
        self_type = str(overload.__annotations__.get("self", ""))
        if re.search(rf"\b{client}\b", self_type):
            return overload.__annotations__.get("return")
    return function.__annotations__.get("return")


@cache
def load() -> list[Method]:
    """Every public method of every resource of the client, in source order."""
    import numora
    from numora._client import _Resources
    from numora._resource import _ClientMethod

    sync = numora.Numora(api_key="sk_test_docs", base_url="http://127.0.0.1:9")
    asyn = numora.AsyncNumora(api_key="sk_test_docs", base_url="http://127.0.0.1:9")
    methods: list[Method] = []

    def walk(path: str, sync_res: Any, async_res: Any, raw_res: Any) -> None:
        subresources: list[str] = []
        for name, value in _resource_attributes(type(sync_res)):
            if _is_subresource(value):
                subresources.append(name)
                continue
            if isinstance(value, _ClientMethod):
                function = value.build
                kind = type(value).__name__
            elif inspect.isfunction(value):
                function, kind = value, "method"
            else:
                continue
            bound_sync = getattr(sync_res, name)
            bound_async = getattr(async_res, name)
            params, options = _params(function)
            if kind == "method":
                returns = _overload_returns(function, "Numora")
                returns_async = _overload_returns(function, "AsyncNumora")
                returns_raw = None
            else:
                returns = inspect.signature(bound_sync).return_annotation
                returns_async = inspect.signature(bound_async).return_annotation
                returns_raw = inspect.signature(getattr(raw_res, name)).return_annotation
            owner = type(sync_res)
            methods.append(
                Method(
                    path=f"{path}.{name}",
                    anchor=f"{owner.__module__}.{owner.__name__}.{name}",
                    kind=kind,
                    params=params,
                    options=options,
                    returns=returns,
                    returns_async=returns_async,
                    returns_raw=None if kind == "helper" else returns_raw,
                    is_coroutine=inspect.iscoroutinefunction(bound_async),
                    doc=inspect.cleandoc(function.__doc__ or ""),
                    value_errors=value_errors(function),
                )
            )
        for name in subresources:
            walk(
                f"{path}.{name}",
                getattr(sync_res, name),
                getattr(async_res, name),
                getattr(raw_res, name),
            )

    for name, value in vars(_Resources).items():
        if not name.startswith("_") and _is_subresource(value):
            walk(
                name,
                getattr(sync, name),
                getattr(asyn, name),
                getattr(sync.with_raw_response, name),
            )
    sync.close()
    _attach_routes(methods)
    return methods


# --- the spec -----------------------------------------------------------------------------


@cache
def spec() -> Mapping[str, Any]:
    """The OpenAPI document (``SPEC``)."""
    with SPEC.open(encoding="utf-8") as fh:
        loaded = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    if not isinstance(loaded, Mapping):
        raise ValueError(f"{SPEC} is not an OpenAPI document")
    return loaded


def resolve(node: Any) -> Any:
    """Follow ``$ref`` until a node that is not a reference."""
    document = spec()
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = document
        for token in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@cache
def operations() -> dict[str, Operation]:
    """Every operation of the spec by ``operationId``."""
    found: dict[str, Operation] = {}
    for path, item in (spec().get("paths") or {}).items():
        for method, op in item.items():
            if isinstance(op, Mapping) and "operationId" in op:
                found[op["operationId"]] = Operation(op["operationId"], method.upper(), path, op)
    return found


@cache
def scopes() -> dict[str, str]:
    """The scope each route needs, as the sandbox enforces it (``"GET /v1/…"`` → scope)."""
    from numora.testing import _routes

    return {f"{r.method} {r.template}": r.scope for r in _routes.ROUTES}


def _attach_routes(methods: list[Method]) -> None:
    ops = operations()
    for method in methods:
        ids = HELPER_OPERATIONS.get(method.path, (method.path,))
        method.operations = [ops[i] for i in ids if i in ops]
        method.scopes = list(
            dict.fromkeys(s for op in method.operations if (s := scopes().get(op.route)))
        )


def spec_parameter(operation: Operation, name: str) -> Mapping[str, Any] | None:
    """The spec's description of a parameter or body field called ``name``, if any."""
    for reference in operation.spec.get("parameters") or ():
        param = resolve(reference)
        if param.get("name") == name and param.get("in") != "header":
            schema = dict(resolve(param.get("schema") or {}))
            return {**schema, "description": param.get("description"), "in": param["in"]}
    body = operation.spec.get("requestBody") or {}
    for content_type in ("application/json", "multipart/form-data"):
        schema = resolve(((body.get("content") or {}).get(content_type) or {}).get("schema"))
        if not isinstance(schema, Mapping):
            continue
        prop = (schema.get("properties") or {}).get(name)
        if prop is not None:
            target = resolve(prop)
            description = prop.get("description") or target.get("description")
            return {**target, "description": description, "in": "body"}
    return None


# --- naming types -------------------------------------------------------------------------


@cache
def public_paths() -> dict[int, str]:
    """``id(object)`` → its public dotted path (``numora.types.Document``)."""
    import numora
    import numora.types

    paths: dict[int, str] = {}
    for name in numora.types.__all__:
        paths[id(getattr(numora.types, name))] = f"numora.types.{name}"
    for name in numora.__all__:
        value = getattr(numora, name)
        if isinstance(value, type):
            paths[id(value)] = f"numora.{name}"
    return paths


@dataclass(frozen=True)
class Alias:
    """A private type alias an annotation uses (``FileInput``), explained on the index page."""

    name: str
    expansion: str
    note: str

    @property
    def anchor(self) -> str:
        return f"type-{self.name.lower()}"


def _attribute_docstring(name: str, module: str) -> str:
    """The string literal right after ``name = ...`` where the alias is assigned: in
    ``module`` if it is there, else in the numora module that assigns it."""
    here = sys.modules[module]
    others = [m for m in list(sys.modules.values()) if m and m.__name__.startswith("numora")]
    for candidate in [here, *others]:
        try:
            tree = ast.parse(inspect.getsource(candidate))
        except (OSError, TypeError):
            continue
        for node, after in itertools.pairwise(tree.body):
            targets = node.targets if isinstance(node, ast.Assign) else []
            assigns = any(isinstance(t, ast.Name) and t.id == name for t in targets)
            if assigns and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                return " ".join(str(after.value.value).split())
    return ""


@cache
def aliases() -> dict[str, Alias]:
    """The private type aliases the methods' own parameters use, by name."""
    found: dict[str, Alias] = {}
    for method in load():
        for param in method.params:
            if param.is_option:
                continue
            for name in re.findall(r"[A-Za-z_][\w.]*", param.spelled):
                value, known = _lookup(name, param.module)
                private = known and public_paths().get(id(value)) is None
                if private and _is_alias(value) and name not in found:
                    note = _attribute_docstring(name, param.module)
                    found[name] = Alias(name, plain(value), note)
    return found


def _lookup(name: str, module: str) -> tuple[Any, bool]:
    """The object ``name`` means in ``module`` (following dots), and whether it was found."""
    namespace = vars(importlib.import_module(module))
    head, *rest = name.split(".")
    if head in namespace:
        value = namespace[head]
    elif head in vars(typing):
        value = vars(typing)[head]
    else:
        return None, False
    for part in rest:
        if not hasattr(value, part):
            return None, False
        value = getattr(value, part)
    return value, True


def link_names(spelled: str, module: str) -> str:
    """An annotation as HTML: public classes link to their entry, private aliases to the
    argument types on the index page, everything else is plain text."""
    out: list[str] = []
    position = 0
    for match in re.finditer(r"[A-Za-z_][\w.]*", spelled):
        out.append(html.escape(spelled[position : match.start()]))
        name = match.group(0)
        out.append(_linked_name(name, module))
        position = match.end()
    out.append(html.escape(spelled[position:]))
    return "".join(out).replace("|", "&#124;")


def _linked_name(name: str, module: str) -> str:
    if name in _BUILTIN_NAMES:
        return name
    value, found = _lookup(name, module)
    if not found:
        return html.escape(name)
    path = public_paths().get(id(value))
    short = readable(name, module)
    if path is not None:
        return f'<autoref identifier="{path}" optional>{short}</autoref>'
    alias = aliases().get(name)
    if alias is not None:
        return f'<autoref identifier="{alias.anchor}">{short}</autoref>'
    return html.escape(short)


def readable(name: str, module: str) -> str:
    """How to show a name an annotation uses: a class by its own name (``MappingABC`` is
    ``Mapping``), anything else as written, without its module."""
    value, found = _lookup(name, module)
    if found and isinstance(value, type):
        return value.__name__
    return name.rsplit(".", 1)[-1]


def spelled(param: Param) -> str:
    """The parameter's annotation as written, with each name shown readably."""
    return re.sub(
        r"[A-Za-z_][\w.]*",
        lambda m: (
            m.group(0) if m.group(0) in _BUILTIN_NAMES else readable(m.group(0), param.module)
        ),
        param.spelled,
    )


def _is_alias(value: Any) -> bool:
    """Whether a name stands for a union or a generic (``FileInput``), not a class."""
    return not isinstance(value, type) and typing.get_origin(value) is not None


def _tokens(tp: Any) -> Iterator[tuple[str, str | None]]:
    """A runtime annotation as (text, public path or None) pieces."""
    if tp is None or tp is type(None):
        yield "None", None
        return
    if tp is Ellipsis:
        yield "...", None
        return
    if isinstance(tp, str):
        yield tp, None
        return
    if isinstance(tp, typing.ForwardRef):
        yield tp.__forward_arg__, None
        return
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        for index, arg in enumerate(args):
            if index:
                yield " | ", None
            yield from _tokens(arg)
        return
    if origin is typing.Literal:
        yield "Literal[" + ", ".join(repr(a) for a in args) + "]", None
        return
    if origin is not None:
        yield from _tokens(origin)
        yield "[", None
        for index, arg in enumerate(args):
            if index:
                yield ", ", None
            if isinstance(arg, list):
                yield "[", None
                for position, inner in enumerate(arg):
                    if position:
                        yield ", ", None
                    yield from _tokens(inner)
                yield "]", None
            else:
                yield from _tokens(arg)
        yield "]", None
        return
    name = getattr(tp, "__name__", None) or repr(tp)
    yield name, public_paths().get(id(tp))


def plain(tp: Any) -> str:
    """A runtime annotation as text (``SyncPage[Document]``)."""
    return "".join(text for text, _ in _tokens(tp))


def linked(tp: Any) -> str:
    """A runtime annotation as HTML with each public class linked."""
    out = []
    for text, path in _tokens(tp):
        escaped = html.escape(text)
        out.append(
            f'<autoref identifier="{path}" optional>{escaped}</autoref>' if path else escaped
        )
    return "<code>" + "".join(out).replace("|", "&#124;") + "</code>"


# --- rendering ----------------------------------------------------------------------------


def _default(param: Param) -> str:
    if param.default is inspect.Parameter.empty:
        return ""
    if param.default is Ellipsis:
        return "..."
    return repr(param.default)


def signature(method: Method) -> str:
    """The call as a Python block: one parameter a line, options under a comment."""
    lines = [f"client.{method.path}("]
    star_done = False
    options_started = False
    for param in method.params:
        if param.kind is inspect.Parameter.KEYWORD_ONLY and not star_done:
            lines.append("    *,")
            star_done = True
        if param.is_option and not options_started:
            options_started = True
            lines.append("    # per-call options; ... means the client's setting")
        default = _default(param)
        text = f"    {param.name}: {spelled(param)}" + (f" = {default}" if default else "")
        lines.append(text + ",")
    returns = plain(method.returns)
    lines.append(f") -> {returns}")
    return "```python\n" + "\n".join(lines) + "\n```"


def _constraints(found: Mapping[str, Any]) -> list[str]:
    notes: list[str] = []
    description = str(found.get("description") or "")
    if "maxLength" in found and str(found["maxLength"]) not in description:
        notes.append(f"At most {found['maxLength']} characters.")
    if "maxProperties" in found and str(found["maxProperties"]) not in description:
        notes.append(f"At most {found['maxProperties']} keys.")
    if "enum" in found and len(found["enum"]) > 1:
        notes.append("One of " + ", ".join(f"`{v}`" for v in found["enum"]) + ".")
    if found.get("format") == "date-time":
        notes.append("An aware `datetime` or an ISO-8601 string.")
    return notes


def describe(method: Method, param: Param) -> str:
    """What a parameter means: the SDK's note, else the spec's description and limits."""
    if param.name in SDK_PARAMETERS:
        return SDK_PARAMETERS[param.name]
    for operation in method.operations:
        found = spec_parameter(operation, param.name)
        if found is not None and found.get("description"):
            return " ".join([str(found["description"]), *_constraints(found)])
    return ""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def parameters_table(method: Method) -> str:
    own = [p for p in method.params if not p.is_option]
    rows = ["| Parameter | Type | Default | Description |", "| --- | --- | --- | --- |"]
    for param in own:
        default = _default(param)
        rows.append(
            f"| `{param.name}` | <code>{link_names(param.spelled, param.module)}</code> | "
            f"{f'`{default}`' if default else 'required'} | {_cell(describe(method, param))} |"
        )
    if method.options:
        names = ", ".join(f"`{p.name}`" for p in method.params if p.is_option)
        rows.append(
            f"| per-call options | [`{method.options}`][numora.{method.options}] | "
            f"client's | {names}: for this call only |"
        )
    return "\n".join(rows)


def returns_block(method: Method) -> str:
    lines = [f"**Returns** {linked(method.returns)}."]
    if method.is_coroutine:
        lines.append(f"On `AsyncNumora`: awaited, {linked(method.returns_async)}.")
    else:
        lines.append(f"On `AsyncNumora`: {linked(method.returns_async)}.")
    if method.returns_raw is not None:
        lines.append(f"On `client.with_raw_response`: {linked(method.returns_raw)}.")
    return " ".join(lines)


def _codes(text: str) -> list[str]:
    return re.findall(r"`([a-z_]+)`", text)


def _summary_of(cls: type) -> str:
    """The first paragraph of an exception's docstring, without its leading code."""
    doc = inspect.cleandoc(cls.__doc__ or "").split("Attributes:", 1)[0]
    text = " ".join(doc.split()).replace("``", "`")
    return re.sub(r"^(\d{3}( or \d{3})? )?(`[a-z_]+`)?( \(\d{3}\))?[:.] ", "", text)


def _message(node: ast.expr) -> str | None:
    """The text of a ``raise ValueError(...)`` argument; placeholders become "…"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "…"
            for v in node.values
        )
    elif isinstance(node, ast.BinOp):  # implicit concatenation split over lines
        left, right = _message(node.left), _message(node.right)
        return (left or "") + (right or "") or None
    else:
        return None
    return re.split(r", got |; ", text, maxsplit=1)[0].rstrip(" .")


def value_errors(function: Callable[..., Any]) -> list[str]:
    """The messages of the ``ValueError``s a method raises itself, before sending: in its
    own body and in the module's functions it calls (ids and ``limit`` are named apart)."""
    module = sys.modules[function.__module__]
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return []
    functions = {
        n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    found: list[str] = []
    seen: set[str] = set()
    owner = function.__qualname__.rsplit(".", 1)[0]
    classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    start = next(
        (
            n
            for n in classes.get(owner, ast.Module(body=[], type_ignores=[])).body
            if isinstance(n, ast.FunctionDef) and n.name == function.__name__
        ),
        None,
    )
    nodes: list[ast.AST] = [start] if start is not None else []
    while nodes:
        node = nodes.pop()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Raise) and isinstance(sub.exc, ast.Call):
                call = sub.exc
                if isinstance(call.func, ast.Name) and call.func.id == "ValueError" and call.args:
                    text = _message(call.args[0])
                    if text and text not in found:
                        found.append(text)
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
                name = sub.func.id
                if name in functions and name not in seen and name.startswith("_"):
                    seen.add(name)
                    nodes.append(functions[name])
    return found


def raised(method: Method) -> list[tuple[str, str]]:
    """(exception name, when) for the method, most specific first, without repeats."""
    from numora import _exceptions

    rows: dict[str, str] = {}
    rows["TypeError"] = "an unknown keyword, or an argument of the wrong type"
    checks = []
    ids = [p.name for p in method.params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    ids = [n for n in ids if n.endswith("_id") or n in ("document", "schema")]
    if ids:
        checks.append("an empty " + " or ".join(f"`{n}`" for n in ids))
    if any(p.name == "limit" for p in method.params):
        checks.append("`limit` outside 1 to 100")
    if any("datetime" in p.spelled for p in method.params):
        checks.append("a naive `datetime`")
    checks += [f"“{m}”" for m in method.value_errors]
    if checks:
        rows["ValueError"] = "; ".join(checks)
    if any(p.name == "file" for p in method.params):
        rows["FileTooLargeError"] = "the upload is over 30 MB: found before sending, or 413"
        rows["UnsupportedFileTypeError"] = (
            "the upload's format is not accepted: found before sending, or 415"
        )
    if method.kind == "helper":
        rows["WaitTimeoutError"] = "the `deadline` passed before the wanted state"
    statuses: dict[str, list[str]] = {}
    server: list[str] = []
    for operation in method.operations:
        for status, response in (operation.spec.get("responses") or {}).items():
            if not str(status).isdigit() or int(status) < 400:
                continue
            description = str(resolve(response).get("description") or "")
            codes = [
                c
                for c in _codes(description)
                if c in _exceptions._BY_CODE
                and (c not in FIELD_CODES or spec_parameter(operation, FIELD_CODES[c]))
            ]
            classes = [_exceptions._BY_CODE[c] for c in codes] or [
                _exceptions.error_class(int(status), None)
            ]
            for cls in classes:
                if issubclass(cls, _exceptions.ServerError):
                    if cls.__name__ not in server:
                        server.append(cls.__name__)
                    continue
                codes = statuses.setdefault(cls.__name__, [])
                if str(status) not in codes:
                    codes.append(str(status))
    for name, codes in statuses.items():
        if name in rows:
            continue
        when = f"{' or '.join(codes)}: {_summary_of(getattr(_exceptions, name))}"
        if name == "RateLimitError":
            when += " Raised once the retries are used up."
        rows[name] = when
    if server:
        rows["ServerError"] = (
            "5xx ("
            + ", ".join(f"[`{n}`][numora.{n}]" for n in server)
            + "): Numora or a provider behind it failed. Raised once the retries are used up."
        )
    return list(rows.items())


def raises_table(method: Method) -> str:
    rows = ["| Raises | When |", "| --- | --- |"]
    for name, when in raised(method):
        if name in ("TypeError", "ValueError"):
            rows.append(f"| `{name}` | {_cell(when)}; nothing was sent |")
        else:
            rows.append(f"| [`{name}`][numora.{name}] | {_cell(when)} |")
    also = ", ".join(f"[`{n}`][numora.{n}]" for n in ANY_CALL)
    return (
        "\n".join(rows) + f"\n\nLike every call, it can also raise {also} or "
        "[`ClientClosedError`][numora.ClientClosedError]: see "
        "[Errors and retries](../guides/errors-and-retries.md)."
    )


def _docstring(method: Method) -> str:
    from numora._exceptions import __all__ as exceptions

    def role(match: re.Match[str]) -> str:
        tilde, target = match.group(1), match.group(2)
        label = target.rsplit(".", 1)[-1] if tilde else target
        if match.group(0).startswith((":meth:", ":func:")):
            label += "()"
        if "." not in target:
            sibling = f"{method.resource}.{target}"
            found = next((m for m in load() if m.path == sibling), None)
            if found is not None:
                return f"[`{label}`][{found.anchor}]"
            if target in exceptions:
                return f"[`{label}`][numora.{target}]"
        return (
            f'<autoref identifier="{html.escape(target)}" optional><code>{label}</code></autoref>'
        )

    text = re.sub(r":(?:class|meth|func|attr|data|mod|exc|obj):`(~?)([\w.]+)`", role, method.doc)
    return text.replace("``", "`")


def route_line(method: Method) -> str:
    """``POST /v1/documents`` · scope ``documents:write``."""
    line = http_of(method)
    line = line[0].upper() + line[1:] if method.kind == "helper" else line
    if method.scopes:
        line += " · scope " + ", ".join(f"`{s}`" for s in method.scopes)
    return line


def entry(method: Method) -> str:
    """The Markdown of one method's entry (without its example, which the page gives)."""
    parts = [
        f"### `{method.name}()` {{#{method.anchor} data-toc-label='{method.name}' }}",
        "",
        route_line(method),
        "",
        signature(method),
        "",
        _docstring(method),
        "",
        parameters_table(method),
        "",
        returns_block(method),
        "",
        raises_table(method),
        "",
        "**Example**",
        "",
    ]
    return "\n".join(parts)


def call_hint(method: Method) -> str:
    """``create(schema=, …)``: the required arguments, then "…" if it takes more."""
    own = [p for p in method.params if not p.is_option]
    required = [p for p in own if p.default is inspect.Parameter.empty]
    shown = [p.name + ("=" if p.kind is inspect.Parameter.KEYWORD_ONLY else "") for p in required]
    if len(required) < len(own):
        shown.append("…")
    return f"{method.name}({', '.join(shown)})"


def http_of(method: Method) -> str:
    routes = ", ".join(f"`{op.route}`" for op in method.operations) or "—"
    if method.kind == "helper":
        return ("polls " if len(method.operations) == 1 else "calls ") + routes
    return routes


def summary(resource: str, *, anchor: bool = True) -> str:
    """A table of one resource's methods, each linked to its entry; with ``anchor``, the
    resource class's own link target (its page is where the class is documented)."""
    rows = ["| Method | HTTP | Returns |", "| --- | --- | --- |"]
    owners = [m.anchor.rsplit(".", 1)[0] for m in load() if m.resource == resource]
    if owners and anchor:  # the class itself links here (e.g. from ``client.documents``)
        rows.insert(0, f"[](){{#{owners[0]}}}\n")
    for method in load():
        if method.resource == resource:
            call = f"[`{call_hint(method)}`][{method.anchor}]"
            rows.append(f"| {call} | {http_of(method)} | {linked(method.returns)} |")
    if not owners:
        raise ValueError(f"<!-- api: summary {resource} -->: no such resource")
    return "\n".join(rows)


def index() -> str:
    resources = list(dict.fromkeys(m.resource for m in load()))
    parts = []
    for resource in resources:
        parts += [f"### `client.{resource}`", "", summary(resource, anchor=False), ""]
    parts += ["## Argument types", ""]
    for alias in sorted(aliases().values(), key=lambda a: a.name):
        parts += [
            f"### `{alias.name}` {{#{alias.anchor}}}",
            "",
            f"`{alias.expansion}`" + (f": {alias.note}" if alias.note else ""),
            "",
        ]
    return "\n".join(parts)


def render(markdown: str) -> str:
    """Replace every directive of a page with its generated Markdown."""
    by_path = {m.path: m for m in load()}

    def replace(match: re.Match[str]) -> str:
        kind, arg = match.group("kind"), match.group("arg")
        if kind == "method":
            if arg not in by_path:
                raise ValueError(f"<!-- api: method {arg} -->: no such method")
            return entry(by_path[arg])
        if kind == "summary":
            return summary(arg)
        return index()

    return DIRECTIVE.sub(replace, markdown)


# --- mkdocs hook events -------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """Expand the API directives of any page that has some."""
    if "<!-- api: " not in markdown:
        return markdown
    return render(markdown)


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1]).read_text(encoding="utf-8")))
