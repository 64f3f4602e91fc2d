"""Every code block in README.md runs, unmodified, against the sandbox (FakeNumora over HTTP).

The README is the first thing a new integrator copies from; if it rots, they lose an hour.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from numora import webhooks
from numora.testing import FakeNumora

README = Path(__file__).resolve().parents[1] / "README.md"

MAIN_JOB = (
    "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/python examples/quickstart.py"
)
TESTS = "bash .ci/run"

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    """The bodies of the README's fenced blocks in ``language``, in order."""
    text = README.read_text(encoding="utf-8")
    return [body for lang, body in _FENCE.findall(text) if lang == language]


def block_with(marker: str) -> str:
    found = [body for body in blocks("python") if marker in body]
    assert len(found) == 1, f"expected one README python block containing {marker!r}"
    return found[0]


def run(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    exec(compile(source, str(README), "exec"), namespace)
    return namespace


@pytest.fixture(params=[False, True], ids=["documented values", "preview values"])
def sandbox(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[FakeNumora]:
    # processing_delay=0: documents finish extraction on their own, as on the real API,
    # without the README having to reach into the fake. With preview values the fake sends
    # what the contract allows besides: `pending`, `for_review` and null confidences.
    fake = FakeNumora(processing_delay=0, preview_values=request.param)
    with fake.serve() as base_url:
        monkeypatch.setenv("NUMORA_API_KEY", fake.api_key)
        monkeypatch.setenv("NUMORA_BASE_URL", base_url)
        monkeypatch.setenv("NUMORA_WEBHOOK_SECRET", fake.webhook_secret)
        yield fake


def test_the_readme_has_the_blocks_this_file_runs() -> None:
    python = blocks("python")
    assert len(python) == 3, "a new python block needs a test here"
    assert all(body.strip() for body in python)


def test_both_commands_appear_verbatim() -> None:
    shell = "\n".join(blocks("bash"))
    assert MAIN_JOB in shell.splitlines()
    assert TESTS in shell.splitlines()


def test_sync_quickstart_submits_waits_and_approves(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    run(block_with("from numora import Numora"))

    out = capsys.readouterr().out.splitlines()
    document_id = out[0].split()[0]
    assert out[0] == f"{document_id} created"
    assert sandbox.document(document_id)["status"] == "reviewed"
    assert sandbox.document(document_id)["external_id"] == "inv-1001"
    assert out[-1] == f"{document_id} reviewed"
    assert any(line.startswith("total_amount: ") for line in out)
    if request.node.callspec.params["sandbox"]:  # no confidence: shown, not crashed on
        assert any(line.endswith("(n/a)") for line in out)


def test_sync_quickstart_is_safe_to_run_twice(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str]
) -> None:
    source = block_with("from numora import Numora")
    run(source)
    first = capsys.readouterr().out.splitlines()[0].split()[0]

    run(source)  # same external_id: Numora returns the existing, already reviewed document

    out = capsys.readouterr().out.splitlines()
    assert out == [f"{first} already existed", f"{first} reviewed"]


def test_async_quickstart_submits_waits_approves_and_lists(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str]
) -> None:
    run(block_with("from numora import AsyncNumora"))

    out = capsys.readouterr().out.splitlines()
    approved = [line.split()[0] for line in out if line.endswith(" reviewed")]
    assert len(approved) == 1
    assert sandbox.document(approved[0])["status"] == "reviewed"
    assert f"reviewed: {approved[0]}" in out
    assert re.fullmatch(r"\d+ fields, \d+ line items", out[0])


def _event(document_id: str) -> bytes:
    return json.dumps(
        {
            "id": "evt_readme_1",
            "type": "document.review_required",
            "created_at": "2026-03-21T14:24:11Z",
            "data": {
                "document_id": document_id,
                "schema": "invoice_v2",
                "status": "review_required",
            },
        }
    ).encode()


def test_webhook_snippet_accepts_a_signed_delivery(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str]
) -> None:
    handle_webhook = run(block_with("webhooks.unwrap"))["handle_webhook"]
    body = _event("doc_123")

    status = handle_webhook(body, webhooks.sign(body, sandbox.webhook_secret))

    assert status == 200
    assert capsys.readouterr().out == "ready for review: doc_123\n"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (
            lambda body, headers: (body.replace(b"doc_123", b"doc_999"), headers),
            "no_matching_signature",
        ),
        (lambda body, headers: (body, {}), "missing_header"),
        (
            lambda body, headers: (body, webhooks.sign(body, "whsec_someone_else")),
            "no_matching_signature",
        ),
        (
            lambda body, headers: (
                body,
                webhooks.sign(body, "whsec_x", timestamp="2020-01-01T00:00:00Z"),
            ),
            "timestamp_out_of_tolerance",
        ),
    ],
    ids=["altered-body", "no-headers", "other-secret", "old-timestamp"],
)
def test_webhook_snippet_rejects_what_numora_did_not_sign(
    sandbox: FakeNumora, capsys: pytest.CaptureFixture[str], tamper: Any, reason: str
) -> None:
    handle_webhook = run(block_with("webhooks.unwrap"))["handle_webhook"]
    body = _event("doc_123")
    body, headers = tamper(body, webhooks.sign(body, sandbox.webhook_secret))

    assert handle_webhook(body, headers) == 400
    assert capsys.readouterr().out == f"rejected: {reason}\n"
