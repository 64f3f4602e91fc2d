"""Routes: schemas, destinations (credentials are write-only) and mappings."""

from __future__ import annotations

from . import _catalog
from ._backend import Backend
from ._router import Reply, Request, optional_int, optional_obj, required_str, route
from ._state import Row, paginate
from ._wire import JSON, ApiError, iso_ms, new_id


@route("GET", "/v1/schemas", "documents:read")
def list_schemas(backend: Backend, req: Request) -> Reply:
    rows = [(n, _catalog.schema_summary(s)) for n, s in enumerate(_catalog.SCHEMA_LABELS, 1)]
    data, cursor = paginate(rows, req.query, newest_first=False)
    return 200, {"data": data, "next_cursor": cursor}


@route("GET", "/v1/schemas/{schema_id}", "documents:read")
def retrieve_schema(backend: Backend, req: Request) -> Reply:
    schema_id = req.params["schema_id"]
    if schema_id not in _catalog.SCHEMA_LABELS:
        raise ApiError(404, f"schema {schema_id} not found")
    return 200, _catalog.schema_detail(schema_id)


def get_destination(backend: Backend, destination_id: str) -> Row:
    row = backend.state.destinations.get(destination_id)
    if row is None:
        raise ApiError(404, f"destination {destination_id} not found")
    return row


@route("GET", "/v1/destinations", "destinations:read")
def list_destinations(backend: Backend, req: Request) -> Reply:
    rows = [(r.seq, r.data) for r in backend.state.destinations.values()]
    data, cursor = paginate(rows, req.query)
    return 200, {"data": data, "next_cursor": cursor}


@route("POST", "/v1/destinations", "destinations:write")
def create_destination(backend: Backend, req: Request) -> Reply:
    body = req.json()
    provider = required_str(body, "provider")
    display_name = required_str(body, "display_name", max_len=200)
    credentials = optional_obj(body, "credentials")
    settings = optional_obj(body, "settings") or {}
    stamp = iso_ms(backend.now())
    data: JSON = {
        "id": new_id("dst"),
        "provider": provider,
        "display_name": display_name,
        "status": "active",
        "has_credentials": bool(credentials),
        "created_at": stamp,
        "updated_at": stamp,
    }
    row = Row(data, backend.state.next_seq(), {"credentials": credentials, "settings": settings})
    backend.state.destinations[data["id"]] = row
    return 200, data


@route("GET", "/v1/destinations/{destination_id}", "destinations:read")
def retrieve_destination(backend: Backend, req: Request) -> Reply:
    return 200, get_destination(backend, req.params["destination_id"]).data


@route("POST", "/v1/destinations/{destination_id}/test", "destinations:write")
def test_destination(backend: Backend, req: Request) -> Reply:
    row = get_destination(backend, req.params["destination_id"])
    req.json()
    ok = bool(row.private.get("credentials"))
    return 200, {
        "destination_id": row.data["id"],
        "ok": ok,
        "checked_at": iso_ms(backend.now()),
        "error_code": None if ok else "missing_credentials",
        "error_message": None if ok else "the destination has no credentials",
    }


def _mapping_key(backend: Backend, req: Request) -> tuple[str, str]:
    schema, destination_id = req.params["schema"], req.params["destination_id"]
    if schema not in _catalog.SCHEMA_LABELS:
        raise ApiError(404, f"schema {schema} not found")
    get_destination(backend, destination_id)
    return schema, destination_id


def _empty_mapping(key: tuple[str, str]) -> JSON:
    # Version 0 stands for "no mapping yet": PUT with expected_version=0 creates it.
    return {"schema": key[0], "destination_id": key[1], "version": 0, "fields": []}


@route("GET", "/v1/mappings/{schema}/{destination_id}", "mappings:read")
def retrieve_mapping(backend: Backend, req: Request) -> Reply:
    key = _mapping_key(backend, req)
    row = backend.state.mappings.get(key)
    if row is None:
        raise ApiError(404, f"no mapping from {key[0]} to destination {key[1]} yet")
    return 200, row.data


def _mapping_fields(body: JSON) -> list[JSON]:
    fields = body.get("fields")
    if not isinstance(fields, list):
        raise ApiError(422, "fields is required and must be a list")
    out = []
    for item in fields:
        if not isinstance(item, dict):
            raise ApiError(422, "each mapping field must be an object")
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise ApiError(422, "mapping field required must be a boolean")
        out.append(
            {
                "source": required_str(item, "source"),
                "target": required_str(item, "target"),
                "required": required,
            }
        )
    return out


@route("PUT", "/v1/mappings/{schema}/{destination_id}", "mappings:write")
def update_mapping(backend: Backend, req: Request) -> Reply:
    key = _mapping_key(backend, req)
    body = req.json()
    fields = _mapping_fields(body)
    expected = optional_int(body, "expected_version")
    row = backend.state.mappings.get(key)
    current = row.data if row else _empty_mapping(key)
    if expected is not None and expected != current["version"]:
        raise ApiError(
            409, f"mapping is at version {current['version']}; expected_version is {expected}"
        )
    data = {**current, "fields": fields, "updated_at": iso_ms(backend.now())}
    if current["fields"] != fields or row is None:
        data["version"] = current["version"] + 1
    else:
        data["updated_at"] = current["updated_at"]
    backend.state.mappings[key] = Row(data, row.seq if row else backend.state.next_seq())
    return 200, data


ROUTES = [
    list_schemas,
    retrieve_schema,
    list_destinations,
    create_destination,
    retrieve_destination,
    test_destination,
    retrieve_mapping,
    update_mapping,
]
