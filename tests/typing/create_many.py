"""documents.create_many on each client: what it returns, and that ``for`` / ``async for``
over it type-check (not on the raw views: it is not an HTTP call). Part of the typing suite
(see README.md), checked by mypy --strict and pyright --strict."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from pathlib import Path
from typing import Literal

from typing_extensions import assert_type

from numora import AsyncNumora, BulkOutcome, Numora
from numora.resources.documents import Documents
from numora.types import CreatedDocument, Document


def check_outcome(outcome: BulkOutcome) -> None:
    assert_type(outcome.index, int)
    assert_type(outcome.item, object)
    assert_type(outcome.external_id, str | None)
    assert_type(outcome.result, CreatedDocument | None)
    assert_type(outcome.document, Document | None)
    assert_type(outcome.error, Exception | None)
    assert_type(outcome.ok, bool)
    assert_type(outcome.created, bool)
    assert_type(outcome.status, Literal["created", "existed", "failed"])
    assert_type(outcome.document_id, str | None)


def sync_via_resource(documents: Documents[Numora], paths: list[Path]) -> None:
    outcomes = documents.create_many(paths, schema="invoice_v2", concurrency=4)
    assert_type(outcomes, Generator[BulkOutcome, None, None])
    for outcome in outcomes:
        assert_type(outcome, BulkOutcome)


async def async_via_resource(documents: Documents[AsyncNumora], urls: list[str]) -> None:
    outcomes = documents.create_many(urls, schema="invoice_v2", wait=True, max_retries=3)
    assert_type(outcomes, AsyncGenerator[BulkOutcome, None])
    async for outcome in outcomes:
        assert_type(outcome, BulkOutcome)


async def async_mappings_via_resource(documents: Documents[AsyncNumora]) -> None:
    entries = [{"file_url": "https://files.example/a.pdf", "external_id": "a"}]
    async for outcome in documents.create_many(entries, schema="invoice_v2", timeout=30.0):
        assert_type(outcome, BulkOutcome)


def sync_via_client(client: Numora, paths: list[Path]) -> None:
    outcomes = client.documents.create_many(paths, schema="invoice_v2", concurrency=4)
    assert_type(outcomes, Generator[BulkOutcome, None, None])
    for outcome in outcomes:
        assert_type(outcome, BulkOutcome)


async def async_via_client(client: AsyncNumora, urls: list[str]) -> None:
    outcomes = client.documents.create_many(urls, schema="invoice_v2", deadline=60.0)
    assert_type(outcomes, AsyncGenerator[BulkOutcome, None])
    async for outcome in outcomes:
        assert_type(outcome, BulkOutcome)
