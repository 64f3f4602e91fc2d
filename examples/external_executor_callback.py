"""External executor callback: report a delivery made outside Numora (e.g. by n8n).

When a dispatch answers ``route="n8n_executor"``, Numora does not push the document itself:
your executor creates the record in the destination, then reports the attempt with
``client.documents.delivery.record(...)``. That call is idempotent on ``execution_id``: the
executor can safely send it again after a timeout and gets the same attempt back, while the
same ``execution_id`` with other data is a ``ConflictError``.

Run it:  python examples/external_executor_callback.py
Without NUMORA_BASE_URL it uses a local sandbox that routes dispatches to an external
executor; with your workspace, NUMORA_QUICKSTART_FILE_URL names the file to submit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from numora import ConflictError, Numora
from numora.types import DeliveryAttempt

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


def main() -> None:
    # The sandbox routes dispatches to an external executor, as a workspace using n8n does.
    with sandbox_unless_configured(dispatch_route="n8n_executor"), Numora() as client:
        file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL")
        if file_url is None:
            print("Set NUMORA_QUICKSTART_FILE_URL to an https URL of an invoice to go on.")
            return
        created = client.documents.create(
            schema="invoice_v2", file_url=file_url, external_id="executor-demo-1"
        )
        doc = client.documents.wait(created.id, until=lambda d: d.needs_review)
        doc = client.documents.approve(doc)
        dispatch = client.documents.dispatch(doc.id, provider="dynamics365")
        print(f"dispatched {doc.id}: {dispatch.status} via {dispatch.route}")
        if dispatch.route != "n8n_executor":
            print("Numora completes this route itself: no executor callback needed.")
            return

        # --- the executor's side: it created record 'INV-0042' in Dynamics 365, now reports ---
        execution_id = f"n8n-exec-{doc.id}-1"  # one id per attempt, reused on every retry
        attempted_at = datetime.now(timezone.utc)

        def report() -> DeliveryAttempt:
            return client.documents.delivery.record(
                doc.id,
                provider="dynamics365",
                status="succeeded",
                execution_id=execution_id,
                attempted_at=attempted_at,
                external_record_id="INV-0042",
                external_url="https://contoso.crm.dynamics.com/main.aspx?id=INV-0042",
            )

        attempt = report()
        print(f"recorded attempt {attempt.id}: {attempt.status} -> {attempt.external_record_id}")
        again = report()  # e.g. the executor timed out waiting for the answer and retried
        print(f"sent again (a retry): same attempt {again.id} -> {again.id == attempt.id}")

        try:
            client.documents.delivery.record(
                doc.id,
                provider="dynamics365",
                status="failed",
                execution_id=execution_id,
                attempted_at=datetime.now(timezone.utc),
                error_code="timeout",
            )
        except ConflictError as exc:
            print(f"same execution_id, other data: {exc.code} ({exc.message})")

        delivery = client.documents.delivery.retrieve(doc.id)
        print(f"delivery of {delivery.document_id}: {delivery.status}")
        for item in delivery.attempts:
            print(f"  {item.execution_id}  {item.status}  {item.external_record_id}")


if __name__ == "__main__":
    main()
