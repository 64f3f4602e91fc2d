"""The ``numora`` command line, run as users run it: ``python -m numora …`` in a subprocess,
against a fake Numora served on 127.0.0.1 by the test."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import numora
from numora import Numora, webhooks
from numora.testing import FakeNumora

SECRET = "whsec_cli_test_secret"
FILE_URL = "https://files.example.com/invoice.pdf"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMORA_")}
    env.update(extra)
    return env


def numora_cli(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "numora", *args],
        input=stdin,
        capture_output=True,
        env=env if env is not None else _env(),
        timeout=180,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode(),
        completed.stderr.decode(),
    )


@pytest.fixture(scope="module")
def fake() -> FakeNumora:
    return FakeNumora()  # documents stay processing until finish_processing()


@pytest.fixture(scope="module")
def api_env(fake: FakeNumora) -> Iterator[dict[str, str]]:
    with fake.serve() as base_url:
        yield _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)


def create_json(api_env: dict[str, str], external_id: str) -> dict[str, Any]:
    run = numora_cli(
        "documents", "create", "--schema", "invoice_v2", "--file-url", FILE_URL,
        "--external-id", external_id, "--json", env=api_env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    created: dict[str, Any] = json.loads(run.stdout)
    return created


def seed(fake: FakeNumora, external_id: str) -> str:
    """A new document, created in-process (setup for commands other than create)."""
    with fake.client() as client:
        return client.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id=external_id
        ).id


# --- basics -------------------------------------------------------------------------------


def test_version() -> None:
    run = numora_cli("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"numora {numora.__version__}"


def test_help_and_version_do_not_import_the_sdk() -> None:
    probe = (
        "import sys\n"
        "from numora.__main__ import main\n"
        "for argv in (['--help'], ['--version'], ['documents', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = {'httpx', 'pydantic', 'numora.types', 'numora._client'} & set(sys.modules)\n"
        "print(sorted(heavy), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        check=False,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "[]"


def test_usage_error_exits_2() -> None:
    run = numora_cli("documents", "get")
    assert run.returncode == 2
    assert "document_id" in run.stderr


def test_missing_settings_exit_2_and_name_the_env_vars() -> None:
    run = numora_cli("documents", "list", env=_env(NUMORA_API_KEY="sk_test_x"))
    assert run.returncode == 2
    assert run.stderr.startswith("error: ")
    assert "NUMORA_BASE_URL" in run.stderr


# --- documents ----------------------------------------------------------------------------


def test_create_is_idempotent_on_external_id(api_env: dict[str, str]) -> None:
    first = create_json(api_env, "cli-inv-1")
    again = create_json(api_env, "cli-inv-1")
    assert first["status"] == "processing"
    assert first["created"] is True
    assert again["created"] is False
    assert again["id"] == first["id"]


def test_create_human_output(api_env: dict[str, str]) -> None:
    run = numora_cli(
        "documents", "create", "--schema", "receipt_v1", "--file-url", FILE_URL,
        "--metadata", "team=ap", env=api_env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert re.match(r"created \S+\n", run.stdout)
    assert "status  processing" in run.stdout


def test_create_uploads_a_local_file(api_env: dict[str, str], tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n% a tiny test file\n")
    run = numora_cli(
        "documents", "create", "--schema", "invoice_v2", "--file", str(scan), "--json",
        env=api_env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["status"] == "processing"


def test_list_filters_and_prints_json(fake: FakeNumora, api_env: dict[str, str]) -> None:
    doc_id = seed(fake, "cli-list-1")
    run = numora_cli("documents", "list", "--external-id", "cli-list-1", "--json", env=api_env)
    assert run.returncode == 0, run.stderr
    page = json.loads(run.stdout)
    assert [doc["id"] for doc in page["data"]] == [doc_id]
    assert page["next_cursor"] is None

    human = numora_cli("documents", "list", "--external-id", "cli-list-1", env=api_env)
    assert human.stdout.splitlines()[0].split() == [
        "ID", "STATUS", "SCHEMA", "EXTERNAL_ID", "UPDATED_AT",
    ]  # fmt: skip
    assert doc_id in human.stdout


def test_list_pages_with_cursor(fake: FakeNumora, api_env: dict[str, str]) -> None:
    for n in range(5):
        seed(fake, f"cli-page-{n}")
    first = json.loads(
        numora_cli("documents", "list", "--limit", "2", "--json", env=api_env).stdout
    )
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = numora_cli(
        "documents", "list", "--limit", "2", "--cursor", first["next_cursor"], "--json",
        env=api_env,
    )  # fmt: skip
    ids = {doc["id"] for doc in json.loads(second.stdout)["data"]}
    assert ids and not ids & {doc["id"] for doc in first["data"]}
    everything = numora_cli("documents", "list", "--limit", "2", "--all", "--json", env=api_env)
    assert len(json.loads(everything.stdout)["data"]) >= 5


def test_lifecycle_wait_result_approve_dispatch(fake: FakeNumora, api_env: dict[str, str]) -> None:
    doc_id = seed(fake, "cli-life-1")

    timed_out = numora_cli(
        "documents", "wait", doc_id, "--until", "review_required", "--timeout", "0.3",
        "--interval", "0.1", env=api_env,
    )  # fmt: skip
    assert timed_out.returncode == 4
    assert "error: wait_timeout" in timed_out.stderr
    assert "processing" in timed_out.stderr

    fake.finish_processing(doc_id, fields={"total_amount": 1200.5})
    waited = numora_cli(
        "documents", "wait", doc_id, "--until", "review_required", "--json", env=api_env
    )
    assert waited.returncode == 0, waited.stderr
    assert json.loads(waited.stdout)["status"] == "review_required"

    result = numora_cli("documents", "result", doc_id, "--json", env=api_env)
    assert json.loads(result.stdout)["fields"]["total_amount"]["value"] == 1200.5
    human = numora_cli("documents", "result", doc_id, env=api_env)
    assert re.search(r"total_amount\s+1200\.5", human.stdout)

    approved = numora_cli("documents", "approve", doc_id, "--json", env=api_env)
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["status"] == "reviewed"

    dispatched = numora_cli("documents", "dispatch", doc_id, "--json", env=api_env)
    assert dispatched.returncode == 0, dispatched.stderr
    assert json.loads(dispatched.stdout)["status"] == "push_pending"

    shown = numora_cli("documents", "get", doc_id, env=api_env)
    assert shown.stdout.startswith(f"{doc_id}  push_succeeded")


def test_api_error_exits_1_with_code_and_request_id(
    fake: FakeNumora, api_env: dict[str, str]
) -> None:
    run = numora_cli("documents", "get", "doc_does_not_exist", env=api_env)
    assert run.returncode == 1
    match = re.fullmatch(r"error: not_found (.+) \(request id: (\S+)\)\n", run.stderr)
    assert match, run.stderr
    assert match[2] == fake.requests[-1].request_id
    assert run.stdout == ""


def test_conflict_exits_1(fake: FakeNumora, api_env: dict[str, str]) -> None:
    doc_id = seed(fake, "cli-conflict-1")
    fake.finish_processing(doc_id)
    stale = "2020-01-01T00:00:00.000Z"
    run = numora_cli("documents", "approve", doc_id, "--expected-updated-at", stale, env=api_env)
    assert run.returncode == 1
    assert run.stderr.startswith("error: conflict ")
    assert "request id: req_" in run.stderr


def test_wrong_key_exits_1_and_never_echoes_the_key(api_env: dict[str, str]) -> None:
    env = {**api_env, "NUMORA_API_KEY": "sk_test_not_a_real_key_123"}
    run = numora_cli("documents", "list", env=env)
    assert run.returncode == 1
    assert run.stderr.startswith("error: unauthorized ")
    assert "sk_test_not_a_real_key_123" not in run.stderr + run.stdout


# --- sandbox ------------------------------------------------------------------------------


def _lines(stream: Any) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _until(lines: queue.Queue[str], pattern: str) -> re.Match[str]:
    while True:
        line = lines.get(timeout=120)  # a bound for a very busy machine
        found = re.search(pattern, line)
        if found:
            return found


def test_sandbox_serves_logs_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "numora", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        lines = _lines(process.stdout)
        base_url = _until(lines, r"^  export NUMORA_BASE_URL=(\S+)$")[1]
        api_key = _until(lines, r"^  export NUMORA_API_KEY=(\S+)$")[1]
        _until(lines, r"curl .*\$NUMORA_BASE_URL/v1/")
        with Numora(api_key=api_key, base_url=base_url) as client:
            schemas = client.schemas.list()
            assert "invoice_v2" in {schema.id for schema in schemas.data}
        _until(lines, r"GET\s+/v1/schemas\s+200\s+req_")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 0
        _until(lines, r"^sandbox stopped$")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stderr is not None
        process.stderr.close()
        assert process.stdout is not None
        process.stdout.close()


# --- webhooks trigger ---------------------------------------------------------------------


class _Receiver:
    """A local webhook receiver recording what it gets, answering ``status``."""

    def __init__(self, status: int = 200) -> None:
        self.received: list[tuple[bytes, dict[str, str]]] = []
        received, answer = self.received, status

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                received.append((body, dict(self.headers)))
                reply = b'{"received": true}'
                self.send_response(answer)
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    started = _Receiver()
    yield started
    started.close()


EVENT_MODELS = {
    "document.processing": "DocumentProcessingEvent",
    "document.review_required": "DocumentReviewRequiredEvent",
    "document.reviewed": "DocumentReviewedEvent",
    "push.succeeded": "PushSucceededEvent",
    "push.failed": "PushFailedEvent",
    "run.failed": "RunFailedEvent",
}


def test_trigger_sends_a_signed_sample_of_every_event_type(receiver: _Receiver) -> None:
    for event_type, model in EVENT_MODELS.items():
        run = numora_cli(
            "webhooks", "trigger", event_type, "--forward-to", receiver.url,
            "--secret", SECRET, "--document-id", "doc_cli_1",
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert re.search(r"^<- 200 OK", run.stdout, re.M)
        assert '{"received": true}' in run.stdout
        assert SECRET not in run.stdout + run.stderr
        body, headers = receiver.received[-1]
        event = webhooks.unwrap(body, headers, SECRET)  # raises unless correctly signed
        assert type(event).__name__ == model
        assert event.type == event_type
        assert event.to_dict()["data"]["document_id"] == "doc_cli_1"
        assert headers["Content-Type"] == "application/json"


def test_trigger_json_output_and_secret_from_env(receiver: _Receiver) -> None:
    run = numora_cli(
        "webhooks", "trigger", "run.failed", "--forward-to", receiver.url, "--json",
        env=_env(NUMORA_WEBHOOK_SECRET=SECRET),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout)
    assert shown["status_code"] == 200
    assert shown["event"]["data"]["error"]["code"]
    assert json.loads(receiver.received[-1][0]) == shown["event"]


def test_trigger_reports_a_refusing_receiver() -> None:
    refusing = _Receiver(status=500)
    try:
        run = numora_cli(
            "webhooks", "trigger", "push.succeeded", "--forward-to", refusing.url,
            "--secret", SECRET,
        )  # fmt: skip
    finally:
        refusing.close()
    assert run.returncode == 1
    assert "<- 500" in run.stdout


def test_trigger_usage_errors() -> None:
    unknown = numora_cli(
        "webhooks", "trigger", "document.exploded", "--forward-to", "http://127.0.0.1:9/",
        "--secret", SECRET,
    )  # fmt: skip
    assert unknown.returncode == 2
    assert "document.reviewed" in unknown.stderr
    no_secret = numora_cli(
        "webhooks", "trigger", "push.failed", "--forward-to", "http://127.0.0.1:9/"
    )
    assert no_secret.returncode == 2
    assert "NUMORA_WEBHOOK_SECRET" in no_secret.stderr


# --- webhooks verify ----------------------------------------------------------------------

BODY = json.dumps(
    {
        "id": "evt_cli_1",
        "type": "document.reviewed",
        "created_at": "2026-03-21T14:24:11Z",
        "data": {"document_id": "doc_1", "schema": "invoice_v2", "status": "reviewed"},
    }
).encode()


def _signed(at: datetime | None = None) -> dict[str, str]:
    return webhooks.sign(BODY, SECRET, timestamp=at or datetime.now(timezone.utc))


def _files(tmp_path: Path, headers: dict[str, str], body: bytes) -> list[str]:
    (tmp_path / "headers.txt").write_text("".join(f"{k}: {v}\n" for k, v in headers.items()))
    (tmp_path / "body.json").write_bytes(body)
    return ["--headers", str(tmp_path / "headers.txt"), "--body", str(tmp_path / "body.json")]


def test_verify_valid_delivery_from_files(tmp_path: Path) -> None:
    run = numora_cli("webhooks", "verify", "--secret", SECRET, *_files(tmp_path, _signed(), BODY))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "valid: document.reviewed evt_cli_1\n"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("tampered_body", "no_matching_signature"),
        ("other_secret", "no_matching_signature"),
        ("no_signature", "missing_header"),
        ("old_timestamp", "timestamp_out_of_tolerance"),
    ],
)
def test_verify_says_which_check_failed(tmp_path: Path, change: str, reason: str) -> None:
    old = datetime.now(timezone.utc) - timedelta(hours=1)
    headers = _signed(old if change == "old_timestamp" else None)
    body = BODY.replace(b"reviewed", b"approved") if change == "tampered_body" else BODY
    if change == "no_signature":
        del headers[webhooks.SIGNATURE_HEADER]
    secret = "whsec_someone_else" if change == "other_secret" else SECRET
    run = numora_cli("webhooks", "verify", "--secret", secret, *_files(tmp_path, headers, body))
    assert run.returncode == 3
    assert run.stdout.startswith(f"invalid: {reason}: ")
    assert SECRET not in run.stdout + run.stderr


def test_verify_whole_request_from_stdin_with_json_output() -> None:
    message = "POST /webhooks HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in _signed().items())
    raw = message.encode() + b"\r\n" + BODY
    run = numora_cli(
        "webhooks", "verify", "--json", stdin=raw, env=_env(NUMORA_WEBHOOK_SECRET=SECRET)
    )
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout)
    assert shown["valid"] is True
    assert shown["event_id"] == "evt_cli_1"
    assert shown["type"] == "document.reviewed"

    tampered = numora_cli("webhooks", "verify", "--json", "--secret", SECRET, stdin=raw + b" ")
    assert tampered.returncode == 3
    assert json.loads(tampered.stdout)["reason"] == "no_matching_signature"


def test_verify_body_from_stdin_headers_as_json(tmp_path: Path) -> None:
    headers_file = tmp_path / "headers.json"
    headers_file.write_text(json.dumps(_signed()))
    run = numora_cli(
        "webhooks", "verify", "--secret", SECRET, "--headers", str(headers_file), stdin=BODY
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("valid: ")
