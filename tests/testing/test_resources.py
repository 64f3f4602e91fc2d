"""Schemas, destinations, mappings, webhook endpoints and API keys in the fake."""

from __future__ import annotations

import httpx
import pytest
from fake_helpers import ManualClock, api

from numora.testing import FakeNumora


def test_schema_catalog_and_detail(client: httpx.Client) -> None:
    catalog = client.get("/v1/schemas").json()
    assert [s["id"] for s in catalog["data"]] == ["invoice_v2", "receipt_v1", "contract_v1"]
    detail = client.get("/v1/schemas/invoice_v2").json()
    assert {"vendor_name", "total_amount"} <= {f["name"] for f in detail["fields"]}
    assert client.get("/v1/schemas/w2_v1").status_code == 404


def test_destination_credentials_are_never_echoed(client: httpx.Client) -> None:
    secret = "s3cr3t-client-secret"
    created = client.post(
        "/v1/destinations",
        json={
            "provider": "dynamics365",
            "display_name": "CRM",
            "credentials": {"client_secret": secret},
            "settings": {"instance_url": "https://org.crm.dynamics.com"},
        },
    )
    assert created.status_code == 200
    dst = created.json()
    assert dst["has_credentials"] is True
    for response in (
        created,
        client.get(f"/v1/destinations/{dst['id']}"),
        client.get("/v1/destinations"),
        client.post(f"/v1/destinations/{dst['id']}/test", json={}),
    ):
        assert response.status_code == 200
        assert secret not in response.text
        assert "client_secret" not in response.text
    assert client.post(f"/v1/destinations/{dst['id']}/test", json={}).json()["ok"] is True
    session = client.post("/v1/dynamics/session", json={"destination_id": dst["id"]}).json()
    assert session["instance_url"] == "https://org.crm.dynamics.com"


def test_destination_without_credentials_fails_its_test(client: httpx.Client) -> None:
    dst = client.post("/v1/destinations", json={"provider": "x", "display_name": "X"}).json()
    result = client.post(f"/v1/destinations/{dst['id']}/test", json={}).json()
    assert (result["ok"], result["error_code"]) == (False, "missing_credentials")


def test_mapping_versions_and_expected_version(client: httpx.Client) -> None:
    dst = client.post("/v1/destinations", json={"provider": "x", "display_name": "X"}).json()
    url = f"/v1/mappings/invoice_v2/{dst['id']}"
    assert client.get(url).status_code == 404
    fields = [{"source": "total_amount", "target": "amount", "required": True}]
    first = client.put(url, json={"fields": fields, "expected_version": 0})
    assert (first.status_code, first.json()["version"]) == (200, 1)
    same = client.put(url, json={"fields": fields})
    assert same.json()["version"] == 1  # idempotent: replacing with the same fields
    stale = client.put(url, json={"fields": [], "expected_version": 0})
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "conflict")
    second = client.put(url, json={"fields": [], "expected_version": 1})
    assert second.json()["version"] == 2
    assert client.get(url).json() == second.json()
    assert client.get("/v1/mappings/invoice_v2/dst_missing").status_code == 404


def test_webhook_endpoint_secret_is_revealed_once(client: httpx.Client) -> None:
    created = client.post("/v1/webhook-endpoints", json={"url": "https://hooks.example/n"})
    assert created.status_code == 200
    endpoint = created.json()
    secret = endpoint.pop("secret")
    assert secret.startswith("whsec_")
    assert endpoint["events"] == [
        "document.processing",
        "document.review_required",
        "document.reviewed",
        "push.succeeded",
        "push.failed",
        "run.failed",
    ]
    assert endpoint["status"] == "enabled"
    one = client.get(f"/v1/webhook-endpoints/{endpoint['id']}")
    listed = client.get("/v1/webhook-endpoints")
    assert one.json() == endpoint
    assert secret not in one.text
    assert secret not in listed.text


