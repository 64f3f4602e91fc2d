"""Measure ``DocumentResult.from_json`` against ``json.loads`` on a large result.

Usage::

    python scripts/bench_result_parse.py [--line-items 1000] [--rounds 20]

The result has ~10 document-level fields and N line items of 8 ``{value, confidence}`` fields.
Budget: about 1.2x ``json.loads``. Timings are the best of interleaved rounds, which is
stable on a busy machine; the ratio, not the milliseconds, is what to compare.
"""

from __future__ import annotations

import argparse
import json
import timeit
from collections.abc import Callable
from typing import Any

from numora.types import DocumentResult

LINE_FIELDS: list[tuple[str, Any]] = [
    ("description", "Consulting services, March"),
    ("quantity", 3),
    ("unit_price", 12.5),
    ("amount", 37.5),
    ("sku", "SKU-0042"),
    ("tax_rate", 0.19),
    ("unit", "hours"),
    ("discount", None),
]


def field(value: Any) -> dict[str, Any]:
    return {"value": value, "confidence": 0.93}


def payload(line_items: int) -> bytes:
    """A ``DocumentResult`` body as the API would send it."""
    document_fields = {
        "invoice_number": field("INV-2026-0001"),
        "invoice_date": field("2026-03-21"),
        "due_date": field("2026-04-20"),
        "vendor_name": field("Contoso Ltd"),
        "vendor_vat_id": field("DE123456789"),
        "customer_name": field("Fabrikam GmbH"),
        "currency": field("EUR"),
        "net_total": field(37500.0),
        "tax_total": field(7125.0),
        "gross_total": field(44625.0),
    }
    items = [
        {"id": f"li_{i}", "fields": {name: field(value) for name, value in LINE_FIELDS}}
        for i in range(1, line_items + 1)
    ]
    body = {
        "id": "doc_01jpwq8x4r2m3n",
        "schema": "invoice_v2",
        "status": "review_required",
        "review_state": None,
        "confidence": 0.91,
        "fields": document_fields,
        "line_items": items,
        "duplicate_of": None,
    }
    return json.dumps(body).encode()


def best(fn: Callable[[], object], rounds: int) -> float:
    return min(timeit.repeat(fn, number=5, repeat=rounds)) / 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--line-items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    raw = payload(args.line_items)
    baseline, model = float("inf"), float("inf")
    for _ in range(args.rounds):
        baseline = min(baseline, best(lambda: json.loads(raw), 3))
        model = min(model, best(lambda: DocumentResult.from_json(raw), 3))
    print(f"payload: {len(raw) / 1024:.0f} KiB, {args.line_items} line items")
    print(f"json.loads:               {baseline * 1e3:7.2f} ms")
    print(f"DocumentResult.from_json: {model * 1e3:7.2f} ms")
    print(f"ratio:                    {model / baseline:7.2f}x")


if __name__ == "__main__":
    main()
