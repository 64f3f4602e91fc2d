"""Every ```python block of README.md and of the docs site runs, as printed, against the sandbox.

Each page runs in a fresh process (``tests/_snippets.py``): its blocks in order, sharing one
namespace, against a :class:`numora.testing.FakeNumora` served on 127.0.0.1 with
``NUMORA_BASE_URL`` and ``NUMORA_API_KEY`` set, as a reader would have them. A page that needs
a client or an import shows it in a block of its own. Documents finish extraction at the next
request (``processing_delay=0``), so no block waits on the clock and nothing depends on the
machine's speed.

A block opts out only with a visible reason right before it
(``<!-- snippet: skip (why) -->``); each opt-out is listed as a skipped test with its reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from _snippets import ROOT, Block, blocks, page_blocks, pages

RUNNER = Path(__file__).resolve().parent / "_snippets.py"

# Pages other work is rewriting right now: each runs, and is expected to fail until the
# reason below is fixed (strict: once a page passes, remove it here).
PENDING: dict[str, str] = {}


def _runnable(path: Path) -> bool:
    return any(block.skip is None for block in page_blocks(path))


PAGES = [p.relative_to(ROOT).as_posix() for p in pages() if _runnable(p)]
SKIPPED = [b for p in pages() for b in page_blocks(p) if b.skip is not None]


def _marks(page: str) -> list[pytest.MarkDecorator]:
    reason = PENDING.get(page)
    return [pytest.mark.xfail(reason=f"pending: {reason}", strict=True)] if reason else []


@pytest.mark.parametrize("page", [pytest.param(p, marks=_marks(p)) for p in PAGES])
def test_every_python_block_of_the_page_runs(page: str, tmp_path: Path) -> None:
    # The installed numora (an editable install, or the wheel under test), as users run it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMORA_")}
    done = subprocess.run(
        [sys.executable, str(RUNNER), page],
        cwd=tmp_path,  # a block that writes a file writes it here
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{page}: a block failed\n{done.stdout[-3000:]}{done.stderr}"


@pytest.mark.parametrize("block", SKIPPED, ids=[b.where for b in SKIPPED])
def test_opted_out_block(block: Block) -> None:
    pytest.skip(f"{block.where}: {block.skip}")


def test_every_pending_page_exists() -> None:
    missing = [page for page in PENDING if page not in PAGES]
    assert not missing, f"remove from PENDING (no runnable blocks): {missing}"


# --- the extractor ------------------------------------------------------------------------


def test_blocks_are_found_in_order_with_the_line_of_their_code() -> None:
    text = (
        "# Page\n"
        "\n"
        "```python\n"
        "a = 1\n"
        "```\n"
        "\n"
        "```bash\n"
        "echo no\n"
        "```\n"
        "- item:\n"
        "\n"
        "    ```python\n"
        "    b = a + 1\n"
        "    ```\n"
    )

    found = blocks(text, "page.md")

    assert [(b.line, b.code) for b in found] == [(4, "a = 1\n"), (13, "b = a + 1\n")]
    assert all(b.skip is None for b in found)


def test_a_skip_mark_applies_to_the_next_python_block_with_its_reason() -> None:
    text = (
        "<!-- snippet: skip (needs a Django project) -->\n"
        "```python\n"
        "import myproject\n"
        "```\n"
        "```python\n"
        "ok = True\n"
        "```\n"
    )

    first, second = blocks(text, "page.md")

    assert first.skip == "needs a Django project"
    assert second.skip is None


def test_other_comments_may_sit_between_a_skip_mark_and_its_block() -> None:
    text = "<!-- snippet: skip (a fragment) -->\n<!-- from examples/x.py -->\n```python\nx\n```\n"

    (block,) = blocks(text, "page.md")

    assert block.skip == "a fragment"


@pytest.mark.parametrize(
    "text",
    [
        "<!-- snippet: skip () -->\n```python\nx = 1\n```\n",
        "<!-- snippet: skip -->\n```python\nx = 1\n```\n",
        "<!-- snippet: skip (why) -->\nSome prose.\n```python\nx = 1\n```\n",
        "<!-- snippet: skip (why) -->\n```bash\nls\n```\n",
        "<!-- snippet: skipped because -->\n```python\nx = 1\n```\n",
    ],
    ids=["empty-reason", "no-reason", "not-before-a-block", "not-python", "misspelled"],
)
def test_a_skip_mark_without_a_reason_or_a_block_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="snippet"):
        blocks(text, "page.md")


def test_the_runner_names_the_page_and_line_of_a_failing_block(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\nfrom numora import Numora\n```\n\n```python\n1 / 0\n```\n")
    code = (
        "import sys, _snippets; _snippets.ROOT = _snippets.Path(sys.argv[1]); "
        "_snippets.run_page('page.md')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMORA_")}
    env["PYTHONPATH"] = str(RUNNER.parent)

    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )

    assert done.returncode != 0
    assert f'File "{page}", line 6' in done.stderr
    assert "ZeroDivisionError" in done.stderr
