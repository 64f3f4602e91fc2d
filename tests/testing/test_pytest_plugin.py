"""The pytest plugin: its fixtures, under anyio and pytest-asyncio, and in a bare project."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "testing.md"

USES_EVERY_FIXTURE = """
import pytest
import numora
from numora import webhooks
from numora.testing import FakeNumora

seen = {}


def test_fixtures(numora_fake, numora_client, numora_webhook_secret):
    assert isinstance(numora_fake, FakeNumora)
    doc = numora_client.documents.create(schema="invoice_v2", file_url="https://f.example/a.pdf")
    assert numora_fake.document(doc.id)["status"] == "processing"
    signed = numora_fake.signed_events[-1]
    assert webhooks.unwrap(signed.body, signed.headers, numora_webhook_secret).type == (
        "document.processing"
    )
    seen["fake"], seen["client"] = numora_fake, numora_client


def test_each_test_gets_a_fresh_fake_and_the_last_client_was_closed(numora_fake):
    assert numora_fake is not seen["fake"]
    assert numora_fake.events == []
    with pytest.raises(RuntimeError):  # numora.ClientClosedError is a RuntimeError
        seen["client"].schemas.list()


@pytest.mark.numora_fake(processing_delay=30)
def test_the_marker_configures_the_fake(numora_client):
    doc = numora_client.documents.create_and_wait(
        schema="invoice_v2", file_url="https://f.example/a.pdf"
    )
    assert doc.status == "review_required"


@pytest.mark.{marker}
async def test_async_client(async_numora_client, numora_fake):
    page = await async_numora_client.schemas.list()
    assert "invoice_v2" in [schema.id for schema in page.data]
    seen["async"] = async_numora_client


def test_the_async_client_was_closed():
    assert seen["async"]._http.is_closed
"""


def test_fixtures_under_anyio(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USES_EVERY_FIXTURE.replace("{marker}", "anyio"))
    result = pytester.runpytest_subprocess("-p", "no:asyncio", "--strict-markers", "-W", "error")
    result.assert_outcomes(passed=5)


def test_fixtures_under_pytest_asyncio(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(USES_EVERY_FIXTURE.replace("{marker}", "asyncio"))
    result = pytester.runpytest_subprocess("-p", "no:anyio", "--strict-markers", "-W", "error")
    result.assert_outcomes(passed=5)


def test_a_conftest_can_override_the_fake(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
import pytest
from numora.testing import FakeNumora

@pytest.fixture
def numora_fake():
    return FakeNumora(preview_values=True)
"""
    )
    pytester.makepyfile(
        """
def test_preview(numora_client):
    created = numora_client.documents.create(schema="invoice_v2", file_url="https://f.example/a.pdf")
    assert created.status == "pending"
"""
    )
    pytester.runpytest_subprocess("-p", "no:asyncio").assert_outcomes(passed=1)


def test_the_marker_takes_keywords_only(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.numora_fake(0)
def test_it(numora_fake):
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:asyncio")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes FakeNumora keyword arguments only*"])


def test_importing_numora_or_the_fake_does_not_import_pytest() -> None:
    code = (
        "import sys, numora, numora.testing; numora.testing.FakeNumora().client().close(); "
        "assert 'pytest' not in sys.modules and '_pytest' not in sys.modules; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_loading_the_plugin_imports_nothing_of_the_sdk() -> None:
    code = (
        "import sys, pytest, numora.testing.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.startswith(('numora', 'httpx', 'pydantic'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == (
        "['numora', 'numora._version', 'numora.testing', 'numora.testing.pytest_plugin']"
    ), result.stderr


# --- a project that only did `pip install numora pytest` --------------------------------


def _needed(names: list[str]) -> set[str]:
    """The distributions ``names`` need at run time (no extras), by name, transitively."""
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        found.add(key)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return found


def _bare_site(target: Path) -> Path:
    """A site directory with numora (this checkout), pytest and what they need; nothing else.

    Each distribution is linked in from this environment with its metadata, so entry points
    (pytest11 plugins) are exactly those of a fresh ``pip install numora pytest``.
    """
    site = target / "site"
    site.mkdir()
    for key in sorted(_needed(["numora", "pytest"]) - {"numora"}):
        dist = importlib.metadata.distribution(key)
        tops = {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}
        for top in tops - {"__pycache__"}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (site / top).exists():
                (site / top).symlink_to(source)
    numora = importlib.metadata.distribution("numora")
    info = site / f"numora-{numora.version}.dist-info"
    info.mkdir()
    info.joinpath("METADATA").write_text(numora.read_text("METADATA") or "", encoding="utf-8")
    entry_points = numora.read_text("entry_points.txt") or ""
    info.joinpath("entry_points.txt").write_text(entry_points, encoding="utf-8")
    (site / "numora").symlink_to(ROOT / "src" / "numora")
    return site


def _guide_example() -> str:
    """The copyable example test of the testing guide's pytest section."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## With pytest", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_guide_example_passes_in_a_project_with_only_numora_and_pytest(
    tmp_path: Path,
) -> None:
    site = _bare_site(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_invoices.py").write_text(_guide_example(), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(site), "HOME": str(tmp_path)}
    result = subprocess.run(
        # -S: no site-packages, so only the bare site's distributions (and their plugins) exist
        [sys.executable, "-S", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ passed", result.stdout, re.MULTILINE), result.stdout
    plugins = subprocess.run(
        [sys.executable, "-S", "-c", _LIST_PLUGINS],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert plugins.stdout.split() == ["anyio", "numora"], plugins.stderr


_LIST_PLUGINS = (
    "import importlib.metadata as m; "
    "print(*sorted(e.name for e in m.entry_points(group='pytest11')))"
)
