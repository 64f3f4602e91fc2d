"""Realistic bodies for the benchmark: what the API sends, with values that vary like real data.

Every document has 15 fields: the 11 of the contract (``id``, ``schema``, ``status``,
``external_id``, ``metadata``, ``created_at``, ``updated_at``, ``review_state``,
``duplicate_of``, ``failure``, ``rejection_reason``) and 4 that a server adds before an SDK
knows them (``file_name``, ``content_type``, ``page_count``, ``source``), which numora keeps.
Ids, external ids, timestamps, statuses, metadata and review states differ from one document
to the next, so neither side gains from caching repeated strings (pydantic-core caches short
strings; ``json.loads`` memoizes only keys).

A result has 10 document-level fields and N line items of 8 ``{value, confidence}`` fields
with varied values and confidences (some ``null``, which the contract allows).

Everything is seeded: both sides of every measure parse the same bytes, run after run.
"""

from __future__ import annotations

import json
import random
from typing import Any

__all__ = ["DOC_ID", "PAGE_SIZE", "document", "dumps", "page", "result"]

PAGE_SIZE = 100
DOC_ID = "doc_01jpwq8x4r2m3n5v7b9c1d3f"

_STATUSES = ["review_required"] * 5 + ["reviewed"] * 3 + ["push_succeeded", "processing", "failed"]
_CUSTOMERS = ["Fabrikam GmbH", "Contoso Ltd", "Northwind Traders", "Tailspin Toys", "Litware Inc"]
_SOURCES = ["scanner-3", "email-inbox", "sftp-nightly", "api", "portal-upload"]
_DESCRIPTIONS = [
    "Consulting services",
    "Travel expenses",
    "Software licence (annual)",
    "Hardware: docking station",
    "Support retainer",
    "Training workshop",
    "Cloud hosting",
    "Office supplies",
]
_UNITS = ["hours", "pcs", "days", "months", "licences"]


def dumps(body: object) -> bytes:
    """Compact JSON bytes, as the API sends them."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _stamp(rng: random.Random, day: int) -> str:
    return (
        f"2026-03-{1 + day % 28:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
        f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z"
    )


def document(n: int) -> dict[str, Any]:
    """Document number ``n`` as ``GET /v1/documents/{id}`` returns it (15 fields)."""
    rng = random.Random(n)  # noqa: S311  (seeded test data, not secrets)
    status = _STATUSES[rng.randrange(len(_STATUSES))]
    reviewed = status in ("reviewed", "push_succeeded")
    day = rng.randrange(27)
    return {
        "id": f"doc_{rng.getrandbits(96):024x}",
        "schema": "invoice_v2",
        "status": status,
        "external_id": f"inv-2026-{n:06d}",
        "metadata": {
            "customer": _CUSTOMERS[rng.randrange(len(_CUSTOMERS))],
            "batch": rng.randrange(1, 500),
            "cost_center": f"CC-{rng.randrange(1000, 9999)}",
            "priority": rng.random() < 0.2,
        },
        "created_at": _stamp(rng, day),
        "updated_at": _stamp(rng, day + 1),
        "review_state": (
            {
                "version": 1,
                "confirmed_general_field_names": ["invoice_number", "invoice_date", "gross_total"],
                "confirmed_line_item_ids": [f"li_{i}" for i in range(1, rng.randrange(2, 6))],
            }
            if reviewed
            else None
        ),
        "duplicate_of": None,
        "failure": (
            {"code": "unreadable_file", "message": "The file could not be read."}
            if status == "failed"
            else None
        ),
        "rejection_reason": None,
        "file_name": f"scan_{n:06d}_{rng.getrandbits(32):08x}.pdf",
        "content_type": "application/pdf",
        "page_count": rng.randrange(1, 12),
        "source": _SOURCES[rng.randrange(len(_SOURCES))],
    }


def page(number: int, pages: int) -> dict[str, Any]:
    """Page ``number`` (0-based) of ``pages``: 100 documents and the next cursor."""
    start = number * PAGE_SIZE
    return {
        "data": [document(start + i) for i in range(PAGE_SIZE)],
        "next_cursor": f"cur_{number + 1:06d}" if number + 1 < pages else None,
    }


def _field(rng: random.Random, value: Any) -> dict[str, Any]:
    # About one value in twenty has no confidence (null), as the contract allows.
    confidence = None if rng.random() < 0.05 else round(rng.uniform(0.55, 0.999), 3)
    return {"value": value, "confidence": confidence}


def result(line_items: int) -> dict[str, Any]:
    """A ``DocumentResult``: 10 document-level fields and ``line_items`` varied line items."""
    rng = random.Random(line_items)  # noqa: S311
    items = []
    net = 0.0
    for i in range(1, line_items + 1):
        quantity = rng.randrange(1, 40)
        price = round(rng.uniform(5, 900), 2)
        amount = round(quantity * price, 2)
        net += amount
        items.append(
            {
                "id": f"li_{i}",
                "fields": {
                    "description": _field(
                        rng, f"{_DESCRIPTIONS[rng.randrange(len(_DESCRIPTIONS))]}, ref {i:05d}"
                    ),
                    "quantity": _field(rng, quantity),
                    "unit_price": _field(rng, price),
                    "amount": _field(rng, amount),
                    "sku": _field(rng, f"SKU-{rng.randrange(100000):05d}"),
                    "tax_rate": _field(rng, rng.choice([0.19, 0.07, 0.0])),
                    "unit": _field(rng, _UNITS[rng.randrange(len(_UNITS))]),
                    "discount": _field(rng, None if rng.random() < 0.8 else 0.05),
                },
            }
        )
    net = round(net, 2)
    tax = round(net * 0.19, 2)
    fields = {
        "invoice_number": _field(rng, "INV-2026-004217"),
        "invoice_date": _field(rng, "2026-03-21"),
        "due_date": _field(rng, "2026-04-20"),
        "vendor_name": _field(rng, "Contoso Ltd"),
        "vendor_vat_id": _field(rng, "DE123456789"),
        "customer_name": _field(rng, "Fabrikam GmbH"),
        "currency": _field(rng, "EUR"),
        "net_total": _field(rng, net),
        "tax_total": _field(rng, tax),
        "gross_total": _field(rng, round(net + tax, 2)),
    }
    return {
        "id": DOC_ID,
        "schema": "invoice_v2",
        "status": "review_required",
        "review_state": None,
        "confidence": 0.91,
        "fields": fields,
        "line_items": items,
        "duplicate_of": None,
    }