def test_webhook_endpoint_update_rotate_delete(client: httpx.Client) -> None:
    endpoint = client.post("/v1/webhook-endpoints", json={"url": "https://h.example/"}).json()
    url = f"/v1/webhook-endpoints/{endpoint['id']}"
    patched = client.patch(url, json={"status": "disabled", "events": ["push.failed"]}).json()
    assert (patched["status"], patched["events"]) == ("disabled", ["push.failed"])
    bad = client.patch(url, json={"events": ["no.such"]})
    assert bad.status_code == 422
    rotation = client.post(f"{url}/rotate-secret", json={}).json()
    assert rotation["secret"].startswith("whsec_")
    assert rotation["secret"] != endpoint["secret"]
    assert rotation["previous_secret_expires_at"] is not None
    assert client.delete(url).json() == {"id": endpoint["id"], "deleted": True}
    assert client.get(url).status_code == 404


def test_missing_or_invalid_key_is_401(fake: FakeNumora) -> None:
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as anonymous:
        missing = anonymous.get("/v1/schemas")
    with api(fake, key="sk_test_not_a_key") as wrong:
        invalid = wrong.get("/v1/schemas")
    for response in (missing, invalid):
        assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthorized")


def test_key_without_the_scope_is_403(fake: FakeNumora) -> None:
    with api(fake, key=fake.create_api_key(scopes=["documents:read"])) as http:
        assert http.get("/v1/documents").status_code == 200
        denied = http.post("/v1/documents", json={"schema": "invoice_v2", "file_url": "https://f"})
    assert (denied.status_code, denied.json()["error"]["code"]) == (403, "forbidden")


def test_api_key_lifecycle(client: httpx.Client, fake: FakeNumora, clock: ManualClock) -> None:
    created = client.post("/v1/api-keys", json={"name": "ci", "scopes": ["documents:read"]}).json()
    old_secret = created.pop("secret")
    assert old_secret.startswith("sk_test_")
    assert created["prefix"] == old_secret[:12]
    key_url = f"/v1/api-keys/{created['id']}"
    listed = client.get("/v1/api-keys")
    assert old_secret not in listed.text
    assert old_secret not in client.get(key_url).text

    with api(fake, key=old_secret) as http:
        assert http.get("/v1/documents").status_code == 200
        rotated = client.post(f"{key_url}/rotate", json={"expire_previous_in_seconds": 60}).json()
        assert http.get("/v1/documents").status_code == 200  # in its grace period
        clock.now += 61
        assert http.get("/v1/documents").status_code == 401
    with api(fake, key=rotated["secret"]) as http:
        assert http.get("/v1/documents").status_code == 200
        revoked = client.post(f"{key_url}/revoke", json={}).json()
        assert revoked["revoked_at"] is not None
        assert http.get("/v1/documents").status_code == 401


def test_rotation_without_grace_stops_the_old_secret_at_once(
    client: httpx.Client, fake: FakeNumora
) -> None:
    created = client.post("/v1/api-keys", json={"name": "ci", "scopes": ["documents:read"]}).json()
    client.post(f"/v1/api-keys/{created['id']}/rotate", json={})
    with api(fake, key=created["secret"]) as http:
        assert http.get("/v1/documents").status_code == 401


def test_recorded_requests_never_show_the_key(fake: FakeNumora, client: httpx.Client) -> None:
    client.get("/v1/schemas")
    recorded = fake.requests[-1]
    assert fake.api_key not in repr(recorded)
    assert recorded.headers["authorization"].startswith("Bearer sk_test_")
    assert fake.api_key not in repr(fake)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "x", "scopes": ["root"]}, 422),
        ({"name": "x"}, 422),
        ({"scopes": ["runs:read"]}, 422),
    ],
)
def test_invalid_api_key_requests_are_422(
    client: httpx.Client, body: dict[str, object], status: int
) -> None:
    assert client.post("/v1/api-keys", json=body).status_code == status
