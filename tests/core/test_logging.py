"""Logging on the ``numora`` logger, and secrets never showing in logs, reprs or errors."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import textwrap

import httpx
import pytest
import respx
from core_helpers import API_KEY, GET, OPS, WEBHOOK_SECRET, Api, LocalServer, error_body, route

from numora import APIConnectionError, AsyncNumora, AuthenticationError, Numora

pytestmark = pytest.mark.anyio

SECRETS = (API_KEY, WEBHOOK_SECRET)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
        assert secret[-12:] not in text  # not even a tail of it


async def test_debug_logs_of_failing_calls_hold_no_secret(
    api: Api, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: numora, httpx, httpcore
    client = api.client(webhook_secret=WEBHOOK_SECRET)
    route(mock, GET).side_effect = [
        httpx.Response(503, json=error_body("service_unavailable")),
        httpx.ConnectError("refused"),
        httpx.Response(401, json=error_body("unauthorized", "Invalid API key.", "req_401")),
    ]
    unkeyed = OPS["post_unkeyed_create"]
    route(mock, unkeyed).side_effect = httpx.ReadTimeout

    auth_error = await api.fails(AuthenticationError, GET.call, client)
    timeout_error = await api.fails(APIConnectionError, unkeyed.call, client)

    numora_records = [r for r in caplog.records if r.name.startswith("numora")]
    assert any(r.levelno == logging.DEBUG for r in numora_records)  # debug logging did run
    assert any("Retrying" in r.getMessage() for r in numora_records)
    assert_no_secret(caplog.text)
    assert_no_secret(" ".join(repr(r.args) for r in caplog.records))
    for err in (auth_error, timeout_error):
        assert_no_secret(str(err))
        assert_no_secret(repr(err))
        assert_no_secret(repr(err.args))
        assert API_KEY.encode() not in pickle.dumps(err)


@pytest.mark.parametrize("cls", [Numora, AsyncNumora])
def test_reprs_hold_no_secret(cls: type[Numora]) -> None:
    client = cls(
        api_key=API_KEY, base_url="https://api.numora.example", webhook_secret=WEBHOOK_SECRET
    )
    copy = client.with_options(max_retries=0)

    for obj in (client, copy, client.webhooks, client.documents, client.with_raw_response):
        assert_no_secret(repr(obj))
        assert_no_secret(str(obj))


@pytest.mark.parametrize("cls", [Numora, AsyncNumora])
def test_a_malformed_key_is_not_echoed(cls: type[Numora]) -> None:
    key = "sk_live_pasted_with\nnewline_9f8e7d"
    with pytest.raises(ValueError) as info:
        cls(api_key=key, base_url="https://api.numora.example")
    assert "sk_live_pasted" not in str(info.value)
    assert "newline_9f8e7d" not in str(info.value)


@pytest.mark.parametrize("cls", [Numora, AsyncNumora])
def test_the_insecure_http_refusal_does_not_echo_the_key(cls: type[Numora]) -> None:
    with pytest.raises(ValueError) as info:
        cls(api_key=API_KEY, base_url="http://api.numora.example")
    assert_no_secret(str(info.value))


# NUMORA_LOG is read once per process, so it is checked in a child interpreter.
SCRIPT = textwrap.dedent(
    """
    import httpx, numora

    answers = iter([
        httpx.Response(503, headers={"retry-after": "0.01"}),
        httpx.Response(404, json={"error": {"code": "not_found", "message": "No."}}),
    ])
    http = httpx.Client(transport=httpx.MockTransport(lambda request: next(answers)))
    client = numora.Numora(
        api_key=KEY, base_url="https://api.numora.example", http_client=http,
        webhook_secret=SECRET,
    )
    try:
        client.documents.retrieve("doc_1", request_id="req_sub_1")
    except numora.NotFoundError as err:
        print("raised", err)
    """
)


def run_child(level: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMORA_")}
    if level is not None:
        env["NUMORA_LOG"] = level
    code = f"KEY = {API_KEY!r}\nSECRET = {WEBHOOK_SECRET!r}\n" + SCRIPT
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


def test_numora_log_debug_turns_logging_on() -> None:
    child = run_child("DEBUG")

    assert "raised 404 not_found" in child.stdout
    lines = child.stderr.splitlines()
    assert any("numora DEBUG" in line and "/documents/doc_1" in line for line in lines)
    assert any(
        "numora INFO" in line and "Retrying" in line and "req_sub_1" in line for line in lines
    )
    assert_no_secret(child.stderr + child.stdout)


def test_numora_log_info_logs_retries_only() -> None:
    child = run_child("info")

    assert "Retrying" in child.stderr and "req_sub_1" in child.stderr
    assert "DEBUG" not in child.stderr
    assert_no_secret(child.stderr)


def test_without_numora_log_nothing_is_printed() -> None:
    child = run_child(None)

    assert child.stderr == ""
    assert "raised" in child.stdout


async def test_debug_logs_over_a_real_connection_hold_no_secret(
    api: Api, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log each connection step
    client = api.client(base_url=server.base_url, timeout=5, webhook_secret=WEBHOOK_SECRET)

    await api.call(GET.call, client)

    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert server.seen[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert_no_secret(caplog.text)
    assert_no_secret(" ".join(repr(r.args) for r in caplog.records))
