"""Document and run transitions, each emitting the event the contract documents.

Every function here expects ``backend.lock`` to be held by the caller.
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import _catalog
from ._backend import Backend
from ._events import document_data, emit, push_data
from ._state import Doc, Run
from ._wire import JSON, iso_ms, new_id, parse_iso

REVIEWED_OR_LATER = ("reviewed", "push_pending", "push_failed", "push_succeeded")


def touch(data: JSON, at: float) -> None:
    """Move ``updated_at`` to ``at``, always forward, so every change is visible to
    ``expected_updated_at`` even when the fake clock stands still."""
    previous = parse_iso(data.get("updated_at"))
    if previous is not None and round(at, 3) <= round(previous, 3):
        at = previous + 0.001
    data["updated_at"] = iso_ms(at)


def set_status(
    backend: Backend, doc: Doc, status: str, at: float, event: str | None = None
) -> None:
    doc.data["status"] = status
    touch(doc.data, at)
    if event:
        emit(backend, event, document_data(doc), at)


def new_document(
    backend: Backend, schema: str, external_id: str | None, metadata: JSON, at: float
) -> Doc:
    doc_id = new_id("doc")
    stamp = iso_ms(at)
    data: JSON = {
        "id": doc_id,
        "schema": schema,
        "status": "processing",
        "external_id": external_id,
        "metadata": metadata,
        "created_at": stamp,
        "updated_at": stamp,
        "review_state": None,
        "duplicate_of": None,
        "failure": None,
        "rejection_reason": None,
    }
    delay = backend.config.processing_delay
    doc = Doc(
        data=data, seq=backend.state.next_seq(), ready_at=None if delay is None else at + delay
    )
    backend.state.documents[doc_id] = doc
    emit(backend, "document.processing", document_data(doc), at)
    return doc


def finish_processing(
    backend: Backend,
    doc: Doc,
    at: float,
    fields: dict[str, Any] | None = None,
    line_items: list[Any] | None = None,
) -> None:
    generated_fields, generated_items = _catalog.generate(doc.data["id"], doc.data["schema"])
    doc.fields = generated_fields if fields is None else _catalog.normalize_fields(fields)
    doc.line_items = (
        generated_items if line_items is None else _catalog.normalize_line_items(line_items)
    )
    doc.ready_at = None
    set_status(backend, doc, "review_required", at, "document.review_required")


def fail_processing(backend: Backend, doc: Doc, at: float, code: str, message: str) -> None:
    doc.ready_at = None
    doc.data["failure"] = {"code": code, "message": message}
    set_status(backend, doc, "failed", at)


def result(doc: Doc) -> JSON:
    fields = doc.fields or {}
    items = doc.line_items or []
    data = doc.data
    return {
        "id": data["id"],
        "schema": data["schema"],
        "status": data["status"],
        "review_state": data["review_state"],
        "confidence": _catalog.overall_confidence(fields, items),
        "fields": fields,
        "line_items": items,
        "duplicate_of": data["duplicate_of"],
    }


def start_push(backend: Backend, doc: Doc, provider: str, at: float) -> str | None:
    """Put a reviewed (or failed-push) document on its delivery route; the run id, if any."""
    doc.provider = provider
    doc.route = backend.config.route_for(provider)
    doc.run_id = None
    set_status(backend, doc, "push_pending", at)
    if doc.route != "workflow":
        return None
    run = queue_run(backend, backend.push_workflow_id, doc.data["id"], at, push=True)
    doc.run_id = run.data["id"]
    return doc.run_id


def queue_run(
    backend: Backend, workflow_id: str, document_id: str, at: float, *, push: bool
) -> Run:
    delay = backend.config.push_delay
    data: JSON = {
        "id": new_id("run"),
        "workflow_id": workflow_id,
        "document_id": document_id,
        "status": "queued",
        "outcome": None,
        "error": None,
        "created_at": iso_ms(at),
        "started_at": None,
        "finished_at": None,
    }
    run = Run(
        data=data,
        seq=backend.state.next_seq(),
        logs=[],
        due=None if delay is None else at + delay,
        outcome=backend.config.push_outcome,
        push_document=document_id if push else None,
    )
    backend.state.runs[data["id"]] = run
    return run


def _log(node: int, name: str, status: str, message: str, at: float) -> JSON:
    # The fake runs a workflow in no time: every node starts and ends at the run's due time.
    return {
        "id": new_id("log"),
        "node_id": f"node_{node}",
        "node_name": name,
        "status": status,
        "level": "error" if status == "failed" else "info",
        "message": message,
        "started_at": iso_ms(at),
        "finished_at": iso_ms(at),
        "duration_ms": 0,
    }


def finish_run(backend: Backend, run: Run, at: float, outcome: str | None = None) -> None:
    """Run a queued run to its end: logs, run status and, for a push, the document's outcome."""
    outcome = outcome or run.outcome
    doc = backend.state.documents.get(run.data["document_id"])
    provider = (doc.provider if doc else None) or "dynamics365"
    ok = outcome == "succeeded"
    run.due = None
    run.data.update(status="running", started_at=iso_ms(at))
    run.logs = [
        _log(1, "Load document", "succeeded", "Loaded the reviewed document", at),
        _log(2, "Map fields", "succeeded", "Applied the field mapping", at),
        _log(
            3,
            f"Push to {provider}",
            "succeeded" if ok else "failed",
            "Record created" if ok else f"{provider} rejected the record",
            at,
        ),
    ]
    finished = at
    record_id = "rec_" + hashlib.sha256(run.data["id"].encode()).hexdigest()[:12]
    error = None if ok else {"code": "provider_error", "message": f"{provider} rejected the record"}
    run.data.update(
        status=outcome,
        finished_at=iso_ms(finished),
        error=error,
        outcome={"external_record_id": record_id} if ok else None,
    )
    if doc is not None and run.push_document == doc.data["id"] and doc.run_id == run.data["id"]:
        attempt = record_attempt(
            doc,
            {
                "execution_id": run.data["id"],
                "provider": provider,
                "status": outcome,
                "external_record_id": record_id if ok else None,
                "external_url": None,
                "error_code": None if ok else "provider_error",
                "error_message": None if ok else f"{provider} rejected the record",
                "attempted_at": iso_ms(at),
            },
            finished,
        )
        apply_attempt(backend, doc, attempt, finished)
    if not ok:
        data = {
            "run_id": run.data["id"],
            "workflow_id": run.data["workflow_id"],
            "document_id": run.data["document_id"],
            "error": error,
        }
        emit(backend, "run.failed", data, finished)


