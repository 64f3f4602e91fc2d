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
* a union of every JSON scalar type (``metadata``'s values) is validated strictly, left to
  right (:data:`JSON_SCALAR`): the same values, without trying each type for each value;
* fields keep their wire names even where they shadow one of pydantic's deprecated
  ``BaseModel`` methods (``schema``), so ``doc.schema`` is the value and dumps use ``schema``;
* the models are split by the resource whose responses carry them (:func:`schema_modules`),
  one private module each (``numora/types/_documents.py``, ...), and ``numora/types/__init__.py``
  loads a module when one of its names is first used (PEP 562): a program that only calls
  ``client.documents`` never builds the other resources' models (start-up time, issue 16).
  Type checkers see every name through static imports under ``TYPE_CHECKING``; ``__all__``
  lists every generated name; each class says ``numora.types`` is its module, so reprs,
  pickles and the docs name the public path, whichever private module defines it. The
  modules do not use ``from __future__ import annotations``: annotations are objects, so
  neither pydantic nor ``typing.get_type_hints`` looks them up in the module namespace.

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
PACKAGE = "numora.types"
SHARED, REQUESTS, OTHER = "_shared", "_requests", "_other"

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

_COMMENT = HEADER[: HEADER.index('"""')]  # the two "Generated from" lines

LAZY_DOC = """
Each name is loaded on first use, with the other models of the resource that returns it
(``from numora.types import Document`` builds the models of ``client.documents`` only), so a
program pays at start-up only for the models it uses.
"""

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


# A JSON scalar of any type (`type: [string, integer, number, boolean]`, the values of
# `metadata`), as the generator writes it, and as numora validates it: each member strictly,
# left to right. JSON's types map one to one onto these, so nothing valid is refused or
# converted; pydantic's default "smart" union tries every member for every value, and a
# page of 100 documents holds hundreds of such values (paging: -9% instructions per item).
JSON_SCALAR = "str | int | float | bool"
STRICT_JSON_SCALAR = (
    'Annotated[StrictStr | StrictInt | StrictFloat | StrictBool, Field(union_mode="left_to_right")]'
)


def strict_scalar_unions(source: str) -> str:
    """Validate every JSON-scalar union strictly, member by member (:data:`JSON_SCALAR`)."""
    if JSON_SCALAR not in source:
        return source
    # A whole type argument (`dict[str, str | int | float | bool]`), nothing longer.
    whole = rf"(?<=[\[ ]){re.escape(JSON_SCALAR)}(?=[\],])"
    source = re.sub(whole, STRICT_JSON_SCALAR, source)
    if JSON_SCALAR in source:
        raise SystemExit(f"generate_models: `{JSON_SCALAR}` not a type argument, not rewritten")
    return source.replace(
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\n"
        "from typing import Annotated\n\n"
        "from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr\n",
        1,
    )


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


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` under ``node``."""
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _reached(spec: dict[str, Any], node: Any, seen: set[str] | None = None) -> set[str]:
    """The schemas ``node`` refers to, directly or through other components."""
    seen = set() if seen is None else seen
    for ref in _refs(node):
        parts = ref.removeprefix("#/").split("/")
        if parts[:2] == ["components", "schemas"]:
            if parts[2] in seen:
                continue
            seen.add(parts[2])
        target: Any = spec
        for part in parts:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        _reached(spec, target, seen)
    return seen


def schema_modules(spec: dict[str, Any]) -> dict[str, str]:
    """Schema name → the private module of ``numora.types`` that defines it.

    A model belongs to the resource whose answers carry it: the first part of the
    ``operationId`` (``documents.delivery.retrieve`` → ``_documents``) of every operation
    whose 2xx response reaches it (for ``webhooks``, the event bodies posted to you). Reached
    by the answers of several resources: ``_shared``. Reached only from request bodies (the
    SDK's methods take keyword arguments): ``_requests``. Anything else (error bodies, the
    generic event envelope): ``_other``. A resource's module so imports ``_shared`` only,
    and loading it builds no other resource's models.
    """
    parsed: dict[str, set[str]] = {}
    sent: set[str] = set()
    for section in ("paths", "webhooks"):
        for item in spec.get(section, {}).values():
            for op in item.values():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                resource = op["operationId"].split(".", 1)[0]
                if section == "webhooks":
                    answers = op.get("requestBody", {})
                else:
                    sent |= _reached(spec, op.get("requestBody", {}))
                    answers = {k: v for k, v in op["responses"].items() if k.startswith("2")}
                for name in _reached(spec, answers):
                    parsed.setdefault(name, set()).add(resource)
    modules = {}
    for name in spec["components"]["schemas"]:
        resources = parsed.get(name, set())
        if len(resources) == 1:
            modules[name] = f"_{next(iter(resources))}"
        elif resources:
            modules[name] = SHARED
        else:
            modules[name] = REQUESTS if name in sent else OTHER
    return modules


_MODULE_DOCS = {
    SHARED: "Types the models of several resources use.",
    REQUESTS: (
        "Request bodies, as the API reads them (the SDK's methods take keyword arguments and "
        "check them; these models describe and check the same shapes)."
    ),
    OTHER: "Error bodies and the generic webhook event envelope.",
    "_webhooks": "The webhook events :mod:`numora.webhooks` parses.",
}


def _module_doc(module: str) -> str:
    default = f"What ``client.{module[1:]}`` answers with."
    text = _MODULE_DOCS.get(module, default)
    return f"{text} Import them from :mod:`numora.types`."


def _definitions(tree: ast.Module, lines: list[str]) -> list[tuple[str, str, set[str]]]:
    """Top-level definitions in order: (name, source with its docstring, names it uses)."""
    out: list[tuple[str, str, set[str]]] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            name = node.name
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and out:
            # An attribute docstring after a definition belongs to it.
            previous_name, previous_text, used = out[-1]
            text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            out[-1] = (previous_name, f"{previous_text}\n{text}", used)
            continue
        else:
            continue
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        text = "\n".join(lines[first - 1 : node.end_lineno])
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        out.append((name, text, used))
    return out


def split(source: str, modules: dict[str, str]) -> dict[str, str]:
    """Split the generated code into one module per :func:`schema_modules` group.

    Each module imports what its definitions use (from the generated header's imports and
    from the other modules), keeps the generator's order, and ends by naming
    ``numora.types`` as its classes' module.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    imported: dict[str, str] = {}  # name -> the module it is imported from
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            imported.update((alias.name, node.module or "") for alias in node.names)
    found = _definitions(tree, lines)
    unknown = sorted({name for name, _, _ in found} - set(modules))
    if unknown:
        raise SystemExit(f"generate_models: not a schema of the spec: {', '.join(unknown)}")
    files: dict[str, str] = {}
    for module in sorted(set(modules.values())):
        mine = [d for d in found if modules[d[0]] == module]
        if not mine:
            continue
        defined: set[str] = set()
        wanted: dict[str, set[str]] = {}
        for name, _, used in mine:
            for ref in sorted(used - {name}):
                if ref in modules and modules[ref] == module and ref not in defined:
                    raise SystemExit(f"generate_models: {name} uses {ref} before it is defined")
                if ref in modules and modules[ref] != module:
                    wanted.setdefault(f".{modules[ref]}", set()).add(ref)
                elif ref in imported:
                    wanted.setdefault(imported[ref], set()).add(ref)
            defined.add(name)
        imports = "".join(
            f"from {source_module} import {', '.join(sorted(names))}\n"
            for source_module, names in sorted(wanted.items())
        )
        classes = [name for name, text, _ in mine if text.lstrip().startswith(("class", "@"))]
        public_home = (
            "\n\n# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, "
            "which stays valid\n# whichever private module the generator puts a class in.\n"
            f"for _cls in ({', '.join(classes)},):\n"
            f'    _cls.__module__ = "{PACKAGE}"\n'
            if classes
            else ""
        )
        body = "\n\n\n".join(text for _, text, _ in mine)
        files[f"{module}.py"] = (
            f'{_COMMENT}"""{_module_doc(module)}"""\n\n{imports}\n\n{body}\n{public_home}'
        )
    files[OUTPUT_FILE] = package_init(modules, {name for name, _, _ in found})
    return files


def package_init(modules: dict[str, str], names: set[str]) -> str:
    """``numora/types/__init__.py``: every name, loaded from its module on first use."""
    by_module: dict[str, list[str]] = {}
    for name in sorted(names):
        by_module.setdefault(modules[name], []).append(name)
    static = "".join(
        f"    from .{module} import {', '.join(members)}\n"
        for module, members in sorted(by_module.items())
    )
    table = "".join(f'    "{name}": ".{modules[name]}",\n' for name in sorted(names))
    listing = "".join(f'    "{name}",\n' for name in sorted(names))
    doc = HEADER.rstrip().removesuffix('"""').rstrip() + "\n" + LAZY_DOC + '"""\n'
    return f"""{doc}
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
{static}
__all__ = [
{listing}]

# name -> the module that defines it, imported on first use (PEP 562).
_MODULES: dict[str, str] = {{
{table}}}

if not TYPE_CHECKING:  # checkers read the imports above, so a misspelt name is an error

    def __getattr__(name: str) -> Any:
        module = _MODULES.get(name)
        if module is None:
            raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value  # later lookups skip this function
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
"""


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
    source = strict_scalar_unions(source)
    files = split(source, schema_modules(spec))
    return {name: _ruff(root, text, OUTPUT_DIR / name) for name, text in sorted(files.items())}


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
