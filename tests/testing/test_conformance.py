"""The fake against the OpenAPI document: every route, success and errors, validated.

A scripted session drives every operation of the fake (successes and the errors the contract
describes, faults included) and records each exchange. Each answer must then be:

* a status the spec lists for that operation;
* a body valid against that response's schema (JSON Schema 2020-12, refs resolved in the
  spec), with objects closed (``additionalProperties: false`` added), so a field the fake
  sends and the spec does not declare is drift too;
* timestamps in the contract's resource format (``YYYY-MM-DDTHH:MM:SS.mmmZ``);
* with ``x-request-id`` and the rate-limit headers (and ``retry-after`` on 429).

And the fake's route table and the spec's operations must be the same set.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]
from fake_helpers import START, ManualClock
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from numora.testing import FakeNumora
from numora.testing._routes import ROUTES

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "numora-v1.openapi.yaml"
SPEC_URI = "urn:numora:openapi"
METHODS = ("get", "put", "post", "patch", "delete")
RESOURCE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def _closed(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of the spec where every declared object allows no undeclared property."""
    closed = copy.deepcopy(spec)
    schemas: dict[str, Any] = closed["components"]["schemas"]
    composed = {
        ref["$ref"].rsplit("/", 1)[-1]
        for schema in schemas.values()
        for ref in schema.get("allOf", [])
        if "$ref" in ref
    }
    for name, schema in schemas.items():
        if "allOf" in schema:
            schema["unevaluatedProperties"] = False
        # Bases of an allOf stay open: the wrapper's unevaluatedProperties closes them.
        elif name not in composed and "properties" in schema:
            schema.setdefault("additionalProperties", False)
    return closed


SPEC = _load_spec() if SPEC_PATH.exists() else {}
REGISTRY: Registry[Any] = Registry().with_resource(
    SPEC_URI, Resource.from_contents(_closed(SPEC) if SPEC else {}, DRAFT202012)
)
FORMATS = jsonschema.FormatChecker()


def _resource_time(value: object) -> bool:
    return not isinstance(value, str) or RESOURCE_TIME.match(value) is not None


# Stricter than RFC 3339 on purpose: resource timestamps carry exactly milliseconds and Z.
FORMATS.checks("date-time")(_resource_time)


def _operations() -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, item in SPEC.get("paths", {}).items()
        for method, op in item.items()
        if method in METHODS
    }


OPERATIONS = _operations()


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")


def _operation_of(method: str, path: str) -> tuple[str, str]:
    matches = [
        key for key in OPERATIONS if key[0] == method and _template_regex(key[1]).match(path)
    ]
    # A literal segment beats a parameter (none of the spec's paths overlap today).
    matches.sort(key=lambda key: key[1].count("{"))
    assert matches, f"{method} {path} is not an operation of the spec"
    return matches[0]


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _response_schema_ref(method: str, template: str, status: int) -> str | None:
    """A $ref to the JSON schema of one documented response, or None if it has no body."""
    response = OPERATIONS[(method, template)]["responses"][str(status)]
    if "$ref" in response:
        location = response["$ref"].removeprefix("#")
        response = SPEC
        for part in location.strip("/").split("/"):
            response = response[part.replace("~1", "/").replace("~0", "~")]
    else:
        location = "/" + _pointer("paths", template, method.lower(), "responses", str(status))
    if "application/json" not in response.get("content", {}):
        return None
    return f"{SPEC_URI}#{location}/content/application~1json/schema"


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    status: int
    headers: httpx.Headers
    body: bytes


class _Recorder(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, log: list[Exchange]) -> None:
        self._inner, self._log = inner, log

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        body = response.read()
        self._log.append(
            Exchange(request.method, request.url.path, response.status_code, response.headers, body)
        )
        return response


def _client(fake: FakeNumora, log: list[Exchange], key: str | None = None) -> httpx.Client:
    headers = {} if key == "" else {"authorization": f"Bearer {key or fake.api_key}"}
    transport = _Recorder(fake.transport(), log)
    return httpx.Client(transport=transport, base_url="http://fake", headers=headers)