def record_attempt(doc: Doc, fields: JSON, at: float) -> JSON:
    attempt: JSON = {"id": new_id("att"), **fields, "recorded_at": iso_ms(at)}
    doc.attempts.append(attempt)
    return attempt


def apply_attempt(backend: Backend, doc: Doc, attempt: JSON, at: float) -> None:
    """The effect of a delivery outcome on the document, with its push event."""
    if attempt["status"] == "skipped":
        doc.stop_retries = True
        return
    ok = attempt["status"] == "succeeded"
    set_status(backend, doc, "push_succeeded" if ok else "push_failed", at)
    emit(backend, "push.succeeded" if ok else "push.failed", push_data(doc, attempt), at)


def settle_push(backend: Backend, doc: Doc, outcome: str, at: float) -> None:
    """End a pending push now: its queued run finishes, or (executor route) an attempt is
    recorded as the executor's callback would."""
    run = backend.state.runs.get(doc.run_id or "")
    if run is not None and run.data["status"] == "queued":
        finish_run(backend, run, at, outcome)
        return
    ok = outcome == "succeeded"
    fields: JSON = {
        "execution_id": new_id("exec"),
        "provider": doc.provider or "dynamics365",
        "status": outcome,
        "external_record_id": new_id("rec") if ok else None,
        "external_url": None,
        "error_code": None if ok else "provider_error",
        "error_message": None if ok else "the provider rejected the record",
        "attempted_at": iso_ms(at),
    }
    apply_attempt(backend, doc, record_attempt(doc, fields, at), at)


def tick(backend: Backend) -> None:
    """Apply every transition whose time has come (lazy, so tests never wait on wall time)."""
    now = backend.now()
    state = backend.state
    for doc in list(state.documents.values()):
        if doc.ready_at is not None and doc.ready_at <= now:
            if doc.data["status"] == "processing":
                finish_processing(backend, doc, doc.ready_at)
            doc.ready_at = None
    due_runs = [r for r in state.runs.values() if r.due is not None and r.due <= now]
    for run in sorted(due_runs, key=lambda r: r.seq):
        if run.data["status"] == "queued" and run.due is not None:
            finish_run(backend, run, run.due)
