"""Every runnable example runs to the end against the sandbox it starts itself, and prints
what it promises; the quickstart also runs against a configured (non-sandbox) Numora.

Each example is one self-contained file a user can copy anywhere: it needs numora and
nothing of this repository (no shared helper module).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from numora.testing import FakeNumora

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# example -> patterns its output must contain, in this order
EXPECTED: dict[str, list[str]] = {
    "quickstart.py": [
        r"using a local sandbox at http://127\.0\.0\.1:\d+",
        r"1\. Webhook receiver at http://127\.0\.0\.1:\d+/webhooks, registered as \S+",
        r"2\. Submitted \S+, status processing",
        r"3\. Extraction done: review_required",
        r"4\. \d+ fields, \d+ line items",
        r"5\. Approved: reviewed",
        r"6\. Dispatched via workflow: push_pending",
        r"Delivered: push_succeeded",
        r"7\. Webhooks received, each verified",
        r"document\.review_required\s+evt_",
        r"push\.succeeded\s+evt_",
        r"All good\.",
    ],
    "async_bulk_ingest.py": [
        r"first run, stopped halfway: 100 created, 0 already existed, 0 failed",
        r"full run: 100 created, 100 already existed, 0 failed",
    ],
    "review_and_approve.py": [
        r"\[(ok   |check)\] total_amount",
        r"approved \S+: reviewed, \d+ fields confirmed",
        r"stale approval refused: conflict: ",
        r"rejected \S+: failed \(Wrong upload",
    ],
    "external_executor_callback.py": [
        r"dispatched \S+: push_pending via n8n_executor",
        r"recorded attempt (\S+): succeeded -> INV-0042",
        r"sent again \(a retry\): same attempt \S+ -> True",
        r"same execution_id, other data: conflict",
        r"delivery of \S+: push_succeeded",
    ],
    "workflows_and_runs.py": [
        r"1 workflow\(s\):",
        r"run \S+ queued \(queued\)",
        r"run finished: succeeded",
        r"Push to dynamics365: succeeded",
    ],
    "pagination.py": [
        r"all documents: 30",
        r"page 1: 10 documents, next_cursor=\S+",
        r"page 3: 10 documents, next_cursor=None",
        r"receipts only: 5",
        r"resumed after page 1: 20 more documents",
        r"async for: 30 documents",
    ],
}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMORA_")}
    return {**env, **extra}


def run_example(name: str, env: dict[str, str], *, path: Path | None = None) -> str:
    done = subprocess.run(
        [sys.executable, str(path or EXAMPLES / name)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def assert_in_order(output: str, patterns: list[str]) -> None:
    position = 0
    for pattern in patterns:
        found = re.compile(pattern).search(output, position)
        assert found, f"{pattern!r} not found (in order) in:\n{output}"
        position = found.end()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_against_its_own_sandbox(name: str, tmp_path: Path) -> None:
    # Copied alone into an empty directory, as a user would copy it into their project.
    copy = tmp_path / name
    shutil.copy(EXAMPLES / name, copy)

    assert_in_order(run_example(name, _env(), path=copy), EXPECTED[name])


SANDBOX_BLOCK = re.compile(
    r"^# ---- Local sandbox: .*?^# ---- end of the sandbox block -+$", re.MULTILINE | re.DOTALL
)


def test_each_example_imports_only_numora_and_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"numora", "fastapi", "flask", "django"}
    for path in sorted(EXAMPLES.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed | {"__future__"}, f"{path.name} imports {roots}"


def test_the_sandbox_block_is_marked_and_the_same_in_every_example_that_has_one() -> None:
    blocks = {path.name: SANDBOX_BLOCK.findall(path.read_text()) for path in EXAMPLES.glob("*.py")}
    with_block = {name: found for name, found in blocks.items() if found}
    assert set(with_block) == set(EXPECTED)
    assert all(len(found) == 1 for found in with_block.values())
    assert len({found[0] for found in with_block.values()}) == 1, "the sandbox blocks differ"


def test_every_example_is_exercised_and_says_how_to_run_it() -> None:
    runnable = {path.name for path in EXAMPLES.glob("*.py")}
    assert set(EXPECTED) <= runnable
    for name in EXPECTED:
        docstring = ast.get_docstring(ast.parse((EXAMPLES / name).read_text()))
        assert docstring, name
        assert f"python examples/{name}" in docstring, name


@pytest.fixture
def workspace() -> Iterator[dict[str, str]]:
    """A Numora configured by env vars, as a real account is (here a fake served locally)."""
    fake = FakeNumora(processing_delay=0.2)
    with fake.serve() as base_url:
        yield _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)


def test_quickstart_with_credentials_skips_webhooks_and_uses_the_file_url(
    workspace: dict[str, str],
) -> None:
    env = {**workspace, "NUMORA_QUICKSTART_FILE_URL": "https://files.example.com/mine.pdf"}
    output = run_example("quickstart.py", env)
    assert "local sandbox" not in output
    assert_in_order(
        output,
        [
            r"1\. Webhooks skipped: a real Numora cannot reach this machine's localhost",
            r"2\. Submitted \S+, status processing",
            r"5\. Approved: reviewed",
            r"Delivered: push_succeeded",
            r"All good\.",
        ],
    )
    assert "7. Webhooks" not in output


# What changes when the preview shows its internal values (contract §1): `for_review` instead
# of `review_required`, `pending` before `processing`, and null confidences.
PREVIEW_EXPECTED = {
    name: [
        p.replace("done: review_required", "done: for_review").replace(
            "status processing", "status (pending|processing)"
        )
        for p in patterns
    ]
    for name, patterns in EXPECTED.items()
}

# Runs an example with its own sandbox sending the preview's values, as a user would run it.
_WITH_PREVIEW_VALUES = (
    "import functools, runpy, sys; from numora.testing import FakeNumora; "
    "FakeNumora.__init__ = functools.partialmethod(FakeNumora.__init__, preview_values=True); "
    "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


@pytest.mark.parametrize("name", sorted(PREVIEW_EXPECTED))
def test_example_copes_with_the_previews_values(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITH_PREVIEW_VALUES, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=180,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert_in_order(done.stdout, PREVIEW_EXPECTED[name])


def test_quickstart_with_credentials_but_no_file_says_what_to_set(
    workspace: dict[str, str],
) -> None:
    output = run_example("quickstart.py", workspace)
    assert "Set NUMORA_QUICKSTART_FILE_URL" in output
    assert "2. Submitted" not in output
