"""Document and run transitions, each emitting the event the contract documents.

Every function here expects ``backend.lock`` to be held by the caller.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import unquote

from . import _catalog
from ._backend import Backend
from ._events import document_data, emit, push_data
from ._state import Doc, Run
from ._wire import JSON, iso_ms, new_id, parse_iso

REVIEWED_OR_LATER = ("reviewed", "push_pending", "push_failed", "push_succeeded")
# Extraction still running: the preview may show its internal `pending` before `processing`.
EXTRACTING = ("processing", "pending")
# Waiting for review: the preview may show its internal `for_review` for `review_required`.
IN_REVIEW = ("review_required", "for_review")
# With preview values, a new document is `pending` for this many seconds, then `processing`.
PENDING_SECONDS = 1.0


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
        "status": "pending" if backend.config.preview_values else "processing",
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
    if backend.config.preview_values:
        doc.pending_until = at + PENDING_SECONDS
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
    generated_fields, generated_items = _catalog.generate(
        doc.data["id"], doc.data["schema"], null_optional=backend.config.preview_values
    )
    doc.fields = generated_fields if fields is None else _catalog.normalize_fields(fields)
    doc.line_items = (
        generated_items if line_items is None else _catalog.normalize_line_items(line_items)
    )
    doc.ready_at = doc.pending_until = None
    status = "for_review" if backend.config.preview_values else "review_required"
    set_status(backend, doc, status, at, "document.review_required")


def fail_processing(backend: Backend, doc: Doc, at: float, code: str, message: str) -> None:
    doc.ready_at = doc.pending_until = None
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
            if doc.data["status"] in EXTRACTING:
                finish_processing(backend, doc, doc.ready_at)
            doc.ready_at = None
        if doc.pending_until is not None and doc.pending_until <= now:
            if doc.data["status"] == "pending":
                set_status(backend, doc, "processing", doc.pending_until)
            doc.pending_until = None
    due_runs = [r for r in state.runs.values() if r.due is not None and r.due <= now]
    for run in sorted(due_runs, key=lambda r: r.seq):
        if run.data["status"] == "queued" and run.due is not None:
            finish_run(backend, run, run.due)


def stuck_hint(backend: Backend, method: str, raw_path: str) -> tuple[str, str] | None:
    """When ``raw_path`` is a document or run that nothing in the fake will move on by
    itself, its id and a hint saying how a test moves it; else None."""
    parts = raw_path.split("/")
    if method != "GET" or len(parts) != 4 or parts[:2] != ["", "v1"]:
        return None
    kind, item_id = parts[2], unquote(parts[3])
    hint = None
    if kind == "documents" and item_id in backend.state.documents:
        hint = _document_hint(backend, backend.state.documents[item_id])
    run = backend.state.runs.get(item_id) if kind == "runs" else None
    if run is not None and run.data["status"] == "queued" and run.due is None:
        hint = (
            f"run {item_id} stays 'queued' on this FakeNumora until you call "
            f"fake.finish_push({run.data['document_id']!r}); or create the fake with "
            "push_delay=SECONDS to finish runs by themselves"
        )
    return None if hint is None else (item_id, hint)


def _document_hint(backend: Backend, doc: Doc) -> str | None:
    doc_id, status = doc.data["id"], doc.data["status"]
    if status in EXTRACTING and doc.ready_at is None:
        return (
            f"document {doc_id} stays {status!r} on this FakeNumora until you call "
            f"fake.finish_processing({doc_id!r}) (or fake.fail_processing); or create the fake "
            "with processing_delay=SECONDS to end extraction by itself"
        )
    if status != "push_pending":
        return None
    if doc.route != "workflow":
        how = "or post the delivery callback, as the n8n executor would"
    else:
        run = backend.state.runs.get(doc.run_id or "")
        if run is None or run.due is not None:
            return None
        how = "or create the fake with push_delay=SECONDS to finish pushes by themselves"
    return (
        f"document {doc_id} stays 'push_pending' on this FakeNumora until you call "
        f"fake.finish_push({doc_id!r}); {how}"
    )
