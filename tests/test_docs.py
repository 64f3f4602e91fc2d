"""The docs' generated parts: the "Preview assumptions" page, the per-method API reference,
and what griffe shows of the code (cross-references, public names, defaults)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "docs" / "_hooks"
SPEC = ROOT / "spec" / "numora-v1.openapi.yaml"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}", HOOKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def assumptions() -> ModuleType:
    return load("assumptions")


def test_every_mark_in_the_spec_is_on_the_page(assumptions: ModuleType) -> None:
    text = SPEC.read_text(encoding="utf-8")
    marks = sum(1 for line in text.splitlines() if line.strip() == "x-numora-assumption: true")

    page = assumptions.render_spec(SPEC)

    rows = [line for line in page.splitlines() if line.startswith("| ") and "`#/" in line]
    assert marks > 0
    assert len(rows) == marks
    assert f"marks **{marks}** places" in page


def test_a_mark_added_to_the_spec_appears_with_its_note_area_and_pointer(
    assumptions: ModuleType, tmp_path: Path
) -> None:
    spec = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    run = spec["components"]["schemas"]["Workflow"]["properties"]
    prop = next(iter(run))
    run[prop]["x-numora-assumption"] = True
    run[prop]["x-numora-assumption-note"] = "A brand-new guess | with a pipe."
    copy = tmp_path / "spec.yaml"
    copy.write_text(yaml.dump(spec, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")

    page = assumptions.render_spec(copy)
    before = assumptions.render_spec(SPEC)

    anchor = f"components-schemas-workflow-properties-{prop}"
    row = f'| <a id="{anchor}"></a>`Workflow.{prop}` | A brand-new guess \\| with a pipe. | '
    row += f"`#/components/schemas/Workflow/properties/{prop}` |"
    assert row in page
    assert row not in before
    workflows = page.split("## Workflows", 1)[1].split("\n## ", 1)[0]
    assert row in workflows


def test_a_marked_operation_is_listed_by_method_and_path_under_its_tag(
    assumptions: ModuleType,
) -> None:
    spec = {
        "paths": {
            "/v1/things/{id}": {
                "post": {
                    "tags": ["mappings"],
                    "x-numora-assumption": True,
                    "x-numora-assumption-note": "Things are assumed.",
                    "responses": {
                        "202": {"x-numora-assumption": True},
                    },
                }
            }
        }
    }

    page = assumptions.render(assumptions.collect(spec))

    assert "## Mappings" in page
    assert (
        '| <a id="paths-v1-things-id-post"></a>`POST /v1/things/{id}` | Things are assumed. | '
        "`#/paths/~1v1~1things~1{id}/post` |" in page
    )
    assert (
        '| <a id="paths-v1-things-id-post-responses-202"></a>`POST /v1/things/{id}`, '
        "response 202 | (no note given) | `#/paths/~1v1~1things~1{id}/post/responses/202` |" in page
    )


def test_the_page_keeps_its_prose_and_fills_in_the_marker(assumptions: ModuleType) -> None:
    source = (ROOT / "docs" / assumptions.PAGE).read_text(encoding="utf-8")
    assert source.count(assumptions.MARKER) == 1

    filled = assumptions.fill(source, "GENERATED")

    assert assumptions.MARKER not in filled
    assert filled.replace("GENERATED", assumptions.MARKER) == source


def test_a_page_without_the_marker_fails_the_build(assumptions: ModuleType) -> None:
    with pytest.raises(ValueError, match="must contain"):
        assumptions.fill("# Preview assumptions\n", "GENERATED")


def test_a_spec_without_marks_says_so(assumptions: ModuleType) -> None:
    assert "marks no assumptions" in assumptions.render(assumptions.collect({"paths": {}}))


def test_hook_only_touches_the_assumptions_page(assumptions: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    shutil.copy(SPEC, tmp_path / "spec" / SPEC.name)
    config = {"config_file_path": str(tmp_path / "mkdocs.yml")}

    class Page:
        def __init__(self, src_uri: str) -> None:
            self.file = type("File", (), {"src_uri": src_uri})()

    other = f"# Other\n{assumptions.MARKER}\n"
    page = f"# Preview assumptions\n{assumptions.MARKER}\n"

    assert assumptions.on_page_markdown(other, Page("index.md"), config, None) == other
    filled = assumptions.on_page_markdown(page, Page("assumptions.md"), config, None)
    assert "#/components/parameters/Limit" in filled


@pytest.mark.parametrize(
    ("docstring", "expected"),
    [
        (
            "raises :class:`~numora.ConflictError` then",
            'raises <autoref identifier="numora.ConflictError" optional>'
            "<code>ConflictError</code></autoref> then",
        ),
        (
            ":class:`numora.Numora`",
            '<autoref identifier="numora.Numora" optional><code>numora.Numora</code></autoref>',
        ),
        (
            ":meth:`wait` first",
            '<autoref identifier="pkg.Thing.wait" optional><code>wait()</code></autoref> first',
        ),
        ("no roles, ``code`` only", "no roles, ``code`` only"),
        ("Verify it::\n\n    code()\n", "Verify it:\n\n    code()\n"),
        ("The tree:\n\n::\n\n    A\n", "The tree:\n\n\n\n    A\n"),
        (
            "Old.\n\n.. deprecated:: use ``new()``\n   instead.\n",
            'Old.\n\n!!! warning "Deprecated"\n    use ``new()``\n    instead.\n',
        ),
    ],
)
def test_rest_roles_become_optional_cross_references(docstring: str, expected: str) -> None:
    roles = load("griffe_roles")

    class Obj:
        def __init__(self, path: str, parent: Obj | None, members: dict[str, Obj]) -> None:
            self.path, self.parent, self.members = path, parent, members

    thing = Obj("pkg.Thing", None, {})
    thing.members["wait"] = Obj("pkg.Thing.wait", thing, {})
    method = Obj("pkg.Thing.create", thing, {})

    assert roles.rewrite(docstring, method) == expected


def test_each_assumption_has_a_unique_anchor_and_conventions_use_their_name(
    assumptions: ModuleType,
) -> None:
    found = assumptions.collect(assumptions.load_spec(SPEC))
    anchors = [item.anchor for item in found]

    assert len(set(anchors)) == len(anchors)
    # The webhooks page links these by name.
    assert {"webhook-signature-construction", "webhook-retry-schedule"} <= set(anchors)


# --- the API reference (docs/_hooks/api_reference.py) -------------------------------------

RESOURCE_PAGES = ROOT / "docs" / "resources"
_METHOD = re.compile(r"^<!-- api: method (?P<path>[\w.]+) -->\n\n```python\n", re.MULTILINE)


@pytest.fixture(scope="module")
def api() -> ModuleType:
    return load("api_reference")


def _public_methods(client: object, prefix: str = "") -> set[str]:
    """Attribute paths of every public method reachable from a client's resources."""
    from numora._resource import Resource

    found: set[str] = set()
    for name in dir(client):
        if name.startswith("_") or name in ("with_raw_response", "webhooks"):
            continue
        value = getattr(client, name)
        if isinstance(value, Resource):
            found |= _public_methods(value, f"{prefix}{name}.")
        elif prefix and callable(value):
            found.add(prefix + name)
    return found


