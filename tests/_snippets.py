"""The Python blocks of README.md and the docs pages, and a runner for one page's blocks.

Imported by ``tests/test_doc_snippets.py``; run as a script (``python tests/_snippets.py
PAGE``) it executes that page's blocks in order in one namespace, in this fresh process,
against a sandbox it starts: :class:`numora.testing.FakeNumora` served on 127.0.0.1, with
``NUMORA_BASE_URL``, ``NUMORA_API_KEY`` and ``NUMORA_WEBHOOK_SECRET`` set as a user would
set them. Nothing else is prepared: a block that needs a client or an import says so itself.

A block opts out with a visible reason on the line before its fence (other HTML comments
may sit in between)::

    <!-- snippet: skip (needs a real Django project) -->
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)[^\n`]*$")
_SKIP = re.compile(r"^[ \t]*<!--\s*snippet:\s*skip\s*\((?P<reason>[^)]*)\)\s*-->\s*$")
_MARK = re.compile(r"<!--\s*snippet\b")


@dataclass(frozen=True)
class Block:
    """One fenced ``python`` block: where it is, its code (dedented), and why it is skipped."""

    page: str  # path relative to the repository root
    line: int  # 1-based line number of the block's first line of code
    code: str
    skip: str | None = None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def pages() -> list[Path]:
    """README.md and every Markdown page of the site, in a stable order."""
    docs = ROOT / "docs"
    found = sorted(p for p in docs.rglob("*.md") if "_hooks" not in p.relative_to(docs).parts)
    return [ROOT / "README.md", *found]


def blocks(text: str, page: str) -> list[Block]:
    """The ``python`` blocks of a Markdown text, in order.

    Fences may be indented (inside a list item or an admonition); the indent is removed.
    A malformed opt-out mark (no reason, or not right before a python fence) raises
    ``ValueError``, so a skip can never be silent.
    """
    lines = text.splitlines()
    found: list[Block] = []
    pending_skip: tuple[int, str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        skip = _SKIP.match(line)
        if skip:
            reason = skip.group("reason").strip()
            if not reason:
                raise ValueError(f"{page}:{i + 1}: a snippet skip needs a reason in (...)")
            pending_skip = (i + 1, reason)
            i += 1
            continue
        if _MARK.search(line):
            raise ValueError(
                f"{page}:{i + 1}: unreadable snippet mark; write <!-- snippet: skip (reason) -->"
            )
        opened = _FENCE_OPEN.match(line)
        if not opened:
            # Other HTML comments (e.g. "<!-- from examples/x.py -->") may sit in between.
            if pending_skip is not None and line.strip() and not line.lstrip().startswith("<!--"):
                raise ValueError(
                    f"{page}:{pending_skip[0]}: a snippet skip mark must be followed by a "
                    "```python block"
                )
            i += 1
            continue
        indent, fence, lang = opened.group("indent"), opened.group("fence"), opened.group("lang")
        close = re.compile(rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}\s*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        if lang == "python":
            reason = pending_skip[1] if pending_skip else None
            found.append(Block(page, i + 2, "\n".join(body) + "\n", reason))
        elif pending_skip is not None:
            raise ValueError(
                f"{page}:{pending_skip[0]}: a snippet skip mark must be followed by a "
                "```python block"
            )
        pending_skip = None
        i = j + 1
    return found


def page_blocks(path: Path) -> list[Block]:
    return blocks(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


def run_page(page: str) -> None:
    """Run one page's blocks in order, in one namespace, against a fresh sandbox."""
    import os

    import httpx

    from numora.testing import FakeNumora

    path = ROOT / page
    todo = [b for b in page_blocks(path) if b.skip is None]
    # processing_delay=0: extraction is over at the next request, so waits end at once and
    # nothing depends on the machine's speed. Webhook deliveries are answered locally: the
    # URLs in the docs (example.com) are never contacted.
    fake = FakeNumora(
        processing_delay=0,
        webhook_transport=httpx.MockTransport(lambda request: httpx.Response(200)),
    )
    with fake.serve() as base_url:
        os.environ["NUMORA_BASE_URL"] = base_url
        os.environ["NUMORA_API_KEY"] = fake.api_key
        os.environ["NUMORA_WEBHOOK_SECRET"] = fake.webhook_secret
        namespace: dict[str, object] = {"__name__": "__main__"}
        for block in todo:
            print(f"--- {block.where}", flush=True)
            # Padded so that a traceback names the page and the line of the Markdown file.
            source = "\n" * (block.line - 1) + block.code
            exec(compile(source, str(path), "exec"), namespace)


if __name__ == "__main__":
    run_page(sys.argv[1])
