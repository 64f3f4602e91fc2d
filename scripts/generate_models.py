"""Regenerate ``src/numora/types/`` from ``spec/numora-v1.openapi.yaml``.

Usage::

    python scripts/generate_models.py             # rewrite src/numora/types/
    python scripts/generate_models.py --check     # exit 1 if the committed output is stale
    python scripts/generate_models.py --root DIR  # work on another checkout (used by tests)

datamodel-code-generator (pinned) writes pydantic v2 models on ``numora._models.NumoraModel``.
Two small post-processing steps follow, both driven by the spec:

* schemas marked ``x-numora-typeddict: true`` become ``TypedDict``s that pydantic checks when
  a response is parsed (``FieldValue``: a result holds thousands of them, and a model per
  value costs ~2x the JSON parse; a checked plain dict costs about what ``json.loads`` does);
* schemas with ``x-numora-mixin: [Name, ...]`` get those classes from ``numora._mixins`` as
  bases (``Document.needs_review``);
* fields keep their wire names even where they shadow one of pydantic's deprecated
  ``BaseModel`` methods (``schema``), so ``doc.schema`` is the value and dumps use ``schema``;
* ``__all__`` lists every generated name, so ``from numora.types import Document`` works and
  the public surface is explicit.

The output is then formatted with the project's ruff configuration, as if it were in place,
so the check compares like with like. Nothing in it depends on time or on dict order.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

SPEC = Path("spec/numora-v1.openapi.yaml")
OUTPUT_DIR = Path("src/numora/types")
OUTPUT_FILE = "__init__.py"

HEADER = '''\
# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""Typed models of every Numora API resource, page, request body and webhook event.

Every class derives from :class:`numora._models.NumoraModel`: unknown fields are kept,
enums are open (``Literal[...] | str``), timestamps are timezone-aware, attributes and dumps
use the wire names (``doc.schema``). ``FieldValue`` is a ``TypedDict`` checked when a
response is parsed: read ``fv["value"]`` and ``fv["confidence"]`` (``None`` when missing).
Secrets (``secret``, ``access_token``, destination ``credentials``) are ``SecretStr``:
call ``.get_secret_value()`` to read them; reprs and ``to_dict()`` mask them.
"""
'''

CODEGEN_ARGS = [
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--base-class=numora._models.NumoraModel",
    "--target-python-version=3.10",
    # `anyOf: [{enum: [...]}, {type: string}]` in the spec becomes `Literal[...] | str`.
    "--enum-field-as-literal=all",
    "--use-type-alias",
    "--use-annotated",
    "--use-union-operator",
    "--use-standard-collections",
    "--field-constraints",
    # A field with a default but no `null` in its type is not Optional.
    "--strict-nullable",
    "--snake-case-field",
    "--output-datetime-class=AwareDatetime",
    "--use-double-quotes",
    "--use-field-description",
    "--use-schema-description",
    "--use-single-line-docstring",
    "--disable-timestamp",
    "--no-formatters",
]


def _codegen(spec: Path, header: Path, out: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "datamodel_code_generator",
        f"--input={spec}",
        f"--output={out}",
        f"--custom-file-header-path={header}",
        *CODEGEN_ARGS,
    ]
    subprocess.run(cmd, check=True)


def _typeddict_names(spec: dict[str, Any]) -> list[str]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return sorted(name for name, schema in schemas.items() if schema.get("x-numora-typeddict"))


def to_typeddicts(source: str, names: list[str]) -> str:
    """Turn the generated models named in ``names`` into ``TypedDict``s checked at run time.

    pydantic validates a ``TypedDict`` field by field (here: any JSON ``value``, a
    ``confidence`` from 0 to 1 or null, strictly, so ``"0.9"`` is refused), keeps unknown
    keys (``extra="allow"``), and fills a missing key from its ``Field(default=...)``, so the
    key a type checker promises is always there.
    """
    for name in names:
        pattern = re.compile(rf"^class {name}\(NumoraModel\):\n((?:    .*\n|\n)+?)(?=\S|\Z)", re.M)
        match = pattern.search(source)
        if match is None:
            raise SystemExit(f"generate_models: class {name} not found in the generated code")
        body = match.group(1)
        lines = []
        for original in body.splitlines(True):
            line = original
            field = re.match(r"^    (\w+): (.+) = (.+)$", line)
            if field:
                attr, annotation, default = field.groups()
                constrained = re.match(r"^Annotated\[(.+), Field\((.*)\)\]$", annotation)
                if constrained:
                    annotation, args = constrained.groups()
                    args = f"{args}, default={default}"
                else:
                    args = f"default={default}"
                line = f"    {attr}: Annotated[{annotation}, Field({args})]\n"
            lines.append(line)
        config = "ConfigDict(extra='allow', strict=True, allow_inf_nan=False)"
        source = source.replace(
            f"class {name}(NumoraModel):\n{body}",
            f"@with_config({config})\nclass {name}(TypedDict):\n{''.join(lines)}",
            1,
        )
    if names:
        source = source.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\n"
            "from pydantic import ConfigDict, with_config\n"
            "from typing_extensions import TypedDict\n",
            1,
        )
    return source


def add_mixins(source: str, spec: dict[str, Any]) -> str:
    """Give each schema with ``x-numora-mixin`` its mixins from ``numora._mixins``."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    used: set[str] = set()
    for name, schema in sorted(schemas.items()):
        mixins = schema.get("x-numora-mixin") or []
        if not mixins:
            continue
        head = f"class {name}(NumoraModel):"
        if head not in source:
            raise SystemExit(f"generate_models: class {name} not found for its mixins")
        source = source.replace(head, f"class {name}({', '.join(mixins)}, NumoraModel):", 1)
        used.update(mixins)
    if used:
        source = source.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\n"
            f"from numora._mixins import {', '.join(sorted(used))}\n",
            1,
        )
    return source


def keep_wire_names(source: str) -> str:
    """``schema_: Annotated[str, Field(alias='schema')]`` → ``schema: str``.

    The generator renames a field that shadows a ``BaseModel`` attribute; the only such
    attribute in the spec is pydantic's deprecated ``schema()``, which no user needs, while
    ``doc.schema`` is what everyone types. NumoraModel silences pydantic's shadowing warning
    for exactly these names, and checkers are told the override is meant.
    """
    pattern = re.compile(r"^(    )(\w+)_: Annotated\[(.+), Field\(alias=[\'\"]\2[\'\"]\)\]$", re.M)
    keep = r"\1\2: \3  # type: ignore[assignment]  # wire name, shadows BaseModel.\2()"
    return pattern.sub(keep, source)


def add_all(source: str) -> str:
    """Append ``__all__`` with every top-level class and type alias, sorted."""
    names: set[str] = set()
    nodes = list(ast.parse(source).body)
    for node in nodes:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and not target.id.startswith("_"):
                names.add(target.id)
    listing = "".join(f'    "{name}",\n' for name in sorted(names))
    return f"{source.rstrip()}\n\n__all__ = [\n{listing}]\n"


def _ruff(root: Path, source: str, dest: Path) -> str:
    """Fix and format ``source`` with the project's ruff config, as if it lived at ``dest``."""
    stdin_name = str(root / dest)
    # Import sorting must not depend on which other files the checkout has.
    first_party = "lint.isort.known-first-party = ['numora']"
    for args in (["check", "--fix-only", "--exit-zero", "--quiet"], ["format"]):
        cmd = [sys.executable, "-m", "ruff", *args, "--config", first_party]
        result = subprocess.run(
            [*cmd, "--stdin-filename", stdin_name, "-"],
            input=source,
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
        )
        source = result.stdout
    return source


def render(root: Path) -> dict[str, str]:
    """Return the generated files (name → text) for the spec under ``root``."""
    spec_path = root / SPEC
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        header = Path(tmp) / "header.txt"
        header.write_text(HEADER, encoding="utf-8")
        raw = Path(tmp) / "models.py"
        _codegen(spec_path, header, raw)
        source = raw.read_text(encoding="utf-8")
    source = keep_wire_names(source)
    source = to_typeddicts(source, _typeddict_names(spec))
    source = add_mixins(source, spec)
    source = add_all(source)
    return {OUTPUT_FILE: _ruff(root, source, OUTPUT_DIR / OUTPUT_FILE)}


def _committed(out_dir: Path) -> dict[str, str]:
    if not out_dir.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out_dir.glob("*.py"))}


def check(root: Path) -> int:
    """Compare a fresh rendering with the committed files; print a summary of any drift."""
    fresh = render(root)
    committed = _committed(root / OUTPUT_DIR)
    drift = False
    for name in sorted(fresh.keys() | committed.keys()):
        new, old = fresh.get(name), committed.get(name)
        if new == old:
            continue
        drift = True
        if old is None:
            print(f"missing: {OUTPUT_DIR / name}")
        elif new is None:
            print(f"not generated (remove it): {OUTPUT_DIR / name}")
        else:
            diff = list(
                difflib.unified_diff(
                    old.splitlines(), new.splitlines(), "committed", "generated", lineterm="", n=1
                )
            )
            print(f"differs: {OUTPUT_DIR / name} ({len(diff)} diff lines); first lines:")
            print("\n".join(diff[:40]))
    if drift:
        print("numora.types is stale: run `python scripts/generate_models.py` and commit.")
        return 1
    return 0


def write(root: Path) -> None:
    """Replace the generated files under ``root`` with a fresh rendering."""
    out_dir = root / OUTPUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    fresh = render(root)
    for stale in set(_committed(out_dir)) - set(fresh):
        (out_dir / stale).unlink()
    for name, text in fresh.items():
        (out_dir / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="repository root (default: this script's checkout)",
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    if args.check:
        return check(root)
    write(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
