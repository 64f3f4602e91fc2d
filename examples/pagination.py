"""Pagination: walk every document, page by page, with filters, and resume from a cursor.

List calls return the first page; iterating it yields every item of every page, fetching
the next page only when needed. ``limit`` is the page size, never a total. Filters are sent
again with each page's cursor. Keep ``next_cursor`` to resume later; ``async for`` does the
same on ``AsyncNumora``.

Run it:  python examples/pagination.py
Without NUMORA_BASE_URL it uses a local sandbox and first submits 25 invoices and 5 receipts
to page through; with your workspace it only lists what is already there.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from numora import AsyncNumora, Numora

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


def seed(client: Numora) -> None:
    """Give the sandbox something to list."""
    for n in range(30):
        schema = "receipt_v1" if n % 6 == 5 else "invoice_v2"
        url = f"https://files.example.com/scans/{n:03d}.pdf"
        client.documents.create(schema=schema, file_url=url, external_id=f"page-demo-{n}")


async def count_async() -> int:
    async with AsyncNumora() as client:
        return len([doc async for doc in client.documents.list(limit=50)])


def main() -> None:
    with sandbox_unless_configured() as sandbox, Numora() as client:
        if sandbox:
            seed(client)

        # 1. Every document: iterate; pages are fetched as the loop needs them.
        total = sum(1 for _ in client.documents.list(limit=10))
        print(f"all documents: {total}")

        # 2. Page by page, e.g. to report progress or to commit work per page.
        first = client.documents.list(limit=10)
        for number, page in enumerate(first.iter_pages(), start=1):
            print(f"page {number}: {len(page.data)} documents, next_cursor={page.next_cursor}")

        # 3. Filters stay on every page.
        receipts = [doc.id for doc in client.documents.list(schema="receipt_v1", limit=2)]
        print(f"receipts only: {len(receipts)}")

        # 4. Resume later: store next_cursor (e.g. in your database), pass it back as cursor.
        saved = first.next_cursor
        if saved is not None:
            rest = client.documents.list(limit=10, cursor=saved)
            print(f"resumed after page 1: {sum(1 for _ in rest)} more documents")

        # 5. The same with AsyncNumora.
        print(f"async for: {asyncio.run(count_async())} documents")


if __name__ == "__main__":
    main()
