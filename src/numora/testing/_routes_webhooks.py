"""Routes: webhook endpoints (one-time secrets, rotation) and their delivery logs."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from ..webhooks import EVENT_TYPES
from ._backend import Backend
from ._router import Reply, Request, optional_str, route, str_list
from ._state import Endpoint, paginate
from ._wire import JSON, ApiError, iso_ms, new_id

SECRET_OVERLAP = 24 * 3600  # the old secret keeps signing beside the new one for 24 h


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(24)


def get_endpoint(backend: Backend, endpoint_id: str) -> Endpoint:
    endpoint = backend.state.endpoints.get(endpoint_id)
    if endpoint is None:
        raise ApiError(404, f"webhook endpoint {endpoint_id} not found")
    return endpoint


def _url(value: object) -> str:
    # http is accepted so tests can point an endpoint at a local receiver.
    parsed = urlsplit(value) if isinstance(value, str) else None
    if parsed is None or parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise ApiError(422, "url must be an absolute https URL")
    return str(value)


@route("POST", "/v1/webhook-endpoints", "webhooks:write")
def create_endpoint(backend: Backend, req: Request) -> Reply:
    body = req.json()
    url = _url(body.get("url"))
    events = str_list(body, "events", EVENT_TYPES) or list(EVENT_TYPES)
    description = optional_str(body, "description", max_len=500)
    stamp = iso_ms(backend.now())
    data: JSON = {
        "id": new_id("whe"),
        "url": url,
        "events": events,
        "status": "enabled",
        "description": description,
        "created_at": stamp,
        "updated_at": stamp,
    }
    # Every endpoint starts with the fake's webhook_secret (FakeNumora(webhook_secret=...)), so
    # a receiver configured with it verifies deliveries and FakeNumora.signed_events alike.
    secret = backend.webhook_secret
    backend.state.endpoints[data["id"]] = Endpoint(data, backend.state.next_seq(), [(secret, None)])
    return 200, {**data, "secret": secret}


@route("GET", "/v1/webhook-endpoints", "webhooks:read")
def list_endpoints(backend: Backend, req: Request) -> Reply:
    rows = [(e.seq, e.data) for e in backend.state.endpoints.values()]
    data, cursor = paginate(rows, req.query)
    return 200, {"data": data, "next_cursor": cursor}


@route("GET", "/v1/webhook-endpoints/{endpoint_id}", "webhooks:read")
def retrieve_endpoint(backend: Backend, req: Request) -> Reply:
    return 200, get_endpoint(backend, req.params["endpoint_id"]).data


@route("PATCH", "/v1/webhook-endpoints/{endpoint_id}", "webhooks:write")
def update_endpoint(backend: Backend, req: Request) -> Reply:
    endpoint = get_endpoint(backend, req.params["endpoint_id"])
    body = req.json()
    changes: JSON = {}
    if "url" in body:
        changes["url"] = _url(body["url"])
    if "events" in body:
        events = str_list(body, "events", EVENT_TYPES)
        if not events:
            raise ApiError(422, "events must list at least one event type")
        changes["events"] = events
    if "status" in body:
        if body["status"] not in ("enabled", "disabled"):
            raise ApiError(422, "status must be enabled or disabled")
        changes["status"] = body["status"]
    if "description" in body:
        changes["description"] = optional_str(body, "description", max_len=500, nullable=True)
    endpoint.data.update(changes, updated_at=iso_ms(backend.now()))
    return 200, endpoint.data


@route("DELETE", "/v1/webhook-endpoints/{endpoint_id}", "webhooks:write")
def delete_endpoint(backend: Backend, req: Request) -> Reply:
    endpoint = get_endpoint(backend, req.params["endpoint_id"])
    del backend.state.endpoints[endpoint.data["id"]]
    return 200, {"id": endpoint.data["id"], "deleted": True}


@route("POST", "/v1/webhook-endpoints/{endpoint_id}/rotate-secret", "webhooks:write")
def rotate_secret(backend: Backend, req: Request) -> Reply:
    endpoint = get_endpoint(backend, req.params["endpoint_id"])
    req.json()
    now = backend.now()
    expires = now + SECRET_OVERLAP
    secret = new_secret()
    still_active = [(s, until) for s, until in endpoint.secrets if until is None or until > now]
    endpoint.secrets = [(secret, None)] + [
        (s, expires if until is None else until) for s, until in still_active
    ]
    endpoint.data["updated_at"] = iso_ms(now)
    return 200, {"secret": secret, "previous_secret_expires_at": iso_ms(expires)}


@route("GET", "/v1/webhook-endpoints/{endpoint_id}/deliveries", "webhooks:read")
def list_deliveries(backend: Backend, req: Request) -> Reply:
    endpoint_id = get_endpoint(backend, req.params["endpoint_id"]).data["id"]
    rows = [
        (d.seq, d.data) for d in backend.state.deliveries.values() if d.endpoint_id == endpoint_id
    ]
    data, cursor = paginate(rows, req.query)
    return 200, {"data": data, "next_cursor": cursor}


@route(
    "POST",
    "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    "webhooks:write",
)
def redeliver(backend: Backend, req: Request) -> Reply:
    endpoint_id = get_endpoint(backend, req.params["endpoint_id"]).data["id"]
    delivery = backend.state.deliveries.get(req.params["delivery_id"])
    if delivery is None or delivery.endpoint_id != endpoint_id:
        raise ApiError(404, f"delivery {req.params['delivery_id']} not found")
    req.json()
    if delivery.data["status"] == "pending":
        raise ApiError(409, "the delivery is still pending; it will be attempted again")
    now = backend.now()
    delivery.due = now
    delivery.round_attempts = 0
    delivery.data.update(status="pending", next_attempt_at=iso_ms(now))
    backend.wakeup.notify_all()
    return 202, delivery.data


ROUTES = [
    create_endpoint,
    list_endpoints,
    retrieve_endpoint,
    update_endpoint,
    delete_endpoint,
    rotate_secret,
    list_deliveries,
    redeliver,
]
