"""What ships: the wheel's files, its entry points, its version, its declared dependencies.

`.ci/run` installs the built wheel (not src/) and runs this suite against it, with
``NUMORA_CI_WHEEL`` naming that wheel. Run locally (editable install) the wheel tests build
a wheel of their own, and the checks that only make sense for an installed wheel skip.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import numora
from numora.testing import FakeNumora

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "numora"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT: dict[str, Any] = PYPROJECT["project"]
LOCK = ROOT / "requirements" / "dev.txt"
CI_WHEEL = os.environ.get("NUMORA_CI_WHEEL")
installed_wheel_only = pytest.mark.skipif(
    not CI_WHEEL, reason="checks an installed wheel: run by .ci/run (NUMORA_CI_WHEEL)"
)


# --- the wheel's files ------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel under test: the one .ci/run built and installed, else one built now."""
    if CI_WHEEL:
        return Path(CI_WHEEL)
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if not name.endswith("/")}


def test_the_wheel_holds_every_module_and_py_typed_and_nothing_else(wheel: Path) -> None:
    # The package reads no data file at run time (the fake and the CLI are plain modules), so
    # modules and the py.typed marker are all it needs. A stray file in src/numora would ship
    # to every user: delete it, or list it here if it is package data the code reads.
    modules = {
        f"numora/{path.relative_to(PACKAGE).as_posix()}"
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    dist_info = f"numora-{numora.__version__}.dist-info"
    expected = modules | {
        "numora/py.typed",
        f"{dist_info}/METADATA",
        f"{dist_info}/WHEEL",
        f"{dist_info}/RECORD",
        f"{dist_info}/entry_points.txt",
        f"{dist_info}/licenses/LICENSE",
    }
    files = wheel_files(wheel)
    assert files - expected == set(), "files that should not ship"
    assert expected - files == set(), "files missing from the wheel"


def test_the_wheel_has_the_public_surface(wheel: Path) -> None:
    files = wheel_files(wheel)
    for needed in (
        "numora/__init__.py",
        "numora/__main__.py",  # python -m numora, and the console script's target
        "numora/_cli/__init__.py",
        "numora/testing/__init__.py",  # the sandbox users test against
        "numora/types/__init__.py",
        "numora/webhooks.py",
        "numora/py.typed",  # without it, type checkers ignore every annotation
    ):
        assert needed in files


def test_the_wheel_metadata_names_its_version_license_and_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"numora-{numora.__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {numora.__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata
    requires = {
        str(Requirement(line.split(": ", 1)[1]))
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist: ") and "extra ==" not in line
    }
    assert requires == {str(Requirement(text)) for text in PROJECT["dependencies"]}


# --- the package under test is the installed wheel --------------------------------------


@installed_wheel_only
def test_numora_is_imported_from_the_installed_wheel_not_from_src() -> None:
    location = Path(numora.__file__).resolve()
    assert not location.is_relative_to(ROOT / "src"), f"numora imported from {location}"
    assert "site-packages" in location.parts
    # The subprocesses the suite starts (CLI, examples) import the same installed copy.
    child = subprocess.run(
        [sys.executable, "-c", "import numora; print(numora.__file__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(child.stdout.strip()).resolve() == location
    origin = json.loads(
        importlib.metadata.distribution("numora").read_text("direct_url.json") or "{}"
    )
    assert not origin.get("dir_info", {}).get("editable"), "an editable install, not the wheel"


# --- entry points -----------------------------------------------------------------------


def declared_entry_points() -> set[tuple[str, str, str]]:
    """(group, name, target) of every entry point pyproject.toml declares."""
    points = {("console_scripts", name, value) for name, value in PROJECT["scripts"].items()}
    for group, entries in PROJECT.get("entry-points", {}).items():
        points |= {(group, name, value) for name, value in entries.items()}
    return points


def installed_entry_points() -> list[importlib.metadata.EntryPoint]:
    return list(importlib.metadata.distribution("numora").entry_points)


def test_the_installed_package_has_the_entry_points_pyproject_declares() -> None:
    installed = {(point.group, point.name, point.value) for point in installed_entry_points()}
    assert installed == declared_entry_points(), "stale install? pip install the package again"


@pytest.mark.parametrize("point", installed_entry_points(), ids=lambda point: point.name)
def test_every_entry_point_loads(point: importlib.metadata.EntryPoint) -> None:
    assert callable(point.load()) or point.group == "pytest11"


def test_the_console_script_runs_from_the_installed_package() -> None:
    script = shutil.which("numora", path=str(Path(sys.executable).parent))
    if script is None:
        if CI_WHEEL:
            pytest.fail("the numora console script is not installed next to python")
        pytest.skip("no numora script next to this python (not a venv install)")
    run = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"numora {numora.__version__}"


def test_declared_pytest_plugins_are_registered(request: pytest.FixtureRequest) -> None:
    plugins = [point for point in installed_entry_points() if point.group == "pytest11"]
    if not plugins:
        pytest.skip("numora declares no pytest plugin")
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        pytest.skip("plugin autoload is disabled")
    manager = request.config.pluginmanager
    for point in plugins:
        if not manager.is_blocked(point.name):
            assert manager.get_plugin(point.name) is not None, f"pytest11 {point.name}"


# --- one version, and the User-Agent that carries it -------------------------------------


def test_numora_version_is_the_one_source_of_the_package_version() -> None:
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/numora/_version.py"
    assert importlib.metadata.version("numora") == numora.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?", numora.__version__)


def test_the_changelog_has_a_section_for_this_version_below_unreleased() -> None:
    headings = re.findall(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert headings[0] == "Unreleased"
    assert numora.__version__ in headings, "cut the release section: docs/releasing.md"


def test_every_request_says_which_sdk_python_and_platform_sent_it() -> None:
    fake = FakeNumora()
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=fake.transport(), event_hooks={"request": [seen.append]})
    with fake.client(http_client=http) as client:
        client.documents.create(schema="invoice_v2", file_url="https://x.example/a.pdf")
    # e.g. numora-python/0.1.0 (CPython 3.11.7; Linux x86_64): what support asks for first.
    assert seen[0].headers["user-agent"] == (
        f"numora-python/{numora.__version__} "
        f"({platform.python_implementation()} {platform.python_version()}; "
        f"{platform.system()} {platform.machine()})"
    )


# --- honest dependencies ----------------------------------------------------------------


def imports_of(path: Path) -> Iterator[tuple[str, bool]]:
    """(top-level module, guarded) for each absolute import in ``path``. Guarded: inside
    ``try: ... except ImportError`` or ``if TYPE_CHECKING:``, so allowed to be missing. An
    import inside a function is not guarded: it runs when the function does."""

    def visit(node: ast.AST, guarded: bool) -> Iterator[tuple[str, bool]]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], guarded
            return
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield node.module.split(".")[0], guarded
            return
        guarded_here = _guarded_statements(node)
        for child in ast.iter_child_nodes(node):
            yield from visit(child, guarded or child in guarded_here)

    yield from visit(ast.parse(path.read_text(encoding="utf-8")), False)


def _guarded_statements(node: ast.AST) -> list[ast.stmt]:
    """The body of ``try: ... except ImportError`` (an optional import) or ``if TYPE_CHECKING:``."""
    if isinstance(node, ast.Try):
        caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
        if {"ImportError", "ModuleNotFoundError"} & set(re.findall(r"\w+", caught)):
            return node.body
    if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
        return node.body
    return []


def plugin_modules() -> set[Path]:
    """The files of the pytest plugins numora declares: only pytest loads them, so pytest is
    there whenever they are imported."""
    plugins = PROJECT.get("entry-points", {}).get("pytest11", {}).values()
    return {PACKAGE.parent.joinpath(*name.split(".")).with_suffix(".py") for name in plugins}


def third_party_imports() -> dict[str, bool]:
    """Each third-party module src/numora imports -> whether every import of it is guarded."""
    found: dict[str, bool] = {}
    plugins = plugin_modules()
    for path in PACKAGE.rglob("*.py"):
        for module, guarded in imports_of(path):
            if module == "pytest" and path in plugins:
                continue
            if module in sys.stdlib_module_names or module in ("numora", "__future__"):
                continue
            found[module] = found.get(module, True) and guarded
    return found


def distributions_of(module: str) -> set[str]:
    names = importlib.metadata.packages_distributions().get(module) or [module]
    return {canonicalize_name(name) for name in names}


def declared(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(text).name) for text in requirements}


def test_the_import_scan_tells_optional_imports_from_required_ones(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "import json, httpx.client\n"
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "if TYPE_CHECKING:\n"
        "    from yaml import Loader\n"
        "try:\n"
        "    import opentelemetry.trace\n"
        "except ImportError:\n"
        "    import fallback_lib\n"
        "def later():\n"
        "    import anyio\n",
        encoding="utf-8",
    )
    assert sorted(imports_of(module)) == [
        ("anyio", False),  # imported when the function runs: required
        ("fallback_lib", False),
        ("httpx", False),
        ("json", False),
        ("opentelemetry", True),
        ("typing", False),
        ("yaml", True),
    ]


def test_every_third_party_module_the_sdk_imports_is_a_declared_dependency() -> None:
    base = declared(PROJECT["dependencies"])
    extras = {
        name: declared(requirements)
        for name, requirements in PROJECT.get("optional-dependencies", {}).items()
        if name != "dev"
    }
    in_any_extra = set().union(*extras.values()) if extras else set()
    imports = third_party_imports()
    assert "anyio" in imports  # the scan sees lazy imports inside functions too
    for module, guarded in sorted(imports.items()):
        providers = distributions_of(module)
        allowed = base | in_any_extra if guarded else base
        assert providers & allowed, (
            f"src/numora imports {module!r} ({'guarded' if guarded else 'unguarded'}) but "
            f"pyproject.toml declares none of {sorted(providers)} "
            f"{'as a dependency or in an extra' if guarded else 'as a dependency'}"
        )


# Runtime dependencies numora's code does not import, each with why it is installed anyway.
FOR_OTHERS = {
    # httpcore imports it for every async lock, event and shield when it is installed, and
    # searches sys.path for it on each of them when it is not
    # (tests/core/test_async_call_imports.py).
    "sniffio": "httpcore",
}


def test_every_runtime_dependency_is_imported_and_is_a_range() -> None:
    imported = set().union(*(distributions_of(module) for module in third_party_imports()))
    imported |= FOR_OTHERS.keys()
    for text in PROJECT["dependencies"]:
        requirement = Requirement(text)
        assert canonicalize_name(requirement.name) in imported, f"{text}: not imported by src"
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators, f"{text}: give the lowest version the SDK works with"
        assert not operators & {"==", "==="}, f"{text}: a pin would clash with users' packages"


# --- the lock ---------------------------------------------------------------------------


def locked_versions() -> dict[str, str]:
    """name -> pinned version, for the lines of the lock that apply to this Python."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "# ":
            continue
        requirement, _, marker = line.partition(";")
        name, operator, version = requirement.strip().partition("==")
        assert operator, f"not an exact pin in {LOCK.name}: {line}"
        if not marker.strip() or Marker(marker.strip()).evaluate():
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_the_lock_pins_every_dependency_within_its_declared_range() -> None:
    pins = locked_versions()
    for text in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {LOCK.name}: run `bash .ci/lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{LOCK.name} pins {name}=={pins[name]}, outside {requirement.specifier}: "
            "run `bash .ci/lock`"
        )
