"""Workflows and runs: send a reviewed document through a workflow and read the run's logs.

Shows ``workflows.list`` (auto-paging), ``workflows.dispatch`` (a queued run; not idempotent:
every call is a new run, so the SDK never retries it blindly), ``runs.wait`` until the run
finishes, and the node-level ``runs.logs.list``.

Run it:  python examples/workflows_and_runs.py
Without NUMORA_BASE_URL it uses a local sandbox (which has one workflow); with your
workspace, NUMORA_QUICKSTART_FILE_URL names the file to submit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from numora import Numora

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
    with sandbox_unless_configured(), Numora() as client:
        file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL")
        workflows = list(client.workflows.list())
        print(f"{len(workflows)} workflow(s):")
        for workflow in workflows:
            print(f"  {workflow.id}  {workflow.name!r}  {workflow.status}  v{workflow.version}")
        active = [w for w in workflows if w.status == "active"]
        if not active or file_url is None:
            print("Needs an active workflow and NUMORA_QUICKSTART_FILE_URL to go on.")
            return

        created = client.documents.create(
            schema="invoice_v2", file_url=file_url, external_id="workflow-demo-1"
        )
        doc = client.documents.wait(created.id, until=lambda d: d.needs_review)
        doc = client.documents.approve(doc)  # only reviewed documents can be dispatched
        print(f"document {doc.id} is {doc.status}")

        dispatched = client.workflows.dispatch(active[0].id, document_id=doc.id)
        print(f"run {dispatched.run_id} {dispatched.status} ({dispatched.execution_mode})")

        run = client.runs.wait(dispatched.run_id, deadline=120)
        print(f"run finished: {run.status}")
        if run.error is not None:
            print(f"  error {run.error.code}: {run.error.message}")
        for log in client.runs.logs.list(run.id):
            took = "" if log.duration_ms is None else f" ({log.duration_ms} ms)"
            print(f"  [{log.level or '-'}] {log.node_name or log.node_id}: {log.status}{took}")
            if log.message:
                print(f"      {log.message}")


if __name__ == "__main__":
    main()
