"""API keys: hashed storage, scopes, rotation and revocation, and the routes that manage them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ._backend import Backend
from ._router import Reply, Request, optional_int, required_str, route, str_list
from ._state import ApiKeyRecord, paginate
from ._wire import JSON, ApiError, iso_ms, new_id

SCOPES = (
    "documents:read",
    "documents:write",
    "review:write",
    "delivery:write",
    "destinations:read",
    "destinations:write",
    "mappings:read",
    "mappings:write",
    "workflows:read",
    "workflows:write",
    "runs:read",
    "webhooks:read",
    "webhooks:write",
    "api_keys:write",
)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    return "sk_test_" + secrets.token_hex(20)


def redact(secret: str) -> str:
    """What of a key may be shown: its public prefix."""
    return secret[:12] + "..."


def redact_header(name: str, value: str) -> str:
    """A request header as the fake records it: the API key cut down to its prefix."""
    if name.lower() != "authorization":
        return value
    scheme, _, secret = value.partition(" ")
    return f"{scheme} {redact(secret)}" if secret else "<redacted>"


def create_key(backend: Backend, name: str, scopes: list[str]) -> tuple[ApiKeyRecord, str]:
    secret = _new_secret()
    data: JSON = {
        "id": new_id("key"),
        "name": name,
        "scopes": scopes,
        "prefix": secret[:12],
        "created_at": iso_ms(backend.now()),
        "last_used_at": None,
        "expires_at": None,
        "revoked_at": None,
    }
    record = ApiKeyRecord(data, backend.state.next_seq(), [(_hash(secret), None)])
    backend.state.keys[data["id"]] = record
    return record, secret


def authenticate(backend: Backend, authorization: str | None, scope: str) -> ApiKeyRecord:
    """The key a request's ``Authorization`` header names; 401 or 403 as the contract says."""
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "missing API key: send Authorization: Bearer <api_key>")
    digest, now = _hash(secret.strip()), backend.now()
    for record in backend.state.keys.values():
        for stored, until in record.hashes:
            if hmac.compare_digest(stored, digest):
                if record.data["revoked_at"] is not None or (until is not None and until <= now):
                    raise ApiError(401, "this API key was revoked or has expired")
                record.data["last_used_at"] = iso_ms(now)
                if scope not in record.data["scopes"]:
                    raise ApiError(403, f"this API key lacks the {scope} scope")
                return record
    raise ApiError(401, "invalid API key")


def _get(backend: Backend, key_id: str) -> ApiKeyRecord:
    record = backend.state.keys.get(key_id)
    if record is None:
        raise ApiError(404, f"API key {key_id} not found")
    return record


@route("POST", "/v1/api-keys", "api_keys:write")
def create_api_key(backend: Backend, req: Request) -> Reply:
    body = req.json()
    name = required_str(body, "name", max_len=200)
    scopes = str_list(body, "scopes", SCOPES)
    if not scopes:
        raise ApiError(422, "scopes is required and must list at least one scope")
    record, secret = create_key(backend, name, scopes)
    return 200, {**record.data, "secret": secret}


@route("GET", "/v1/api-keys", "api_keys:write")
def list_api_keys(backend: Backend, req: Request) -> Reply:
    rows = [(r.seq, r.data) for r in backend.state.keys.values()]
    data, cursor = paginate(rows, req.query)
    return 200, {"data": data, "next_cursor": cursor}


@route("GET", "/v1/api-keys/{key_id}", "api_keys:write")
def retrieve_api_key(backend: Backend, req: Request) -> Reply:
    return 200, _get(backend, req.params["key_id"]).data


@route("POST", "/v1/api-keys/{key_id}/rotate", "api_keys:write")
def rotate_api_key(backend: Backend, req: Request) -> Reply:
    record = _get(backend, req.params["key_id"])
    grace = optional_int(req.json(), "expire_previous_in_seconds") or 0
    if grace < 0:
        raise ApiError(422, "expire_previous_in_seconds must not be negative")
    if record.data["revoked_at"] is not None:
        raise ApiError(409, "a revoked API key cannot be rotated")
    now = backend.now()
    secret = _new_secret()
    # With a grace period the previous secret works until it ends; without, it stops at once.
    cutoff = now + grace
    kept = [
        (h, cutoff if until is None else min(until, cutoff))
        for h, until in record.hashes
        if grace > 0 and (until is None or until > now)
    ]
    record.hashes = [(_hash(secret), None), *kept]
    record.data["prefix"] = secret[:12]
    return 200, {**record.data, "secret": secret}


@route("POST", "/v1/api-keys/{key_id}/revoke", "api_keys:write")
def revoke_api_key(backend: Backend, req: Request) -> Reply:
    record = _get(backend, req.params["key_id"])
    req.json()
    if record.data["revoked_at"] is None:
        record.data["revoked_at"] = iso_ms(backend.now())
    return 200, record.data


ROUTES = [create_api_key, list_api_keys, retrieve_api_key, rotate_api_key, revoke_api_key]
