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

from _sandbox import Target, connect

from numora import Numora


def seed(client: Numora) -> None:
    """Give the sandbox something to list."""
    for n in range(30):
        schema = "receipt_v1" if n % 6 == 5 else "invoice_v2"
        url = f"https://files.example.com/scans/{n:03d}.pdf"
        client.documents.create(schema=schema, file_url=url, external_id=f"page-demo-{n}")


async def count_async(target: Target) -> int:
    async with target.async_client() as client:
        return len([doc async for doc in client.documents.list(limit=50)])


def main() -> None:
    with connect() as target, target.client() as client:
        if target.is_sandbox:
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
        print(f"async for: {asyncio.run(count_async(target))} documents")


if __name__ == "__main__":
    main()
