"""mkdocs hook: the "Preview assumptions" page, generated from the OpenAPI document.

Every part of ``spec/numora-v1.openapi.yaml`` that Numora's public docs do not state carries
``x-numora-assumption: true`` and an ``x-numora-assumption-note``. This hook walks the whole
document at build time and replaces the marker line in ``docs/assumptions.md`` with one table
per area, so the page lists exactly what the spec marks and can never fall out of date.

Each row has an anchor other pages link to where they rely on the assumption: a convention's
is its name (``assumptions.md#webhook-retry-schedule``), any other mark's its JSON pointer
(``assumptions.md#paths-v1-documents-post-responses-200``); see ``Assumption.anchor``.

Run it by hand to see the generated Markdown: ``python docs/_hooks/assumptions.py``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

SPEC = Path("spec/numora-v1.openapi.yaml")
PAGE = "assumptions.md"
MARKER = "<!-- generated: preview assumptions -->"

FLAG = "x-numora-assumption"
NOTE = "x-numora-assumption-note"

CONVENTIONS = "conventions"
# Assumptions that belong to no single operation or schema sit in this root extension.
CONVENTIONS_KEY = "x-numora-conventions"
SHARED = "shared"

# Areas in page order; the keys are the spec's tags plus the two groups that span areas.
AREA_TITLES = {
    CONVENTIONS: "Conventions (every route)",
    "documents": "Documents",
    "delivery": "Delivery",
    "schemas": "Schemas",
    "destinations": "Destinations",
    "mappings": "Mappings",
    "workflows": "Workflows",
    "runs": "Runs",
    "webhook_endpoints": "Webhook endpoints",
    "api_keys": "API keys",
    "webhooks": "Webhook events",
    SHARED: "Models shared by several areas",
}

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Assumption:
    """One marked place in the spec."""

    area: str
    where: str
    pointer: str
    note: str
    name: str | None = None  # a convention's name (x-numora-conventions), if it is one

    @property
    def anchor(self) -> str:
        """The id of the entry's row, for links from the pages that rely on it.

        A convention is found by its name (``#webhook-retry-schedule``); any other mark by
        its JSON pointer (``#paths-v1-documents-post-responses-200``).
        """
        return slug(self.name if self.name else self.pointer)


def slug(text: str) -> str:
    """Lowercase words joined by ``-`` (``Webhook retry schedule`` → ``webhook-retry-schedule``)."""
    text = text.removeprefix("#/").replace("~1", "/").replace("~0", "~")
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def escape_token(token: str) -> str:
    """One JSON-pointer reference token (RFC 6901: ``~`` → ``~0``, ``/`` → ``~1``)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_of(tokens: tuple[str, ...]) -> str:
    """The JSON pointer of a path of tokens (``#/paths/~1v1~1documents/post``)."""
    return "#/" + "/".join(escape_token(t) for t in tokens)


def _walk(
    node: Any, tokens: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        if node.get(FLAG) is True:
            yield tokens, node
        for key, value in node.items():
            yield from _walk(value, (*tokens, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*tokens, str(index)))


def _refs(node: Any) -> Iterator[str]:
    """Names of the ``#/components/<kind>/<name>`` targets referenced under ``node``."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            yield ref.removeprefix("#/components/")
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each operation (paths and webhooks) with its area: its first tag."""
    for section, default in (("paths", None), ("webhooks", "webhooks")):
        for item in (spec.get(section) or {}).values():
            if not isinstance(item, Mapping):
                continue
            for method in _METHODS:
                op = item.get(method)
                if isinstance(op, Mapping):
                    tags = op.get("tags") or [default or SHARED]
                    # Path-level parameters apply to every operation under the path.
                    yield str(tags[0]), {"op": op, "shared": item.get("parameters", [])}


def component_areas(spec: Mapping[str, Any]) -> dict[str, set[str]]:
    """For each ``<kind>/<name>`` component, the areas of the operations that use it.

    References are followed transitively, so a schema nested in a response belongs to the
    area of the operation returning that response.
    """
    components = spec.get("components") or {}
    graph: dict[str, set[str]] = {}
    for kind, members in components.items():
        if isinstance(members, Mapping):
            for name, body in members.items():
                graph[f"{kind}/{name}"] = set(_refs(body))
    areas: dict[str, set[str]] = {key: set() for key in graph}
    for area, op in _operations(spec):
        stack = list(_refs(op))
        seen: set[str] = set()
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            areas.setdefault(key, set()).add(area)
            stack.extend(graph.get(key, ()))
    return areas


def header_names(spec: Mapping[str, Any]) -> dict[str, str]:
    """``components/headers`` keys mapped to the header name responses use them under."""
    names: dict[str, str] = {}

    def visit(node: Any) -> None:
        if isinstance(node, Mapping):
            headers = node.get("headers")
            if isinstance(headers, Mapping):
                for name, value in headers.items():
                    ref = value.get("$ref") if isinstance(value, Mapping) else None
                    if isinstance(ref, str) and ref.startswith("#/components/headers/"):
                        names.setdefault(ref.rsplit("/", 1)[1], str(name))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(spec)
    return names


def _describe_rest(rest: tuple[str, ...]) -> str:
    if not rest:
        return ""
    head, tail = rest[0], rest[1:]
    if head == "responses" and tail:
        return f"response {tail[0]}" + _suffix(tail[1:])
    if head == "requestBody":
        if len(tail) >= 2 and tail[0] == "content":
            return f"request body ({tail[1]})" + _suffix(tail[3:] if len(tail) > 2 else ())
        return "request body" + _suffix(tail)
    if head == "properties" and tail:
        return f"property `{tail[0]}`" + _suffix(tail[1:])
    return "/".join(rest)


def _suffix(rest: tuple[str, ...]) -> str:
    described = _describe_rest(rest)
    return f", {described}" if described else ""


def describe(
    tokens: tuple[str, ...], node: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> str:
    """A short human label for a marked place (``POST /v1/documents, response 200``)."""
    if len(tokens) == 2 and tokens[0] == CONVENTIONS_KEY:
        return str(node.get("name", f"convention {tokens[1]}"))
    if len(tokens) >= 3 and tokens[0] in ("paths", "webhooks"):
        route = tokens[1] if tokens[0] == "paths" else f"webhook `{tokens[1]}`"
        label = f"`{tokens[2].upper()} {route}`" if tokens[0] == "paths" else route
        return label + _suffix(tokens[3:])
    if len(tokens) >= 3 and tokens[0] == "components":
        kind, name, rest = tokens[1], tokens[2], tokens[3:]
        if kind == "schemas":
            if len(rest) >= 2 and rest[0] == "properties":
                return f"`{name}.{rest[1]}`" + _suffix(rest[2:])
            return f"`{name}`" + _suffix(rest)
        if kind == "parameters":
            shown = node.get("name", name) if not rest else name
            where = f" ({node['in']})" if not rest and "in" in node else ""
            return f"parameter `{shown}`{where}" + _suffix(rest)
        if kind == "headers":
            return f"response header `{(headers or {}).get(name, name)}`" + _suffix(rest)
        if kind == "responses":
            return f"error response `{name}`" + _suffix(rest)
        return f"{kind} `{name}`" + _suffix(rest)
    return "/".join(tokens) or "the whole document"


def collect(spec: Mapping[str, Any]) -> list[Assumption]:
    """Every place marked ``x-numora-assumption: true``, in document order."""
    areas = component_areas(spec)
    headers = header_names(spec)
    found: list[Assumption] = []
    for tokens, node in _walk(spec, ()):
        area = SHARED
        if tokens and tokens[0] == CONVENTIONS_KEY:
            area = CONVENTIONS
        elif len(tokens) >= 3 and tokens[0] in ("paths", "webhooks"):
            section = spec[tokens[0]][tokens[1]]
            op = section.get(tokens[2]) if isinstance(section, Mapping) else None
            tags = op.get("tags") if isinstance(op, Mapping) else None
            area = str(tags[0]) if tags else ("webhooks" if tokens[0] == "webhooks" else SHARED)
        elif len(tokens) >= 3 and tokens[0] == "components":
            if tokens[1] in ("parameters", "headers", "responses", "securitySchemes"):
                area = CONVENTIONS
            else:
                users = areas.get(f"{tokens[1]}/{tokens[2]}", set())
                area = next(iter(users)) if len(users) == 1 else SHARED
        note = node.get(NOTE)
        is_convention = len(tokens) == 2 and tokens[0] == CONVENTIONS_KEY
        found.append(
            Assumption(
                area=area,
                where=describe(tokens, node, headers),
                pointer=pointer_of(tokens),
                note=str(note).strip() if note else "(no note given)",
                name=str(node["name"]) if is_convention and node.get("name") else None,
            )
        )
    return found


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render(assumptions: list[Assumption]) -> str:
    """The Markdown for the page body: a count, then one table per area."""
    if not assumptions:
        return "The OpenAPI document marks no assumptions: everything in it is documented.\n"
    order = list(AREA_TITLES)
    by_area: dict[str, list[Assumption]] = {}
    for item in assumptions:
        by_area.setdefault(item.area, []).append(item)
    ranked = sorted(by_area, key=lambda a: (order.index(a) if a in order else len(order), a))
    lines = [
        f"The OpenAPI document marks **{len(assumptions)}** places as preview assumptions, "
        f"in {len(ranked)} areas.",
        "",
    ]
    for area in ranked:
        items = by_area[area]
        lines += [
            f"## {AREA_TITLES.get(area, area.replace('_', ' ').capitalize())}",
            "",
            "| Where | Assumption | JSON pointer |",
            "| --- | --- | --- |",
        ]
        lines += [
            f'| <a id="{i.anchor}"></a>{_cell(i.where)} | {_cell(i.note)} | `{i.pointer}` |'
            for i in items
        ]
        lines.append("")
    return "\n".join(lines)


def load_spec(path: Path) -> Mapping[str, Any]:
    with path.open(encoding="utf-8") as fh:
        # libyaml's loader when present: the spec is large and the pure-Python one is slow.
        spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    if not isinstance(spec, Mapping):
        raise ValueError(f"{path} is not an OpenAPI document (a YAML mapping)")
    return spec


def render_spec(path: Path = SPEC) -> str:
    """The generated Markdown for the spec at ``path``."""
    return render(collect(load_spec(path)))


def fill(markdown: str, generated: str) -> str:
    """Replace the marker line of the page with the generated Markdown."""
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} must contain the line {MARKER!r} where the tables go")
    return markdown.replace(MARKER, generated)


# --- mkdocs hook events -------------------------------------------------------------------


def _spec_path(config: Any) -> Path:
    return Path(config["config_file_path"]).parent / SPEC


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """Fill in the assumptions page; leave every other page alone."""
    if page.file.src_uri != PAGE:
        return markdown
    return fill(markdown, render_spec(_spec_path(config)))


def on_serve(server: Any, config: Any, builder: Any, **_: Any) -> Any:
    """With ``mkdocs serve``, rebuild when the spec changes."""
    server.watch(str(_spec_path(config)))
    return server


if __name__ == "__main__":
    sys.stdout.write(render_spec(Path(sys.argv[1]) if len(sys.argv) > 1 else SPEC))
