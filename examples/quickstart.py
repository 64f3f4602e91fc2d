"""Quickstart: one invoice from upload to delivery, with a signed webhook at the end.

Run it:  python examples/quickstart.py

Without NUMORA_BASE_URL it starts a local sandbox (an in-memory Numora served over HTTP) and
walks the real flow: register a webhook receiver, submit a document, wait for extraction,
read the result, approve it, dispatch it, then verify the signed webhooks that arrived.
With NUMORA_BASE_URL and NUMORA_API_KEY set it uses your workspace: NUMORA_QUICKSTART_FILE_URL
names the file to submit (an https URL), and the webhook part is skipped, because your
Numora cannot reach this machine's localhost.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from numora import Numora, webhooks

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


Delivery = tuple[bytes, dict[str, str]]


def start_receiver() -> tuple[str, queue.Queue[Delivery]]:
    """A tiny webhook receiver on 127.0.0.1: each POST's raw body and headers go to a queue."""
    inbox: queue.Queue[Delivery] = queue.Queue()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("content-length", 0)))
            inbox.put((raw_body, dict(self.headers)))
            self.send_response(200)  # acknowledge at once; real work belongs in a queue
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/webhooks", inbox


def main() -> None:
    with sandbox_unless_configured() as sandbox, Numora() as client:
        print(f"Numora quickstart against {client.base_url}")
        file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL")
        inbox: queue.Queue[Delivery] | None = None
        secret = ""
        if sandbox:
            url, inbox = start_receiver()
            endpoint = client.webhook_endpoints.create(url=url, description="quickstart")
            secret = endpoint.secret.get_secret_value()  # shown once: keep it
            print(f"1. Webhook receiver at {url}, registered as {endpoint.id}")
        else:
            print("1. Webhooks skipped: a real Numora cannot reach this machine's localhost")
        if file_url is None:
            print("Set NUMORA_QUICKSTART_FILE_URL to an https URL of an invoice to go on.")
            return

        created = client.documents.create(
            schema="invoice_v2", file_url=file_url, external_id="quickstart-invoice-1"
        )
        note = "" if created.created else " (already there: same external_id)"
        print(f"2. Submitted {created.id}, status {created.status}{note}")

        doc = client.documents.wait(created.id)  # polls until extraction is over
        print(f"3. Extraction done: {doc.status}")
        if not (doc.needs_review or doc.status == "reviewed"):
            print(f"   Nothing to approve in status {doc.status}; stopping here.")
            return

        result = client.documents.retrieve_result(doc.id)
        print(f"4. {len(result.fields)} fields, {len(result.line_items)} line items, e.g.:")
        for name in ("vendor_name", "invoice_number", "total_amount"):
            if name in result.fields:
                field = result.fields[name]
                confidence = field["confidence"]  # 0 to 1, or None when Numora gives none
                shown = f"{confidence:.0%}" if confidence is not None else "n/a"
                print(f"     {name:15} {field['value']!s:18} confidence {shown}")

        if doc.needs_review:
            # expected_updated_at (taken from doc) refuses to approve a version we did not see.
            doc = client.documents.approve(doc)
        print(f"5. Approved: {doc.status}")

        dispatch = client.documents.dispatch(doc.id, provider="dynamics365")
        print(f"6. Dispatched via {dispatch.route}: {dispatch.status}")
        if dispatch.route == "workflow":
            doc = client.documents.wait(doc.id, until=["push_succeeded", "push_failed"])
            print(f"   Delivered: {doc.status}")

        if inbox is not None:
            print("7. Webhooks received, each verified with the endpoint's secret:")
            event_type = ""
            while event_type not in ("push.succeeded", "push.failed"):
                raw_body, headers = inbox.get(timeout=10)
                event = webhooks.unwrap(raw_body, headers, secret)  # raises if forged
                event_type = event.type
                print(f"     {event.type:25} {event.id}")
        print("All good.")


if __name__ == "__main__":
    main()
