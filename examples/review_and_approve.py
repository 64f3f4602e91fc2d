"""Review and approve: read an extraction, confirm what was checked, approve safely, or reject.

Shows ``documents.retrieve_result`` (fields with confidences, line items), approving with a
``review_state`` (the fields and line items a reviewer confirmed) and ``expected_updated_at``
(optimistic concurrency: approving a version you did not see is a ``ConflictError``, never a
silent overwrite), and rejecting with a reason.

Run it:  python examples/review_and_approve.py
Without NUMORA_BASE_URL it uses a local sandbox; with NUMORA_BASE_URL and NUMORA_API_KEY it
submits two documents from NUMORA_QUICKSTART_FILE_URL to your workspace.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from numora import ConflictError, Numora
from numora.types import Document, ReviewState

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


CONFIDENT = 0.9  # below this, a reviewer looks at the field before confirming it


def show(client: Numora, doc: Document) -> ReviewState:
    """Print the extraction; return the review state confirming the confident parts."""
    result = client.documents.retrieve_result(doc.id)
    print(f"{doc.id}: {len(result.fields)} fields, overall confidence {result.confidence}")
    confirmed: list[str] = []
    for name, field in result.fields.items():
        sure = (field["confidence"] or 0.0) >= CONFIDENT
        if sure:
            confirmed.append(name)
        mark = "ok   " if sure else "check"
        print(f"  [{mark}] {name:16} {field['value']!s:20} {field['confidence']}")
    return ReviewState(
        version=1,
        confirmed_general_field_names=confirmed,
        confirmed_line_item_ids=[item.id for item in result.line_items],
    )


def main() -> None:
    with sandbox_unless_configured(), Numora() as client:
        file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL")
        if file_url is None:
            print("Set NUMORA_QUICKSTART_FILE_URL to an https URL of an invoice to go on.")
            return
        first, second = (
            client.documents.create(
                schema="invoice_v2", file_url=file_url, external_id=f"review-demo-{n}"
            )
            for n in (1, 2)
        )

        doc = client.documents.wait(first.id, until=lambda d: d.needs_review)
        review_state = show(client, doc)
        # Passing the Document sends its updated_at as expected_updated_at.
        approved = client.documents.approve(doc, review_state=review_state)
        state = approved.review_state
        count = len(state.confirmed_general_field_names) if state else 0
        print(f"approved {approved.id}: {approved.status}, {count} fields confirmed")

        try:  # a second reviewer still holding the old copy
            client.documents.approve(doc)
        except ConflictError as exc:
            print(f"stale approval refused: {exc.code}: {exc.message} ({exc.request_id})")

        doc = client.documents.wait(second.id, until=lambda d: d.needs_review)
        show(client, doc)
        rejected = client.documents.reject(doc, reason="Wrong upload: this is a delivery note")
        print(f"rejected {rejected.id}: {rejected.status} ({rejected.rejection_reason})")


if __name__ == "__main__":
    main()
