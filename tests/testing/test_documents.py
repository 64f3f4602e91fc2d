"""The fake's documents: creation rules, validation, lifecycle, review, lists, headers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fake_helpers import START, ManualClock, api, create_document

from numora.testing import FakeNumora

PDF = b"%PDF-1.7\n" + b"x" * 100


def test_create_answers_202_with_the_documented_body(client: httpx.Client) -> None:
    response = client.post(
        "/v1/documents",
        json={"schema": "invoice_v2", "file_url": "https://files.example/a.pdf"},
    )
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status", "schema", "status_url", "result_url"}
    assert body["status"] == "processing"
    assert body["status_url"] == f"/v1/documents/{body['id']}"
    assert body["result_url"] == f"/v1/documents/{body['id']}/result"


def test_document_resource_has_every_field_with_null_where_empty(client: httpx.Client) -> None:
    doc_id = create_document(client)["id"]
    doc = client.get(f"/v1/documents/{doc_id}").json()
    assert doc == {
        "id": doc_id,
        "schema": "invoice_v2",
        "status": "processing",
        "external_id": None,
        "metadata": {},
        "created_at": "2026-03-20T09:46:40.000Z",
        "updated_at": "2026-03-20T09:46:40.000Z",
        "review_state": None,
        "duplicate_of": None,
        "failure": None,
        "rejection_reason": None,
    }


def test_same_external_id_and_schema_returns_the_existing_document_with_200(
    client: httpx.Client,
) -> None:
    first = client.post(
        "/v1/documents",
        json={"schema": "invoice_v2", "file_url": "https://f.example/a.pdf", "external_id": "e-1"},
    )
    again = client.post(
        "/v1/documents",
        json={"schema": "invoice_v2", "file_url": "https://f.example/a.pdf", "external_id": "e-1"},
    )
    other_schema = client.post(
        "/v1/documents",
        json={"schema": "receipt_v1", "file_url": "https://f.example/a.pdf", "external_id": "e-1"},
    )
    assert (first.status_code, again.status_code, other_schema.status_code) == (202, 200, 202)
    assert again.json() == first.json()
    assert other_schema.json()["id"] != first.json()["id"]


def test_multipart_upload_creates_a_document(client: httpx.Client) -> None:
    response = client.post(
        "/v1/documents",
        files={"file": ("invoice.pdf", PDF, "application/pdf")},
        data={"schema": "receipt_v1", "external_id": "up-1", "metadata": json.dumps({"a": 1})},
    )
    assert response.status_code == 202, response.text
    doc = client.get(response.json()["status_url"]).json()
    assert (doc["schema"], doc["external_id"], doc["metadata"]) == ("receipt_v1", "up-1", {"a": 1})


OK = {"schema": "invoice_v2", "file_url": "https://f.example/a.pdf"}
META = "metadata"
BAD_CREATES: list[tuple[str, dict[str, Any], int, str]] = [
    ("no schema", {"schema": None}, 422, "invalid_payload"),
    ("unknown schema", {"schema": "w2_v1"}, 422, "invalid_schema"),
    ("no source", {"file_url": None}, 422, "invalid_payload"),
    ("http url", {"file_url": "http://f.example/a.pdf"}, 422, "invalid_payload"),
    ("docx url", {"file_url": "https://f.example/a.docx"}, 415, "unsupported_file_type"),
    ("long external_id", {"external_id": "x" * 256}, 422, "invalid_payload"),
    ("metadata not object", {META: [1]}, 422, "invalid_payload"),
    ("metadata 51 keys", {META: {str(i): i for i in range(51)}}, 422, "invalid_payload"),
    ("metadata long key", {META: {"k" * 41: 1}}, 422, "invalid_payload"),
    ("metadata long value", {META: {"k": "v" * 501}}, 422, "invalid_payload"),
    ("metadata null value", {META: {"k": None}}, 422, "invalid_payload"),
]


@pytest.mark.parametrize(
    ("case", "body", "status", "code"), BAD_CREATES, ids=[c[0] for c in BAD_CREATES]
)
def test_invalid_creates_answer_the_documented_error(
    client: httpx.Client, case: str, body: dict[str, Any], status: int, code: str
) -> None:
    payload = {k: v for k, v in {**OK, **body}.items() if v is not None}
    response = client.post("/v1/documents", json=payload, headers={"x-request-id": "req_mine"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == "req_mine" == response.headers["x-request-id"]
    assert error["message"]


def test_invalid_schema_uses_the_conventions_page_message(client: httpx.Client) -> None:
    response = client.post("/v1/documents", json={"schema": "nope", "file_url": "https://f/a.pdf"})
    assert response.json()["error"]["message"] == (
        "schema must be one of invoice_v2, receipt_v1, contract_v1"
    )


def test_malformed_json_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/v1/documents", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"


def test_upload_limits_give_413_and_415(clock: ManualClock) -> None:
    fake = FakeNumora(clock=clock, max_upload_bytes=50)
    with api(fake) as http:
        too_big = http.post(
            "/v1/documents",
            files={"file": ("a.pdf", PDF, "application/pdf")},
            data={"schema": "invoice_v2"},
        )
        wrong_type = http.post(
            "/v1/documents",
            files={"file": ("a.txt", b"hi", "text/plain")},
            data={"schema": "invoice_v2"},
        )
    assert (too_big.status_code, too_big.json()["error"]["code"]) == (413, "file_too_large")
    assert (wrong_type.status_code, wrong_type.json()["error"]["code"]) == (
        415,
        "unsupported_file_type",
    )


def test_credits_run_out_with_402(clock: ManualClock) -> None:
    fake = FakeNumora(clock=clock, credits=1)
    with api(fake) as http:
        create_document(http)
        response = http.post(
            "/v1/documents", json={"schema": "invoice_v2", "file_url": "https://f/a.pdf"}
        )
    assert (response.status_code, response.json()["error"]["code"]) == (402, "insufficient_credits")


def test_result_while_processing_is_409(client: httpx.Client) -> None:
    doc_id = create_document(client)["id"]
    response = client.get(f"/v1/documents/{doc_id}/result")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "conflict")


def test_finish_processing_with_given_fields_and_line_items(
    fake: FakeNumora, client: httpx.Client
) -> None:
    doc_id = str(create_document(client)["id"])
    fake.finish_processing(
        doc_id,
        fields={"total_amount": 12.5, "currency": {"value": "EUR", "confidence": 0.5}},
        line_items=[{"description": "Chairs"}],
    )
    result = client.get(f"/v1/documents/{doc_id}/result").json()
    assert result["status"] == "review_required"
    assert result["fields"] == {
        "total_amount": {"value": 12.5, "confidence": 0.99},
        "currency": {"value": "EUR", "confidence": 0.5},
    }
    assert result["line_items"] == [
        {"id": "li_1", "fields": {"description": {"value": "Chairs", "confidence": 0.99}}}
    ]
    assert result["confidence"] == 0.5


def test_generated_extraction_is_plausible_and_stable(
    fake: FakeNumora, client: httpx.Client
) -> None:
    doc_id = str(create_document(client)["id"])
    fake.finish_processing(doc_id)
    result = client.get(f"/v1/documents/{doc_id}/result").json()
    assert client.get(f"/v1/documents/{doc_id}/result").json() == result
    fields = {name: value["value"] for name, value in result["fields"].items()}
    assert {"vendor_name", "invoice_number", "total_amount", "currency", "due_date"} <= set(fields)
    assert [item["id"] for item in result["line_items"]] == ["li_1", "li_2"]
    lines = sum(item["fields"]["amount"]["value"] for item in result["line_items"])
    assert fields["subtotal_amount"] == pytest.approx(lines)
    assert fields["total_amount"] == pytest.approx(fields["subtotal_amount"] + fields["tax_amount"])
    assert 0 < result["confidence"] <= 1


@pytest.mark.parametrize("schema", ["receipt_v1", "contract_v1"])
def test_other_schemas_get_their_own_fields(
    fake: FakeNumora, client: httpx.Client, schema: str
) -> None:
    doc_id = str(create_document(client, schema=schema)["id"])
    fake.finish_processing(doc_id)
    result = client.get(f"/v1/documents/{doc_id}/result").json()
    detail = client.get(f"/v1/schemas/{schema}").json()
    assert set(result["fields"]) == {f["name"] for f in detail["fields"]}


def test_processing_delay_moves_documents_on_when_time_passes(clock: ManualClock) -> None:
    fake = FakeNumora(clock=clock, processing_delay=5)
    with api(fake) as http:
        doc_id = create_document(http)["id"]
        clock.now += 4.9
        assert http.get(f"/v1/documents/{doc_id}").json()["status"] == "processing"
        fake.advance(0.1)
        doc = http.get(f"/v1/documents/{doc_id}").json()
    assert doc["status"] == "review_required"
    assert doc["updated_at"] == "2026-03-20T09:46:45.000Z"
    assert [e["type"] for e in fake.events] == ["document.processing", "document.review_required"]


def test_approve_with_stale_expected_updated_at_is_409(
    fake: FakeNumora, client: httpx.Client, clock: ManualClock
) -> None:
    doc_id = str(create_document(client)["id"])
    seen = client.get(f"/v1/documents/{doc_id}").json()["updated_at"]
    clock.now += 1
    fake.finish_processing(doc_id)
    stale = client.post(
        f"/v1/documents/{doc_id}/actions/approve", json={"expected_updated_at": seen}
    )
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "conflict")
    current = client.get(f"/v1/documents/{doc_id}").json()["updated_at"]
    review_state = {
        "version": 1,
        "confirmed_general_field_names": ["total_amount"],
        "confirmed_line_item_ids": [],
    }
    fresh = client.post(
        f"/v1/documents/{doc_id}/actions/approve",
        json={"expected_updated_at": current, "review_state": review_state},
    )
    assert fresh.status_code == 200
    assert fresh.json()["status"] == "reviewed"
    assert fresh.json()["review_state"] == review_state
    assert fake.events[-1]["type"] == "document.reviewed"


def test_empty_review_state_normalizes_to_null(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = str(create_document(client)["id"])
    fake.finish_processing(doc_id)
    empty = {"version": 1, "confirmed_general_field_names": [], "confirmed_line_item_ids": []}
    response = client.post(f"/v1/documents/{doc_id}/actions/approve", json={"review_state": empty})
    assert response.json()["review_state"] is None


def test_approve_before_review_is_409(client: httpx.Client) -> None:
    doc_id = create_document(client)["id"]
    response = client.post(f"/v1/documents/{doc_id}/actions/approve", json={})
    assert response.status_code == 409


def test_reject_fails_the_document_with_its_reason(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = str(create_document(client)["id"])
    fake.finish_processing(doc_id)
    response = client.post(f"/v1/documents/{doc_id}/actions/reject", json={"reason": "blurry"})
    assert response.status_code == 200
    doc = response.json()
    assert (doc["status"], doc["rejection_reason"]) == ("failed", "blurry")
    assert doc["failure"]["message"] == "blurry"


def test_fail_processing_sets_failure(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = str(create_document(client)["id"])
    fake.fail_processing(doc_id, code="unreadable", message="no text found")
    doc = client.get(f"/v1/documents/{doc_id}").json()
    assert doc["failure"] == {"code": "unreadable", "message": "no text found"}
    assert doc["status"] == "failed"


def test_unknown_document_is_404(client: httpx.Client) -> None:
    response = client.get("/v1/documents/doc_missing")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_list_pages_newest_first_with_cursors_and_filters(client: httpx.Client) -> None:
    ids = [create_document(client, external_id=f"e{i}")["id"] for i in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/documents", params=params).json()
        seen += [d["id"] for d in page["data"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    assert pages == 3
    filtered = client.get("/v1/documents", params={"external_id": "e3"}).json()
    assert [d["id"] for d in filtered["data"]] == [ids[3]]


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"cursor": "bad"}]
)
def test_bad_list_parameters_are_400(client: httpx.Client, params: dict[str, Any]) -> None:
    response = client.get("/v1/documents", params=params)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_payload")


def test_every_response_has_request_id_and_rate_limit_headers(client: httpx.Client) -> None:
    for response in (client.get("/v1/schemas"), client.get("/v1/documents/nope")):
        assert response.headers["x-request-id"].startswith("req_")
        assert int(response.headers["x-rate-limit-limit"]) >= int(
            response.headers["x-rate-limit-remaining"]
        )
        assert int(response.headers["x-rate-limit-reset"]) >= START


def test_client_request_id_is_echoed(client: httpx.Client) -> None:
    response = client.get("/v1/schemas", headers={"x-request-id": "corr-42"})
    assert response.headers["x-request-id"] == "corr-42"


def test_rate_limit_gives_429_with_retry_after(clock: ManualClock) -> None:
    fake = FakeNumora(clock=clock, rate_limit=2)
    with api(fake) as http:
        first, second, third = (http.get("/v1/schemas") for _ in range(3))
        assert [r.status_code for r in (first, second, third)] == [200, 200, 429]
        assert third.json()["error"]["code"] == "rate_limited"
        assert third.headers["retry-after"] == "1"
        assert third.headers["x-rate-limit-remaining"] == "0"
        clock.now += 1
        assert http.get("/v1/schemas").status_code == 200
