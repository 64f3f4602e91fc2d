"""Fault injection, in memory and over real sockets: every kind, before and after the effect."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from numora.testing import FakeNumora, InjectedFault

DOC = {"schema": "invoice_v2", "file_url": "https://f.example/a.pdf", "external_id": "e-1"}
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)


@pytest.fixture(params=["transport", "server"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake() -> FakeNumora:
    # Held requests are released when the server stops, so a long hold costs nothing.
    return FakeNumora(fault_timeout=30)


@pytest.fixture
def http(fake: FakeNumora, mode: str) -> Iterator[httpx.Client]:
    headers = {"authorization": f"Bearer {fake.api_key}"}
    if mode == "transport":
        with httpx.Client(
            transport=fake.transport(), base_url="http://fake", headers=headers
        ) as client:
            yield client
        return
    with (
        fake.serve() as base_url,
        httpx.Client(base_url=base_url, headers=headers, timeout=0.3, trust_env=False) as client,
    ):
        yield client


def documents(http: httpx.Client) -> int:
    return len(http.get("/v1/documents").json()["data"])


@pytest.mark.parametrize("when", ["before", "after"])
def test_status_fault_with_retry_after(fake: FakeNumora, http: httpx.Client, when: str) -> None:
    fake.fail_next(method="POST", path="/v1/documents", status=503, retry_after=2, when=when)
    failed = http.post("/v1/documents", json=DOC)
    assert failed.status_code == 503
    assert failed.headers["retry-after"] == "2"
    assert failed.json()["error"]["code"] == "internal_error"
    assert failed.json()["error"]["request_id"] == failed.headers["x-request-id"]
    assert documents(http) == (1 if when == "after" else 0)
    # The fault was for one request: the retry is served, and external_id makes it safe.
    retried = http.post("/v1/documents", json=DOC)
    assert retried.status_code == (200 if when == "after" else 202)
    assert documents(http) == 1


@pytest.mark.parametrize("when", ["before", "after"])
def test_timeout_fault(fake: FakeNumora, http: httpx.Client, when: str) -> None:
    fake.fail_next(method="POST", path="/v1/documents", kind="timeout", when=when)
    with pytest.raises(httpx.ReadTimeout):
        http.post("/v1/documents", json=DOC)
    assert documents(http) == (1 if when == "after" else 0)
    assert [(f.kind, f.when) for f in fake.faulted_requests] == [("timeout", when)]


@pytest.mark.parametrize("when", ["before", "after"])
def test_reset_fault(fake: FakeNumora, http: httpx.Client, when: str) -> None:
    fake.fail_next(method="POST", path="/v1/documents", kind="reset", when=when)
    with pytest.raises(DROPPED):
        http.post("/v1/documents", json=DOC)
    assert documents(http) == (1 if when == "after" else 0)


def test_faults_match_method_and_path_pattern_and_count(
    fake: FakeNumora, http: httpx.Client
) -> None:
    created = http.post("/v1/documents", json=DOC).json()
    rule = fake.fail_next(2, method="GET", path="/v1/documents/{document_id}", status=500)
    assert http.get("/v1/documents").status_code == 200  # another path
    assert http.post("/v1/documents", json=DOC).status_code == 200  # another method
    statuses = [http.get(created["status_url"]).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert rule.remaining == 0
    assert [f.status for f in fake.faulted_requests] == [500, 500]


def test_fault_code_can_be_chosen(fake: FakeNumora, http: httpx.Client) -> None:
    fake.fail_next(path="/v1/*", status=429, retry_after=0.5)
    response = http.get("/v1/schemas")
    assert (response.status_code, response.json()["error"]["code"]) == (429, "rate_limited")
    assert response.headers["retry-after"] == "0.5"


def test_handle_raises_injected_fault_for_dropped_answers() -> None:
    fake = FakeNumora()
    fake.fail_next(kind="reset")
    with pytest.raises(InjectedFault) as raised:
        fake.handle("GET", "/v1/schemas", headers={"authorization": f"Bearer {fake.api_key}"})
    assert raised.value.kind == "reset"
    assert fake.requests[-1].status is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kind": "crash"}, "kind"), ({"when": "during"}, "when"), ({"n": 0}, "n must")],
)
def test_fail_next_rejects_unknown_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeNumora().fail_next(**kwargs)  # type: ignore[arg-type]
