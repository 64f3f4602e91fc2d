"""Secrets: API keys and webhook secrets never show up in logs, reprs, errors, pickles or dicts.

Representative flows run at DEBUG with every logger captured (numora, httpx, httpcore and
the fake): creates, reads, retries, every kind of error, webhook endpoints and their
secrets, key rotation, webhook verification failures.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

from numora import Numora, NumoraError, WebhookVerificationError, webhooks
from numora.testing import FakeNumora

FILE_URL = "https://files.example/invoice.pdf"
WEBHOOK_SECRET = "whsec_client_side_secret_0123456789"


def texts(value: Any) -> list[str]:
    """Every way a value is commonly turned into text or bytes by users and tools."""
    out = [repr(value), str(value)]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        out.append(repr(to_dict()))
    if not any(isinstance(v, SecretStr) for v in getattr(value, "__dict__", {}).values()):
        # A model that holds a revealed secret must pickle it to be restorable; anything
        # else (errors, pages, documents) must not carry one.
        # Clients are not picklable: nothing can leak that way.
        with contextlib.suppress(TypeError, AttributeError, pickle.PicklingError):
            out.append(repr(pickle.dumps(value)))
    return out


def test_no_secret_in_logs_reprs_errors_pickles_or_dicts(
    fake: FakeNumora, base_url: str, caplog: pytest.LogCaptureFixture, make_client: Any
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: numora, httpx, httpcore, everything
    client: Numora = make_client(webhook_secret=WEBHOOK_SECRET, max_retries=2)
    seen: list[Any] = [client, client.documents, client.webhooks, client.with_raw_response]
    errors: list[NumoraError] = []

    def expect_error(call: Any) -> None:
        with pytest.raises(NumoraError) as raised:
            call()
        errors.append(raised.value)

    created = client.documents.create(schema="invoice_v2", file_url=FILE_URL, external_id="s-1")
    seen += [created, client.documents.retrieve(created.id), client.documents.list()]
    fake.fail_next(2, status=503, retry_after=0.1)
    seen.append(client.documents.retrieve(created.id))  # retried, logged at INFO
    expect_error(lambda: client.documents.retrieve("doc_missing"))
    expect_error(lambda: client.documents.retrieve_result(created.id))
    fake.fail_next(3, status=500)
    expect_error(lambda: client.documents.retrieve(created.id))
    fake.fail_next(kind="reset", when="after")
    expect_error(lambda: client.documents.create(schema="invoice_v2", file_url=FILE_URL))

    endpoint = client.webhook_endpoints.create(url="https://hooks.example/numora")
    rotated = client.webhook_endpoints.rotate_secret(endpoint.id)
    endpoint_secrets = [
        endpoint.secret.get_secret_value(),
        rotated.secret.get_secret_value(),
    ]
    key = client.api_keys.create(name="ci", scopes=["documents:read"])
    other_key = key.secret.get_secret_value()
    seen += [endpoint, rotated, key]

    scoped = Numora(api_key=other_key, base_url=base_url, max_retries=0)
    seen.append(scoped)
    expect_error(lambda: scoped.documents.create(schema="invoice_v2", file_url=FILE_URL))
    scoped.close()
    revoked = Numora(api_key="sk_test_wrong_key_987654321", base_url=base_url, max_retries=0)
    expect_error(lambda: revoked.documents.retrieve(created.id))
    revoked.close()

    body = b'{"id": "evt_1", "type": "document.reviewed", "data": {}}'
    signed = webhooks.sign(body, "whsec_other_secret_555")
    checks: list[Callable[[], object]] = [
        lambda: client.webhooks.verify(body, signed),
        lambda: webhooks.verify(body, signed, endpoint_secrets),
        lambda: webhooks.verify(body, {}, WEBHOOK_SECRET),
        lambda: webhooks.verify(body, signed, ""),
    ]
    for bad in checks:
        with pytest.raises(WebhookVerificationError) as raised:
            bad()
        errors.append(raised.value)

    secrets = [
        fake.api_key,
        other_key,
        "sk_test_wrong_key_987654321",
        WEBHOOK_SECRET,
        "whsec_other_secret_555",
        *endpoint_secrets,
    ]
    assert len(errors) == 10 and caplog.records
    lines = [record.getMessage() for record in caplog.records]
    outputs = lines + [text for value in seen + errors for text in texts(value)]
    for secret in secrets:
        leaked = [text[:200] for text in outputs if secret in text]
        assert not leaked, f"a secret leaked into: {leaked}"
    # The secrets are still there for whoever asks for them explicitly.
    assert endpoint.secret.get_secret_value().startswith("whsec_")
