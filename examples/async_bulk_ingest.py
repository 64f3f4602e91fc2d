"""Bulk ingest: submit hundreds of documents concurrently, safe to run again.

* Bounded concurrency: an ``asyncio.Semaphore`` caps the requests in flight, so a batch of
  thousands never opens thousands of connections (the SDK also retries 429 with its wait).
* One ``external_id`` per document: after a crash, a timeout or a deploy, simply run the
  batch again. Documents already submitted are found, not duplicated;
  ``result.created`` tells which is which. This is also what lets the SDK retry a create
  whose answer was lost.
* A failure is recorded per document; it does not stop the batch.

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

from numora import AsyncNumora, NumoraError

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


def batch(count: int, file_url: str) -> list[tuple[str, str]]:
    """(external_id, file_url) pairs; in real life, rows from your database or a bucket."""
    return [(f"bulk-2026-{n:05d}", file_url) for n in range(count)]


async def ingest(client: AsyncNumora, items: list[tuple[str, str]]) -> Counter[str]:
    """Submit every item, at most CONCURRENCY at a time; count created / existing / failed."""
    limit = asyncio.Semaphore(CONCURRENCY)
    outcomes: Counter[str] = Counter()

    async def submit(external_id: str, file_url: str) -> None:
        async with limit:
            try:
                result = await client.documents.create(
                    schema="invoice_v2", file_url=file_url, external_id=external_id
                )
            except NumoraError as exc:
                outcomes["failed"] += 1
                print(f"  {external_id}: {exc}")
                return
        outcomes["created" if result.created else "already existed"] += 1

    await asyncio.gather(*(submit(external_id, url) for external_id, url in items))
    return outcomes


def report(label: str, outcomes: Counter[str], started: float) -> None:
    counts = ", ".join(f"{outcomes[k]} {k}" for k in ("created", "already existed", "failed"))
    print(f"{label}: {counts} ({time.monotonic() - started:.1f} s)")


async def run(count: int, sandbox: bool) -> None:
    file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL")
    if file_url is None:
        print("Set NUMORA_QUICKSTART_FILE_URL to an https URL of an invoice to go on.")
        return
    items = batch(count, file_url)
    async with AsyncNumora() as client:
        if sandbox:
            started = time.monotonic()
            report("first run, stopped halfway", await ingest(client, items[: count // 2]), started)
        started = time.monotonic()
        report("full run", await ingest(client, items), started)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with sandbox_unless_configured() as sandbox:
        asyncio.run(run(count, sandbox))


if __name__ == "__main__":
    main()
