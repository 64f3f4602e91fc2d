"""The setups of docs/guides/observability.md run, unmodified, against the sandbox.

The OpenTelemetry setup sets process-wide providers, so it runs in a child interpreter.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from numora.testing import FakeNumora

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guides" / "observability.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def block_with(marker: str) -> str:
    found = [
        body
        for lang, body in _FENCE.findall(GUIDE.read_text(encoding="utf-8"))
        if lang == "python" and marker in body
    ]
    assert len(found) == 1, f"expected one python block containing {marker!r}"
    return found[0]


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNumora]:
    fake = FakeNumora(processing_delay=0)
    with fake.serve() as base_url:
        monkeypatch.setenv("NUMORA_API_KEY", fake.api_key)
        monkeypatch.setenv("NUMORA_BASE_URL", base_url)
        yield fake


def test_the_console_exporter_setup_prints_the_spans_and_the_histogram(
    sandbox: FakeNumora,
) -> None:
    child = subprocess.run(
        [sys.executable, "-c", block_with("ConsoleSpanExporter")],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    out = child.stdout
    names = re.findall(r'^    "name": "(.*)",$', out, re.MULTILINE)
    assert "POST /v1/documents" in names
    assert "GET /v1/documents/{document_id}" in names
    assert "Documents.wait" in names
    assert '"url.template": "/v1/documents/{document_id}"' in out
    assert "http.client.request.duration" in out
    assert re.search(r"^doc_\w+ review_required$", out, re.MULTILINE)
    assert sandbox.api_key not in out + child.stderr


def test_the_hook_setup_reports_a_retry(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.fail_next(1, status=503, retry_after=0.01)

    namespace: dict[str, Any] = {"__name__": "__guide__"}
    exec(compile(block_with("def on_retry"), str(GUIDE), "exec"), namespace)
    namespace["client"].close()

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("retry 1/2: GET /v1/schemas in 0.01s after 503 (req_")
    assert out[1] == "{('/v1/schemas', '503'): 1}"


def test_the_json_formatter_writes_the_fields_of_a_retry(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str]
) -> None:
    logger = logging.getLogger("numora")
    handlers, level = list(logger.handlers), logger.level
    try:
        exec(compile(block_with("class JsonFormatter"), str(GUIDE), "exec"), {})
        sandbox.fail_next(1, status=429, retry_after=0.01)
        from numora import Numora

        with Numora() as client:
            client.schemas.list()
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)

    [line] = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record["level"] == "INFO"
    assert record["message"].startswith("Retrying GET /v1/schemas in 0.01s (status 429;")
    assert record["numora_route"] == "/v1/schemas"
    assert record["numora_reason"] == "429"
    assert record["numora_attempt"] == 1
    assert record["numora_request_id"].startswith("req_")
