"""Bulk ingest: submit hundreds of documents concurrently, safe to run again.

``client.documents.create_many`` does the loop for you:

* Bounded concurrency: at most ``CONCURRENCY`` documents in flight; on 429 the batch sends
  fewer at a time and nothing until ``retry-after`` has passed, then speeds up again.
* One ``external_id`` per document (yours here; files get one derived from their bytes):
  after a crash, a timeout or a deploy, simply run the batch again. Documents already
  submitted are found, not duplicated; ``outcome.created`` tells which is which.
* One outcome per document, as each finishes; a failure is reported in its outcome and does
  not stop the batch. Entries are read lazily: a generator of millions works as well.

Run it:  python examples/async_bulk_ingest.py [COUNT]     (default 200)
Without NUMORA_BASE_URL it uses a local sandbox and runs the batch twice, the first time
"crashing" halfway, to show the rerun. With your workspace it submits COUNT documents from
NUMORA_QUICKSTART_FILE_URL once (each new document uses a processing credit).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from numora import AsyncNumora

# ---- Local sandbox: used only when NUMORA_BASE_URL is unset ----------------------------
# It lets this example run with no account. In your own code, leave this block and the
# `with sandbox_unless_configured(...)` line out: Numora() reads your NUMORA_* settings.


@contextmanager
def sandbox_unless_configured(**options: Any) -> Iterator[bool]:
    """Unless NUMORA_BASE_URL is set, serve a local sandbox and point NUMORA_* at it.

    Yields whether the sandbox is used. The sandbox is ``numora.testing.FakeNumora`` on
    127.0.0.1 (``options`` go to it; documents leave ``processing`` after half a second
    unless ``processing_delay`` says otherwise), stopped when the ``with`` block ends.
    """
    if os.environ.get("NUMORA_BASE_URL"):
        yield False
        return
    from numora.testing import FakeNumora

    fake = FakeNumora(**{"processing_delay": 0.5, **options})
    with fake.serve() as base_url:
        print(f"(NUMORA_BASE_URL is not set: using a local sandbox at {base_url})")
        os.environ["NUMORA_BASE_URL"] = base_url
        os.environ["NUMORA_API_KEY"] = fake.api_key
        # A file for the example to submit; the sandbox never fetches it.
        os.environ.setdefault("NUMORA_QUICKSTART_FILE_URL", "https://files.example.com/0042.pdf")
        yield True


# ---- end of the sandbox block ----------------------------------------------------------


CONCURRENCY = 16


def batch(count: int, file_url: str) -> Iterator[dict[str, str]]:
    """One entry per document; in real life, rows from your database or a bucket listing.

    An entry may also be a local path (``"scans/inv-1.pdf"``), whose ``external_id`` is then
    derived from the file's bytes.
    """
    for n in range(count):
        yield {"file_url": file_url, "external_id": f"bulk-2026-{n:05d}"}


async def ingest(client: AsyncNumora, entries: Iterator[dict[str, str]]) -> Counter[str]:
    """Submit every entry; count created / already existed / failed."""
    outcomes: Counter[str] = Counter()
    async for outcome in client.documents.create_many(
        entries, schema="invoice_v2", concurrency=CONCURRENCY
    ):
        if outcome.error is not None:
            print(f"  {outcome.external_id}: {outcome.error}")
        outcomes[{"existed": "already existed"}.get(outcome.status, outcome.status)] += 1
    return outcomes


def report(label: str, outcomes: Counter[str], started: float) -> None:
    counts = ", ".join(f"{outcomes[k]} {k}" for k in ("created", "already existed", "failed"))
    print(f"{label}: {counts} ({time.monotonic() - started:.1f} s)")


async def run(count: int, sandbox: bool) -> None:
    file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL")
    if file_url is None:
        print("Set NUMORA_QUICKSTART_FILE_URL to an https URL of an invoice to go on.")
        return
    async with AsyncNumora() as client:
        if sandbox:
            started = time.monotonic()
            halfway = batch(count // 2, file_url)
            report("first run, stopped halfway", await ingest(client, halfway), started)
        started = time.monotonic()
        report("full run", await ingest(client, batch(count, file_url)), started)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with sandbox_unless_configured() as sandbox:
        asyncio.run(run(count, sandbox))


if __name__ == "__main__":
    main()
