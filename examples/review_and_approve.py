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

from _sandbox import connect

from numora import ConflictError, Numora
from numora.types import Document, ReviewState

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
    with connect() as target, target.client() as client:
        if target.file_url is None:
            print("Set NUMORA_QUICKSTART_FILE_URL to an https URL of an invoice to go on.")
            return
        first, second = (
            client.documents.create(
                schema="invoice_v2", file_url=target.file_url, external_id=f"review-demo-{n}"
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
