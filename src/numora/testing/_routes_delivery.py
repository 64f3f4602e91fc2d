"""Routes: dispatch, retry-push, the delivery callback and state, and the legacy executor routes."""

from __future__ import annotations

from . import _lifecycle
from ._backend import Backend
from ._router import Reply, Request, optional_str, required_str, route
from ._routes_documents import get_doc
from ._state import paginate
from ._wire import JSON, ApiError, iso_ms, new_id, parse_iso

CALLBACK_STATUSES = ("succeeded", "failed", "skipped")
# Providers every fake workspace can deliver to; a destination or a per-provider dispatch
# route adds its provider.
BUILT_IN_PROVIDERS = ("dynamics365",)
# The request fields an attempt is compared on when an execution_id comes back.
_CALLBACK_FIELDS = (
    "provider",
    "status",
    "external_record_id",
    "external_url",
    "error_code",
    "error_message",
)


@route("POST", "/v1/documents/{document_id}/dispatch", "delivery:write")
def dispatch_document(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    provider = required_str(req.json(), "provider")
    known = _providers(backend)
    if provider not in known:
        raise ApiError(
            422,
            f"provider {provider!r} is not one this workspace delivers to "
            f"(known: {', '.join(known)})",
        )
    if doc.data["status"] != "reviewed":
        raise ApiError(409, f"only reviewed documents can be dispatched, not {doc.data['status']}")
    run_id = _lifecycle.start_push(backend, doc, provider, backend.now())
    route_name = doc.route
    body = {"document_id": doc.data["id"], "status": "push_pending", "route": route_name}
    return 202, {**body, "run_id": run_id}


def _providers(backend: Backend) -> list[str]:
    """Providers a dispatch may name: built in, of a destination, or given a dispatch route."""
    found = [*BUILT_IN_PROVIDERS, *backend.config.dispatch_routes]
    found += [row.data["provider"] for row in backend.state.destinations.values()]
    return list(dict.fromkeys(found))


@route("POST", "/v1/documents/{document_id}/actions/retry-push", "delivery:write")
def retry_push(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    req.json()
    if doc.data["status"] != "push_failed":
        raise ApiError(409, f"only push_failed documents can be retried, not {doc.data['status']}")
    _lifecycle.start_push(backend, doc, doc.provider or "dynamics365", backend.now())
    return 202, doc.data


@route("GET", "/v1/documents/{document_id}/delivery", "documents:read")
def delivery_state(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    attempts = [dict(a) for a in doc.attempts]
    return 200, {"document_id": doc.data["id"], "status": doc.data["status"], "attempts": attempts}


def _callback(body: JSON) -> JSON:
    provider = required_str(body, "provider")
    status = required_str(body, "status")
    if status not in CALLBACK_STATUSES:
        raise ApiError(422, "status must be one of succeeded, failed, skipped")
    execution_id = required_str(body, "execution_id", max_len=255)
    attempted_at = required_str(body, "attempted_at")
    when = parse_iso(attempted_at)
    if when is None:
        raise ApiError(422, "attempted_at must be an ISO-8601 timestamp")
    fields: JSON = {
        "execution_id": execution_id,
        "provider": provider,
        "status": status,
        "external_record_id": optional_str(body, "external_record_id"),
        "external_url": optional_str(body, "external_url"),
        "error_code": optional_str(body, "error_code"),
        "error_message": optional_str(body, "error_message"),
        "attempted_at": iso_ms(when),
    }
    if status == "succeeded" and not fields["external_record_id"]:
        raise ApiError(422, "external_record_id is required when status is succeeded")
    return fields


@route("POST", "/v1/documents/{document_id}/delivery", "delivery:write")
def delivery_callback(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    fields = _callback(req.json())
    for attempt in doc.attempts:
        if attempt["execution_id"] == fields["execution_id"]:
            same = all(attempt[k] == fields[k] for k in (*_CALLBACK_FIELDS, "attempted_at"))
            if not same:
                raise ApiError(
                    409, "execution_id was already recorded for this document with other data"
                )
            return 200, dict(attempt)
    if doc.data["status"] not in _lifecycle.REVIEWED_OR_LATER:
        raise ApiError(409, f"a document in status {doc.data['status']} has no delivery yet")
    now = backend.now()
    attempt = _lifecycle.record_attempt(doc, fields, now)
    _lifecycle.apply_attempt(backend, doc, attempt, now)
    return 200, dict(attempt)


@route("GET", "/v1/delivery/outbox", "documents:read")
def outbox(backend: Backend, req: Request) -> Reply:
    rows = []
    for doc in backend.state.documents.values():
        if doc.data["status"] != "reviewed":
            continue
        data, doc_id = doc.data, doc.data["id"]
        item = {
            "document_id": doc_id,
            "schema": data["schema"],
            "status": data["status"],
            "external_id": data["external_id"],
            "metadata": data["metadata"],
            "result_url": f"/v1/documents/{doc_id}/result",
            "dispatch_url": f"/v1/documents/{doc_id}/dispatch",
            "updated_at": data["updated_at"],
        }
        rows.append((doc.seq, item))
    page, cursor = paginate(rows, req.query, newest_first=False)
    return 200, {"data": page, "meta": {"next_cursor": cursor}}


@route("POST", "/v1/dynamics/session", "delivery:write")
def dynamics_session(backend: Backend, req: Request) -> Reply:
    destination_id = required_str(req.json(), "destination_id")
    destination = backend.state.destinations.get(destination_id)
    if destination is None:
        raise ApiError(404, f"destination {destination_id} not found")
    settings = destination.private.get("settings") or {}
    instance = settings.get("instance_url") or "https://example.crm.dynamics.com"
    return 200, {
        "access_token": new_id("fake_dataverse_token"),
        "expires_at": iso_ms(backend.now() + 3600),
        "instance_url": str(instance),
    }


ROUTES = [
    dispatch_document,
    retry_push,
    delivery_state,
    delivery_callback,
    outbox,
    dynamics_session,
]
