"""The docs' generated parts: the "Preview assumptions" page and the docstring cross-refs."""

from __future__ import annotations

import importlib.util
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