def _ok(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, (response.request.url, response.text)
    return response.json()


def _drive_documents(fake: FakeNumora, http: httpx.Client, clock: ManualClock) -> str:
    """Documents and review; returns a reviewed document's id."""
    pdf = b"%PDF-1.7 fake"
    new = {"schema": "invoice_v2", "file_url": "https://f.example/a.pdf", "external_id": "x-1"}
    doc = _ok(http.post("/v1/documents", json=new), 202)
    _ok(http.post("/v1/documents", json=new), 200)
    upload = http.post(
        "/v1/documents",
        files={"file": ("a.pdf", pdf, "application/pdf")},
        data={"schema": "receipt_v1", "metadata": '{"k": "v", "n": 1, "b": true}'},
    )
    other = _ok(upload, 202)
    _ok(http.post("/v1/documents", content=b"{", headers={"content-type": "application/json"}), 400)
    _ok(http.post("/v1/documents", json={"schema": "nope", "file_url": new["file_url"]}), 422)
    _ok(http.post("/v1/documents", json={**new, "file_url": "https://f.example/a.zip"}), 415)
    _ok(http.get("/v1/documents", params={"limit": 1}), 200)
    _ok(http.get("/v1/documents", params={"limit": 500}), 400)
    _ok(http.get(f"/v1/documents/{doc['id']}"), 200)
    _ok(http.get("/v1/documents/doc_missing"), 404)
    _ok(http.get(f"/v1/documents/{doc['id']}/result"), 409)
    _ok(http.get("/v1/documents/doc_missing/result"), 404)
    seen = _ok(http.get(f"/v1/documents/{doc['id']}"), 200)["updated_at"]
    clock.now += 1
    fake.finish_processing(doc["id"])
    fake.finish_processing(other["id"])
    _ok(http.get(f"/v1/documents/{doc['id']}/result"), 200)
    approve = f"/v1/documents/{doc['id']}/actions/approve"
    _ok(http.post(approve, json={"expected_updated_at": seen}), 409)
    _ok(http.post(approve, json={"review_state": "all"}), 422)
    state = {"version": 1, "confirmed_general_field_names": ["vendor_name"]}
    _ok(http.post(approve, json={"review_state": {**state, "confirmed_line_item_ids": []}}), 200)
    _ok(http.post("/v1/documents/doc_missing/actions/approve", json={}), 404)
    reject = f"/v1/documents/{other['id']}/actions/reject"
    _ok(http.post(reject, json={"reason": 7}), 422)
    _ok(http.post(reject, json={"reason": "blurry"}), 200)
    _ok(http.post(reject, json={}), 409)
    _ok(http.post("/v1/documents/doc_missing/actions/reject", json={}), 404)
    return str(doc["id"])


def _drive_delivery(fake: FakeNumora, http: httpx.Client, doc_id: str) -> str:
    """Dispatch, retry-push, callbacks, outbox, Dynamics session; returns a run id."""
    _ok(http.get("/v1/delivery/outbox", params={"provider": "dynamics365"}), 200)
    _ok(http.get("/v1/delivery/outbox", params={"cursor": "nope"}), 400)
    dispatch = f"/v1/documents/{doc_id}/dispatch"
    _ok(http.post(dispatch, json={}), 422)
    fake.set_push_outcome("failed")
    run_id = _ok(http.post(dispatch, json={"provider": "dynamics365"}), 202)["run_id"]
    _ok(http.post(dispatch, json={"provider": "dynamics365"}), 409)
    _ok(http.post("/v1/documents/doc_missing/dispatch", json={"provider": "x"}), 404)
    fake.set_push_outcome("succeeded")
    retry = f"/v1/documents/{doc_id}/actions/retry-push"
    _ok(http.post(retry, json={}), 202)
    _ok(http.post(retry, json={}), 409)
    _ok(http.post("/v1/documents/doc_missing/actions/retry-push", json={}), 404)
    _ok(http.get(f"/v1/documents/{doc_id}/delivery"), 200)
    _ok(http.get("/v1/documents/doc_missing/delivery"), 404)
    callback = {
        "provider": "dynamics365",
        "status": "failed",
        "execution_id": "exec-1",
        "attempted_at": "2026-03-20T10:00:00Z",
        "error_code": "timeout",
        "error_message": "took too long",
    }
    delivery = f"/v1/documents/{doc_id}/delivery"
    _ok(http.post(delivery, json=callback), 200)
    _ok(http.post(delivery, json={**callback, "error_code": "other"}), 409)
    _ok(http.post(delivery, json={**callback, "status": "succeeded"}), 422)
    _ok(http.post("/v1/documents/doc_missing/delivery", json=callback), 404)
    return str(run_id)


def _drive_catalog(http: httpx.Client) -> str:
    """Schemas, destinations, mappings and the Dynamics session; returns a destination id."""
    _ok(http.get("/v1/schemas"), 200)
    _ok(http.get("/v1/schemas/invoice_v2"), 200)
    _ok(http.get("/v1/schemas/w2_v1"), 404)
    body = {
        "provider": "dynamics365",
        "display_name": "CRM",
        "credentials": {"client_secret": "s"},
        "settings": {"instance_url": "https://org.crm.dynamics.com"},
    }
    dst = _ok(http.post("/v1/destinations", json=body), 200)
    _ok(http.post("/v1/destinations", json={"provider": "x"}), 422)
    _ok(http.get("/v1/destinations"), 200)
    _ok(http.get("/v1/destinations", params={"limit": 0}), 400)
    _ok(http.get(f"/v1/destinations/{dst['id']}"), 200)
    _ok(http.get("/v1/destinations/dst_missing"), 404)
    _ok(http.post(f"/v1/destinations/{dst['id']}/test", json={}), 200)
    _ok(http.post("/v1/destinations/dst_missing/test", json={}), 404)
    mapping = f"/v1/mappings/invoice_v2/{dst['id']}"
    _ok(http.get(mapping), 404)
    fields = [{"source": "total_amount", "target": "amount", "required": True}]
    _ok(http.put(mapping, json={"fields": fields, "expected_version": 0}), 200)
    _ok(http.get(mapping), 200)
    _ok(http.put(mapping, json={"fields": [], "expected_version": 0}), 409)
    _ok(http.put(mapping, json={"fields": "all"}), 422)
    _ok(http.put("/v1/mappings/invoice_v2/dst_missing", json={"fields": []}), 404)
    session = "/v1/dynamics/session"
    _ok(http.post(session, json={"destination_id": dst["id"]}), 200)
    _ok(http.post(session, json={"destination_id": "dst_missing"}), 404)
    _ok(http.post(session, json={}), 422)
    return str(dst["id"])


def _drive_workflows(http: httpx.Client, doc_id: str, run_id: str) -> None:
    workflow_id = _ok(http.get("/v1/workflows", params={"limit": 1}), 200)["data"][0]["id"]
    _ok(http.get("/v1/workflows", params={"cursor": "x"}), 400)
    dispatch = f"/v1/workflows/{workflow_id}/dispatch"
    _ok(http.post(dispatch, json={"document_id": doc_id, "execution_mode": "queued"}), 202)
    _ok(http.post(dispatch, json={"document_id": doc_id, "execution_mode": "now"}), 422)
    _ok(http.post("/v1/workflows/wf_missing/dispatch", json={"document_id": doc_id}), 404)
    processing = _ok(
        http.post("/v1/documents", json={"schema": "invoice_v2", "file_url": "https://f/a.pdf"}),
        202,
    )
    _ok(http.post(dispatch, json={"document_id": processing["id"]}), 409)
    _ok(http.get(f"/v1/runs/{run_id}"), 200)
    _ok(http.get("/v1/runs/run_missing"), 404)
    logs = _ok(http.get(f"/v1/runs/{run_id}/logs", params={"limit": 2}), 200)
    _ok(http.get(f"/v1/runs/{run_id}/logs", params={"cursor": logs["next_cursor"]}), 200)
    _ok(http.get("/v1/runs/run_missing/logs"), 404)


def _drive_webhook_endpoints(fake: FakeNumora, http: httpx.Client) -> None:
    endpoint = _ok(http.post("/v1/webhook-endpoints", json={"url": "https://h.example/"}), 200)
    _ok(http.post("/v1/webhook-endpoints", json={"url": "ftp://h"}), 422)
    url = f"/v1/webhook-endpoints/{endpoint['id']}"
    _ok(http.get("/v1/webhook-endpoints"), 200)
    _ok(http.get("/v1/webhook-endpoints", params={"limit": "all"}), 400)
    _ok(http.get(url), 200)
    _ok(http.get("/v1/webhook-endpoints/whe_missing"), 404)
    _ok(http.patch(url, json={"description": "mine", "events": ["push.failed"]}), 200)
    _ok(http.patch(url, json={"status": "paused"}), 422)
    _ok(http.patch("/v1/webhook-endpoints/whe_missing", json={}), 404)
    _ok(http.post(f"{url}/rotate-secret", json={}), 200)
    _ok(http.post("/v1/webhook-endpoints/whe_missing/rotate-secret", json={}), 404)
    _ok(http.patch(url, json={"events": ["document.processing"]}), 200)
    _ok(
        http.post("/v1/documents", json={"schema": "invoice_v2", "file_url": "https://f/b.pdf"}),
        202,
    )
    deliveries = _ok(http.get(f"{url}/deliveries"), 200)["data"]
    _ok(http.get("/v1/webhook-endpoints/whe_missing/deliveries"), 404)
    redeliver = f"{url}/deliveries/{deliveries[0]['id']}/redeliver"
    _ok(http.post(redeliver, json={}), 409)  # still pending
    for _ in range(2):  # the receiver answers 500: one attempt, one retry, then failed
        fake.deliver_webhooks()
        fake.advance(2)
    _ok(http.post(redeliver, json={}), 202)
    _ok(http.post(f"{url}/deliveries/whd_missing/redeliver", json={}), 404)
    _ok(http.delete(url), 200)
    _ok(http.delete(url), 404)


def _drive_api_keys(http: httpx.Client) -> None:
    key = _ok(http.post("/v1/api-keys", json={"name": "ci", "scopes": ["runs:read"]}), 200)
    _ok(http.post("/v1/api-keys", json={"name": "ci", "scopes": ["root"]}), 422)
    _ok(http.get("/v1/api-keys"), 200)
    _ok(http.get("/v1/api-keys", params={"limit": 101}), 400)
    url = f"/v1/api-keys/{key['id']}"
    _ok(http.get(url), 200)
    _ok(http.get("/v1/api-keys/key_missing"), 404)
    _ok(http.post(f"{url}/rotate", json={"expire_previous_in_seconds": 60}), 200)
    _ok(http.post(f"{url}/rotate", json={"expire_previous_in_seconds": -1}), 422)
    _ok(http.post("/v1/api-keys/key_missing/rotate", json={}), 404)
    _ok(http.post(f"{url}/revoke", json={}), 200)
    _ok(http.post(f"{url}/rotate", json={}), 409)
    _ok(http.post("/v1/api-keys/key_missing/revoke", json={}), 404)


def _drive_limits(log: list[Exchange], clock: ManualClock) -> None:
    """Errors that need another configuration: 401, 403, 402, 413, 429 and the 5xx faults."""
    fake = FakeNumora(clock=clock, credits=0, max_upload_bytes=4, rate_limit=3)
    doc = {"schema": "invoice_v2", "file_url": "https://f.example/a.pdf"}
    with _client(fake, log, key="") as anonymous:
        _ok(anonymous.get("/v1/documents"), 401)
    with _client(fake, log, key=fake.create_api_key(scopes=["runs:read"])) as limited:
        _ok(limited.post("/v1/documents", json=doc), 403)
    clock.now += 1
    with _client(fake, log) as http:
        _ok(http.post("/v1/documents", json=doc), 402)
        upload = {"file": ("a.pdf", b"%PDF-1.7", "application/pdf")}
        _ok(http.post("/v1/documents", files=upload, data={"schema": "invoice_v2"}), 413)
        _ok(http.get("/v1/schemas"), 200)
        _ok(http.get("/v1/schemas"), 429)  # the 4th request in this second
        clock.now += 1
        for status in (500, 502, 503, 504):
            fake.fail_next(path="/v1/runs/{run_id}", status=status)
            _ok(http.get("/v1/runs/run_1"), status)
            clock.now += 1


@pytest.fixture(scope="module")
def exchanges() -> Iterator[list[Exchange]]:
    if not SPEC:
        pytest.skip("spec/numora-v1.openapi.yaml is not there yet")
    log: list[Exchange] = []
    clock = ManualClock()
    failing = httpx.MockTransport(lambda request: httpx.Response(500))
    fake = FakeNumora(clock=clock, webhook_retry_schedule=(1,), webhook_transport=failing)
    with _client(fake, log) as http:
        doc_id = _drive_documents(fake, http, clock)
        run_id = _drive_delivery(fake, http, doc_id)
        _drive_catalog(http)
        _drive_workflows(http, doc_id, run_id)
        _drive_webhook_endpoints(fake, http)
        _drive_api_keys(http)
    _drive_limits(log, clock)
    assert clock.now > START
    yield log


def test_the_fake_serves_exactly_the_spec_operations() -> None:
    if not SPEC:
        pytest.skip("spec/numora-v1.openapi.yaml is not there yet")
    assert {(r.method, r.template) for r in ROUTES} == set(OPERATIONS)


@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=" ".join)
def test_operation_answers_conform_to_the_spec(
    exchanges: list[Exchange], operation: tuple[str, str]
) -> None:
    mine = [e for e in exchanges if _operation_of(e.method, e.path) == operation]
    assert any(e.status < 300 for e in mine), f"{operation} was never exercised successfully"
    assert any(e.status >= 400 for e in mine), f"{operation} was never exercised with an error"
    documented = OPERATIONS[operation]["responses"]
    for exchange in mine:
        where = f"{exchange.method} {exchange.path} -> {exchange.status}"
        assert str(exchange.status) in documented, f"{where}: status not in the spec"
        _check_headers(exchange, where)
        ref = _response_schema_ref(*operation, exchange.status)
        if ref is None:
            assert exchange.body == b"", f"{where}: a body the spec does not describe"
            continue
        validator = _validator(ref)
        errors = [e.message for e in validator.iter_errors(json.loads(exchange.body))]
        assert not errors, f"{where}: {errors[:3]}\n{exchange.body[:500]!r}"


@functools.cache
def _validator(ref: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": ref}, registry=REGISTRY, format_checker=FORMATS)


def _check_headers(exchange: Exchange, where: str) -> None:
    headers = exchange.headers
    for name in ("x-request-id", "x-rate-limit-limit", "x-rate-limit-remaining"):
        assert headers.get(name), f"{where}: no {name}"
    assert int(headers["x-rate-limit-reset"]) >= START, f"{where}: x-rate-limit-reset"
    assert headers["content-type"] == "application/json"
    if exchange.status == 429:
        assert float(headers["retry-after"]) > 0, f"{where}: 429 without retry-after"
    if exchange.status >= 400:
        error = json.loads(exchange.body)["error"]
        assert error["request_id"] == headers["x-request-id"], where


def test_every_documented_error_code_is_produced(exchanges: list[Exchange]) -> None:
    codes = {json.loads(e.body)["error"]["code"] for e in exchanges if e.status >= 400}
    enum = SPEC["components"]["schemas"]["ErrorCode"]["anyOf"][0]["enum"]
    assert set(enum) <= codes
