"""Dispatch, pushes, runs and the delivery callback, as the contract describes them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fake_helpers import ManualClock, api, create_document, reviewed_document

from numora.testing import FakeNumora

CALLBACK = {
    "provider": "dynamics365",
    "status": "succeeded",
    "execution_id": "exec-1",
    "attempted_at": "2026-03-20T10:00:00Z",
    "external_record_id": "rec-1",
}


def test_workflow_route_pushes_with_a_run_and_logs(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = reviewed_document(fake, client)
    response = client.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
    assert response.status_code == 202
    dispatch = response.json()
    assert dispatch["status"] == "push_pending"
    assert dispatch["route"] == "workflow"
    run_id = dispatch["run_id"]

    assert client.get(f"/v1/documents/{doc_id}").json()["status"] == "push_succeeded"
    run = client.get(f"/v1/runs/{run_id}").json()
    assert (run["status"], run["document_id"], run["error"]) == ("succeeded", doc_id, None)
    logs = client.get(f"/v1/runs/{run_id}/logs").json()
    assert [entry["status"] for entry in logs["data"]] == ["succeeded"] * 3
    delivery = client.get(f"/v1/documents/{doc_id}/delivery").json()
    assert delivery["status"] == "push_succeeded"
    assert [a["execution_id"] for a in delivery["attempts"]] == [run_id]
    assert fake.events[-1]["type"] == "push.succeeded"
    assert fake.events[-1]["data"]["execution_id"] == run_id


def test_failed_push_can_be_retried(fake: FakeNumora, client: httpx.Client) -> None:
    fake.set_push_outcome("failed")
    doc_id = reviewed_document(fake, client)
    run_id = client.post(
        f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"}
    ).json()["run_id"]
    assert client.get(f"/v1/documents/{doc_id}").json()["status"] == "push_failed"
    run = client.get(f"/v1/runs/{run_id}").json()
    assert run["status"] == "failed"
    assert run["error"]["code"] == "provider_error"
    assert [e["type"] for e in fake.events[-2:]] == ["push.failed", "run.failed"]

    fake.set_push_outcome("succeeded")
    retry = client.post(f"/v1/documents/{doc_id}/actions/retry-push", json={})
    assert retry.status_code == 202
    assert retry.json()["status"] == "push_pending"
    assert client.get(f"/v1/documents/{doc_id}").json()["status"] == "push_succeeded"
    assert len(client.get(f"/v1/documents/{doc_id}/delivery").json()["attempts"]) == 2


def test_retry_push_outside_push_failed_is_409(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = reviewed_document(fake, client)
    response = client.post(f"/v1/documents/{doc_id}/actions/retry-push", json={})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "conflict")


def test_dispatch_before_review_is_409(client: httpx.Client) -> None:
    doc_id = create_document(client)["id"]
    response = client.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
    assert response.status_code == 409


def test_push_delay_none_waits_for_finish_push(clock: ManualClock) -> None:
    fake = FakeNumora(clock=clock, push_delay=None)
    with api(fake) as http:
        doc_id = reviewed_document(fake, http)
        http.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
        clock.now += 3600
        assert http.get(f"/v1/documents/{doc_id}").json()["status"] == "push_pending"
        fake.finish_push(doc_id, outcome="failed")
        assert http.get(f"/v1/documents/{doc_id}").json()["status"] == "push_failed"


def test_n8n_route_waits_for_the_callback(clock: ManualClock) -> None:
    fake = FakeNumora(clock=clock, dispatch_route={"dynamics365": "n8n_executor"})
    with api(fake) as http:
        doc_id = reviewed_document(fake, http)
        dispatch = http.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
        assert (dispatch.json()["route"], dispatch.json()["run_id"]) == ("n8n_executor", None)
        clock.now += 3600
        assert http.get(f"/v1/documents/{doc_id}").json()["status"] == "push_pending"

        first = http.post(f"/v1/documents/{doc_id}/delivery", json=CALLBACK)
        assert first.status_code == 200
        attempt = first.json()
        assert attempt["execution_id"] == "exec-1"
        assert attempt["attempted_at"] == "2026-03-20T10:00:00.000Z"
        assert http.get(f"/v1/documents/{doc_id}").json()["status"] == "push_succeeded"
        assert fake.events[-1]["type"] == "push.succeeded"

        again = http.post(f"/v1/documents/{doc_id}/delivery", json=CALLBACK)
        assert again.json() == attempt
        other = http.post(
            f"/v1/documents/{doc_id}/delivery", json={**CALLBACK, "external_record_id": "rec-2"}
        )
        assert (other.status_code, other.json()["error"]["code"]) == (409, "conflict")
        assert len(http.get(f"/v1/documents/{doc_id}/delivery").json()["attempts"]) == 1


def test_skipped_callback_records_without_changing_status(fake: FakeNumora) -> None:
    fake.set_dispatch_route("n8n_executor")
    with api(fake) as http:
        doc_id = reviewed_document(fake, http)
        http.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
        skipped = {**CALLBACK, "status": "skipped", "execution_id": "exec-s"}
        del skipped["external_record_id"]
        assert http.post(f"/v1/documents/{doc_id}/delivery", json=skipped).status_code == 200
        assert http.get(f"/v1/documents/{doc_id}").json()["status"] == "push_pending"


def test_callback_before_review_is_409(client: httpx.Client) -> None:
    doc_id = create_document(client)["id"]
    response = client.post(f"/v1/documents/{doc_id}/delivery", json=CALLBACK)
    assert response.status_code == 409


BAD_CALLBACKS: list[tuple[str, dict[str, Any]]] = [
    ("succeeded without record", {k: v for k, v in CALLBACK.items() if k != "external_record_id"}),
    ("unknown status", {**CALLBACK, "status": "done"}),
    ("no execution_id", {k: v for k, v in CALLBACK.items() if k != "execution_id"}),
    ("bad attempted_at", {**CALLBACK, "attempted_at": "yesterday"}),
]


@pytest.mark.parametrize(("case", "body"), BAD_CALLBACKS, ids=[c[0] for c in BAD_CALLBACKS])
def test_invalid_callbacks_are_422(
    fake: FakeNumora, client: httpx.Client, case: str, body: dict[str, Any]
) -> None:
    doc_id = reviewed_document(fake, client)
    response = client.post(f"/v1/documents/{doc_id}/delivery", json=body)
    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_payload")


def test_legacy_outbox_lists_reviewed_documents(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = reviewed_document(fake, client, metadata={"po": "7"})
    create_document(client)
    page = client.get("/v1/delivery/outbox", params={"provider": "dynamics365"}).json()
    assert page["meta"] == {"next_cursor": None}
    assert [item["document_id"] for item in page["data"]] == [doc_id]
    item = page["data"][0]
    assert item["dispatch_url"] == f"/v1/documents/{doc_id}/dispatch"
    assert item["metadata"] == {"po": "7"}


def test_workflow_dispatch_always_queues_a_new_run(fake: FakeNumora, client: httpx.Client) -> None:
    doc_id = reviewed_document(fake, client)
    workflow_id = client.get("/v1/workflows").json()["data"][0]["id"]
    runs = [
        client.post(f"/v1/workflows/{workflow_id}/dispatch", json={"document_id": doc_id})
        for _ in range(2)
    ]
    assert [r.status_code for r in runs] == [202, 202]
    first, second = (r.json() for r in runs)
    assert first["run_id"] != second["run_id"]
    assert (first["status"], first["execution_mode"]) == ("queued", "queued")
    assert client.get(f"/v1/runs/{first['run_id']}").json()["status"] == "succeeded"


def test_workflow_dispatch_rejects_other_modes_and_unreviewed_documents(
    client: httpx.Client,
) -> None:
    doc_id = create_document(client)["id"]
    workflow_id = client.get("/v1/workflows").json()["data"][0]["id"]
    url = f"/v1/workflows/{workflow_id}/dispatch"
    sync = client.post(url, json={"document_id": doc_id, "execution_mode": "sync"})
    unreviewed = client.post(url, json={"document_id": doc_id})
    assert (sync.status_code, unreviewed.status_code) == (422, 409)


def test_finish_push_settles_an_executor_route_push(fake: FakeNumora, client: httpx.Client) -> None:
    fake.set_dispatch_route("n8n_executor", provider="dynamics365")
    doc_id = reviewed_document(fake, client)
    client.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
    assert fake.finish_push(doc_id)["status"] == "push_succeeded"
    (attempt,) = client.get(f"/v1/documents/{doc_id}/delivery").json()["attempts"]
    assert (attempt["provider"], attempt["status"]) == ("dynamics365", "succeeded")
    assert attempt["external_record_id"]
    with pytest.raises(ValueError, match="not push_pending"):
        fake.finish_push(doc_id)