def test_every_public_method_has_an_entry_with_an_example_on_a_resource_page(
    api: ModuleType,
) -> None:
    from numora import Numora

    with Numora(api_key="sk_test_x", base_url="http://127.0.0.1:9") as client:
        methods = _public_methods(client)
    documented = [
        m.group("path")
        for page in sorted(RESOURCE_PAGES.glob("*.md"))
        for m in _METHOD.finditer(page.read_text(encoding="utf-8"))
    ]

    assert sorted(documented) == sorted(methods), "one directive + example per method"
    assert {m.path for m in api.load()} == methods


def test_each_entry_names_its_route_and_describes_every_parameter(api: ModuleType) -> None:
    for method in api.load():
        assert method.operations, f"{method.path}: no route (add it to HELPER_OPERATIONS?)"
        for param in method.params:
            if not param.is_option:
                assert api.describe(method, param), f"{method.path}({param.name}) undescribed"


def test_the_signature_shown_is_the_runtime_signature(api: ModuleType) -> None:
    import inspect

    from numora import Numora

    with Numora(api_key="sk_test_x", base_url="http://127.0.0.1:9") as client:
        for method in api.load():
            target: object = client
            for part in method.path.split("."):
                target = getattr(target, part)
            shown = api.signature(method)
            runtime = inspect.signature(target)  # type: ignore[arg-type]
            for name in runtime.parameters:
                assert f"    {name}: " in shown, f"{method.path}: {name} missing"
            assert [p.name for p in method.params] == list(runtime.parameters)


