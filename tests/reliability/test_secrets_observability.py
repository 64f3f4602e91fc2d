"""Secrets never reach telemetry: span names, attributes, events and statuses, metric
attributes, ``on_retry`` reports, and the records (fields and tracebacks) of the ``numora``
logger, over real sockets against the fake, with tracing, the hook and DEBUG logging all on.

Representative flows: creates, reads, retries, errors of each kind, a call whose transport
error message holds the key (as h11 phrases an illegal header), endpoints and keys whose
secrets are in response bodies, a wrong key, and a wait helper; sync and async.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from numora import AsyncNumora, Numora, NumoraError, RetryInfo
from numora.testing import FakeNumora
from otel_helpers import Telemetry

FILE_URL = "https://files.example/invoice.pdf"
WEBHOOK_SECRET = "whsec_client_side_secret_0123456789"


@pytest.fixture
def otel() -> Iterator[Telemetry]:
    telemetry = Telemetry()
    telemetry.instrument()
    yield telemetry
    telemetry.close()


class LeakyTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Fails the first request with an error message quoting its Authorization header (as an
    h11 ``LocalProtocolError`` does for an illegal header value), then passes through."""

    def __init__(self) -> None:
        self.sync = httpx.HTTPTransport()
        self.aio = httpx.AsyncHTTPTransport()
        self.failed = False

    def _maybe_fail(self, request: httpx.Request) -> None:
        if not self.failed:
            self.failed = True
            raise httpx.LocalProtocolError(
                f"Illegal header value b'{request.headers['authorization']}'", request=request
            )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._maybe_fail(request)
        return self.sync.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._maybe_fail(request)
        return await self.aio.handle_async_request(request)


def telemetry_texts(otel: Telemetry) -> list[str]:
    """Everything telemetry recorded, as text."""
    out: list[str] = []
    for span in otel.spans():
        out += [span.name, repr(dict(span.attributes or {})), span.status.description or ""]
        for event in span.events:
            out += [event.name, *(str(v) for v in (event.attributes or {}).values())]
    out += [repr(dict(point.attributes)) for point in otel.points()]
    return out


def log_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every numora record: its message, its attributes, and its formatted traceback."""
    formatter = logging.Formatter()
    out: list[str] = []
    for record in caplog.records:
        if not record.name.startswith("numora"):
            continue
        out += [record.getMessage(), repr(vars(record))]
        if record.exc_info:
            out.append(formatter.formatException(record.exc_info))
    return out


def assert_clean(texts: list[str], secrets: list[str]) -> None:
    for secret in secrets:
        assert secret
        leaked = [text[:200] for text in texts if secret in text or secret[-12:] in text]
        assert not leaked, f"a secret leaked into: {leaked}"


def test_no_secret_in_spans_events_metrics_hooks_or_log_records(
    fake: FakeNumora,
    base_url: str,
    caplog: pytest.LogCaptureFixture,
    make_client: Any,
    otel: Telemetry,
) -> None:
    caplog.set_level(logging.DEBUG)
    infos: list[RetryInfo] = []

    def hook(info: RetryInfo) -> None:
        infos.append(info)
        raise RuntimeError(f"hook failed for {info.request_id}")  # logged with its traceback

    client: Numora = make_client(webhook_secret=WEBHOOK_SECRET, max_retries=2, on_retry=hook)
    errors = 0

    def expect_error(call: Any) -> None:
        nonlocal errors
        with pytest.raises(NumoraError):
            call()
        errors += 1

    created = client.documents.create(schema="invoice_v2", file_url=FILE_URL, external_id="o-1")
    client.documents.retrieve(created.id)
    client.documents.list()
    fake.fail_next(2, status=503, retry_after=0.1)
    client.documents.retrieve(created.id)
    client.documents.wait(created.id, until="processing")
    expect_error(lambda: client.documents.retrieve("doc_missing"))
    fake.fail_next(3, status=500)
    expect_error(lambda: client.documents.retrieve(created.id))
    fake.fail_next(kind="reset", when="after")
    expect_error(lambda: client.documents.create(schema="invoice_v2", file_url=FILE_URL))

    endpoint = client.webhook_endpoints.create(url="https://hooks.example/numora")
    rotated = client.webhook_endpoints.rotate_secret(endpoint.id)
    key = client.api_keys.create(name="ci", scopes=["documents:read"])
    other_key = key.secret.get_secret_value()
    wrong = Numora(api_key="sk_test_wrong_key_987654321", base_url=base_url, max_retries=0)
    expect_error(lambda: wrong.documents.retrieve(created.id))
    wrong.close()

    leaky = Numora(
        api_key=other_key,
        base_url=base_url,
        max_retries=0,
        http_client=httpx.Client(transport=LeakyTransport()),
    )
    expect_error(lambda: leaky.documents.retrieve(created.id))
    leaky.close()

    secrets = [
        fake.api_key,
        other_key,
        "sk_test_wrong_key_987654321",
        WEBHOOK_SECRET,
        endpoint.secret.get_secret_value(),
        rotated.secret.get_secret_value(),
    ]
    assert errors == 5 and len(infos) >= 3
    texts = telemetry_texts(otel)
    assert any("exception" in t for t in texts) and any("Illegal header" in t for t in texts)
    assert_clean(texts, secrets)
    logs = log_texts(caplog)
    assert any("hook failed" in t for t in logs)  # the tracebacks were looked at
    assert_clean(logs, secrets)
    assert_clean([repr(info) for info in infos], secrets)


def test_no_secret_in_the_telemetry_of_the_async_client(
    fake: FakeNumora,
    caplog: pytest.LogCaptureFixture,
    make_async_client: Any,
    otel: Telemetry,
) -> None:
    caplog.set_level(logging.DEBUG)
    infos: list[RetryInfo] = []

    async def main() -> None:
        async with make_async_client(
            webhook_secret=WEBHOOK_SECRET, on_retry=infos.append
        ) as client:
            created = await client.documents.create(schema="invoice_v2", file_url=FILE_URL)
            fake.fail_next(2, status=503, retry_after=0.1)
            await client.documents.retrieve(created.id)
            await client.documents.wait(created.id, until="processing")
            with pytest.raises(NumoraError):
                await client.documents.retrieve("doc_missing")
            endpoint = await client.webhook_endpoints.create(url="https://hooks.example/n")
            secrets.append(endpoint.secret.get_secret_value())
        leaky = AsyncNumora(
            api_key=fake.api_key,
            base_url=str(client.base_url),
            max_retries=0,
            http_client=httpx.AsyncClient(transport=LeakyTransport()),
        )
        with pytest.raises(NumoraError):
            await leaky.documents.retrieve(created.id)
        await leaky.aclose()

    secrets = [fake.api_key, WEBHOOK_SECRET]
    asyncio.run(main())

    assert len(infos) == 2 and len(secrets) == 3
    assert any("Illegal header" in t for t in telemetry_texts(otel))
    assert_clean(telemetry_texts(otel) + log_texts(caplog), secrets)
