"""The schema catalog the fake serves, and the deterministic extraction it generates."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from ._wire import JSON

SCHEMA_LABELS: dict[str, str] = {
    "invoice_v2": "Invoice",
    "receipt_v1": "Receipt",
    "contract_v1": "Contract",
}

# The message is the one the conventions page shows for an unknown schema.
INVALID_SCHEMA_MESSAGE = "schema must be one of invoice_v2, receipt_v1, contract_v1"

# (name, type, required, description)
_Field = tuple[str, str, bool, str]

_FIELDS: dict[str, tuple[list[_Field], list[_Field]]] = {
    "invoice_v2": (
        [
            ("vendor_name", "string", True, "Name of the issuing vendor"),
            ("invoice_number", "string", True, "Invoice number as printed"),
            ("invoice_date", "date", True, "Date of issue"),
            ("due_date", "date", False, "Payment due date"),
            ("currency", "string", True, "ISO 4217 currency code"),
            ("subtotal_amount", "number", False, "Total before tax"),
            ("tax_amount", "number", False, "Total tax"),
            ("total_amount", "number", True, "Amount due"),
        ],
        [
            ("description", "string", True, "Line description"),
            ("quantity", "number", False, "Quantity"),
            ("unit_price", "number", False, "Price per unit"),
            ("amount", "number", True, "Line total"),
        ],
    ),
    "receipt_v1": (
        [
            ("merchant_name", "string", True, "Name of the merchant"),
            ("transaction_date", "date", True, "Date of purchase"),
            ("currency", "string", True, "ISO 4217 currency code"),
            ("total_amount", "number", True, "Amount paid"),
            ("payment_method", "string", False, "Card, cash, ..."),
        ],
        [
            ("description", "string", True, "Item description"),
            ("amount", "number", True, "Item total"),
        ],
    ),
    "contract_v1": (
        [
            ("party_a", "string", True, "First contracting party"),
            ("party_b", "string", True, "Second contracting party"),
            ("effective_date", "date", True, "Date the contract takes effect"),
            ("expiration_date", "date", False, "Date the contract ends"),
            ("governing_law", "string", False, "Jurisdiction"),
            ("contract_value", "number", False, "Total value"),
        ],
        [],
    ),
}

_VENDORS = ["Acme Supplies GmbH", "Globex Ltd", "Initech LLC", "Umbrella Corp", "Stark Parts"]
_ITEMS = ["Consulting hours", "Office chairs", "Printer toner", "Cloud hosting", "Travel"]


def schema_summary(schema_id: str) -> JSON:
    return {"id": schema_id, "label": SCHEMA_LABELS[schema_id], "status": "active"}


def schema_detail(schema_id: str) -> JSON:
    fields, line_fields = _FIELDS[schema_id]

    def render(rows: list[_Field]) -> list[JSON]:
        return [{"name": n, "type": t, "required": r, "description": d} for n, t, r, d in rows]

    return {
        **schema_summary(schema_id),
        "fields": render(fields),
        "line_item_fields": render(line_fields),
    }


_CHOICES = {
    "currency": ["EUR", "USD", "GBP"],
    "payment_method": ["card", "cash"],
    "governing_law": ["Germany", "England and Wales", "New York"],
    "description": _ITEMS,
}


def _value(name: str, kind: str, rng: random.Random) -> Any:
    if kind == "number":
        return round(rng.uniform(10, 5000), 2)
    if kind == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if name.endswith("_number"):
        return f"INV-{rng.randint(10000, 99999)}"
    return rng.choice(_CHOICES.get(name, _VENDORS))


def field_value(value: Any, confidence: float | None = 0.99) -> JSON:
    return {"value": value, "confidence": confidence}


def generate(
    document_id: str, schema_id: str, *, null_optional: bool = False
) -> tuple[JSON, list[JSON]]:
    """Fields and line items for a document, the same every time for the same id.

    ``null_optional``: the fields the schema does not require get ``confidence: null`` (the
    contract allows it; the preview sends it).
    """
    seed = int.from_bytes(hashlib.sha256(document_id.encode()).digest()[:8], "big")
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    fields, line_fields = _FIELDS.get(schema_id, _FIELDS["invoice_v2"])

    def conf(required: bool) -> float | None:
        score = round(rng.uniform(0.8, 0.99), 2)  # drawn always: the values stay the same
        return None if null_optional and not required else score

    values = {
        name: field_value(_value(name, kind, rng), conf(required))
        for name, kind, required, _ in fields
    }
    items: list[JSON] = []
    for index in range(1, 3 if line_fields else 1):
        item = {
            name: field_value(_value(name, kind, rng), conf(required))
            for name, kind, required, _ in line_fields
        }
        if "quantity" in item:
            item["quantity"]["value"] = rng.randint(1, 10)
            item["unit_price"]["value"] = round(rng.uniform(5, 500), 2)
            item["amount"]["value"] = round(
                item["quantity"]["value"] * item["unit_price"]["value"], 2
            )
        items.append({"id": f"li_{index}", "fields": item})
    _add_up(values, items)
    return values, items


def _add_up(values: JSON, items: list[JSON]) -> None:
    """Make totals agree with the lines (and due dates follow invoice dates)."""
    if not items:
        return
    lines = round(sum(item["fields"]["amount"]["value"] for item in items), 2)
    if "subtotal_amount" in values:
        tax = round(lines * 0.19, 2)
        values["subtotal_amount"]["value"] = lines
        values["tax_amount"]["value"] = tax
        values["total_amount"]["value"] = round(lines + tax, 2)
        issued = values["invoice_date"]["value"]
        values["due_date"]["value"] = issued[:8] + "28" if issued[8:] < "28" else issued
    elif "total_amount" in values:
        values["total_amount"]["value"] = lines


def normalize_fields(fields: dict[str, Any]) -> JSON:
    """Accept ``{name: value}`` or ``{name: {"value": ..., "confidence": ...}}``."""
    out: JSON = {}
    for name, raw in fields.items():
        if isinstance(raw, dict) and set(raw) == {"value", "confidence"}:
            out[name] = dict(raw)
        else:
            out[name] = field_value(raw)
    return out


def normalize_line_items(items: list[Any]) -> list[JSON]:
    """Accept field dicts or ``{"id": ..., "fields": ...}`` items; ids default to ``li_N``."""
    out: list[JSON] = []
    for index, raw in enumerate(items, start=1):
        if isinstance(raw, dict) and set(raw) <= {"id", "fields"} and "fields" in raw:
            item_id = str(raw.get("id") or f"li_{index}")
            out.append({"id": item_id, "fields": normalize_fields(raw["fields"])})
        else:
            out.append({"id": f"li_{index}", "fields": normalize_fields(dict(raw))})
    return out


def overall_confidence(fields: JSON, items: list[JSON]) -> float | None:
    values = [*fields.values(), *(v for item in items for v in item["fields"].values())]
    scores = [v["confidence"] for v in values if isinstance(v.get("confidence"), (int, float))]
    return round(min(scores), 2) if scores else None