@pytest.mark.parametrize(
    ("path", "raised", "not_raised"),
    [
        (
            "documents.approve",
            {"ConflictError", "NotFoundError", "ValueError"},
            {"InvalidSchemaError"},
        ),
        (
            "documents.create",
            {"FileTooLargeError", "InvalidSchemaError", "InsufficientCreditsError"},
            {"NotFoundError"},
        ),
        ("documents.list", {"AuthenticationError", "ValueError"}, {"ConflictError"}),
        ("documents.wait", {"WaitTimeoutError", "NotFoundError"}, {"ConflictError"}),
        ("webhook_endpoints.deliveries.redeliver", {"ConflictError"}, {"WaitTimeoutError"}),
    ],
)
def test_raises_come_from_the_spec_and_the_local_checks(
    api: ModuleType, path: str, raised: set[str], not_raised: set[str]
) -> None:
    (method,) = [m for m in api.load() if m.path == path]

    names = {name for name, _ in api.raised(method)}

    assert raised <= names
    assert not (not_raised & names)


def test_an_error_response_added_to_the_spec_appears_in_the_entry(api: ModuleType) -> None:
    (method,) = [m for m in api.load() if m.path == "schemas.retrieve"]
    operation = method.operations[0]
    responses = dict(operation.spec["responses"])
    responses["409"] = {"$ref": "#/components/responses/Conflict"}
    changed = api.Operation(
        operation.operation_id,
        operation.method,
        operation.path,
        {**operation.spec, "responses": responses},
    )

    before = dict(api.raised(method))
    method.operations = [changed]
    try:
        after = dict(api.raised(method))
    finally:
        method.operations = [operation]

    assert "ConflictError" not in before
    assert after["ConflictError"].startswith("409: ")


def test_a_directive_for_a_method_that_does_not_exist_fails_the_build(api: ModuleType) -> None:
    with pytest.raises(ValueError, match="no such method"):
        api.render("<!-- api: method documents.nope -->\n")


def test_private_names_are_shown_by_their_public_name() -> None:
    roles = load("griffe_roles")

    assert roles.public_path("numora._models.NumoraModel") == "numora.NumoraModel"
    assert roles.public_path("numora._exceptions.ConflictError") == "numora.ConflictError"
    assert roles.public_path("numora.types.Document") == "numora.types.Document"


def test_the_reference_shows_defaults_by_value_and_resources_as_typed_attributes() -> None:
    import griffe

    public = load("griffe_public")
    package = griffe.load(
        "numora",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(public.PublicSurface),
    )
    numora_client = package["_client.Numora"]

    timeout = numora_client.members["__init__"].parameters["timeout"]
    assert str(timeout.default) == "httpx.Timeout(60, connect=5)"
    documents = package["_client._Resources"].members["documents"]  # inherited by both
    assert documents.is_attribute
    assert str(documents.annotation) == "Documents"
    assert package["webhooks.Event"].value is None  # built from _tag and _UNKNOWN


# --- code fits the content column -------------------------------------------------------

MAX_CODE_LINE = 80  # the site's content column shows about 83 characters of code
_FENCE = re.compile(r"^\s*(`{3,})\s*(\{[^}]*\}|[\w+-]*)")


def _pages_formatted_by_ruff() -> list[Path]:
    import tomllib

    config = tomllib.loads((ROOT / "docs" / "ruff.toml").read_text(encoding="utf-8"))
    pending = set(config.get("format", {}).get("exclude", []))
    docs = ROOT / "docs"
    return [
        page
        for page in sorted(docs.rglob("*.md"))
        if "_hooks" not in page.parts and page.relative_to(docs).as_posix() not in pending
    ]


def test_code_lines_fit_the_content_column() -> None:
    too_long = []
    for page in _pages_formatted_by_ruff():
        inside = wraps = False
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            fence = _FENCE.match(line)
            if fence:
                inside = not inside
                wraps = inside and ".wrap" in fence.group(2)
                continue
            if inside and not wraps and len(line.rstrip()) > MAX_CODE_LINE:
                too_long.append(f"{page.relative_to(ROOT)}:{number} ({len(line)})")
    assert not too_long, "wrap these, or mark a quoted message's block { .text .wrap }"
