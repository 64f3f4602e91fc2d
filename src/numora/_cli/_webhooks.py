"""``numora webhooks trigger`` and ``numora webhooks verify``."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from datetime import datetime, timezone
from typing import Any

from ..webhooks import EVENT_TYPES
from . import EXIT_API, EXIT_OK, EXIT_USAGE, EXIT_VERIFY
from ._output import CLIError, emit_json, out

_MAX_BODY_SHOWN = 2000


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def sample_event(event_type: str, *, document_id: str | None = None) -> dict[str, Any]:
    """A realistic envelope of ``event_type``, shaped as Numora sends it (contract §7)."""
    if event_type not in EVENT_TYPES:
        raise CLIError(
            f"unknown event type {event_type!r}; one of: {', '.join(EVENT_TYPES)}",
            code=EXIT_USAGE,
        )
    document_id = document_id or _id("doc")
    data: dict[str, Any]
    if event_type.startswith("document."):
        data = {
            "document_id": document_id,
            "schema": "invoice_v2",
            "status": event_type.removeprefix("document."),
            "external_id": "inv-2026-0042",
        }
    elif event_type == "push.succeeded":
        data = {
            "document_id": document_id,
            "provider": "dynamics365",
            "execution_id": _id("exec"),
            "external_record_id": "8f2c1d4e-5b6a-4c3d-9e8f-7a6b5c4d3e2f",
            "error_code": None,
            "error_message": None,
        }
    elif event_type == "push.failed":
        data = {
            "document_id": document_id,
            "provider": "dynamics365",
            "execution_id": _id("exec"),
            "external_record_id": None,
            "error_code": "provider_error",
            "error_message": "Dynamics 365 rejected the record: vendor account not found",
        }
    else:
        data = {
            "run_id": _id("run"),
            "workflow_id": _id("wf"),
            "document_id": document_id,
            "error": {
                "code": "provider_error",
                "message": "node 'Create invoice' failed: Dynamics 365 answered 502",
            },
        }
    created_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"id": _id("evt"), "type": event_type, "created_at": created_at, "data": data}


def _secrets(given: str | list[str] | None) -> list[str]:
    if isinstance(given, str):
        given = [given]
    env = os.environ.get("NUMORA_WEBHOOK_SECRET")
    found = list(given) if given else ([env] if env else [])
    if not found:
        raise CLIError(
            "no webhook secret: pass --secret whsec_… or set NUMORA_WEBHOOK_SECRET",
            code=EXIT_USAGE,
        )
    return found


def trigger(args: argparse.Namespace) -> int:
    import httpx

    from numora import webhooks
    from numora._version import __version__

    secret = _secrets(args.secret)
    event = sample_event(args.event_type, document_id=args.document_id)
    body = json.dumps(event, separators=(",", ":")).encode()
    headers = {
        **webhooks.sign(body, secret),
        "Content-Type": "application/json",
        "User-Agent": f"numora-cli/{__version__} (webhooks trigger)",
    }
    if not args.json:
        out(f"-> POST {args.forward_to}  {event['type']}  {event['id']}")
    started = time.monotonic()
    try:
        # trust_env=False: the receiver is usually local, and a proxy from the env would
        # intercept it.
        with httpx.Client(timeout=10.0, trust_env=False) as http:
            response = http.post(args.forward_to, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise CLIError(f"could not reach {args.forward_to}: {exc}") from None
    elapsed_ms = (time.monotonic() - started) * 1000
    ok = response.is_success
    if args.json:
        emit_json(
            {
                "event": event,
                "status_code": response.status_code,
                "ok": ok,
                "response_body": response.text,
            }
        )
    else:
        out(f"<- {response.status_code} {response.reason_phrase}  ({elapsed_ms:.0f} ms)")
        text = response.text
        if text:
            out(text[:_MAX_BODY_SHOWN] + ("…" if len(text) > _MAX_BODY_SHOWN else ""))
        if not ok:
            out("the receiver did not acknowledge the event (Numora would retry it)")
    return EXIT_OK if ok else EXIT_API


# --- verify -------------------------------------------------------------------------------


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise CLIError(f"cannot read {path}: {exc.strerror}", code=EXIT_USAGE) from None


def parse_headers(text: str) -> dict[str, str]:
    """Headers from a JSON object, or from ``Name: value`` lines (a request line is skipped)."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            loaded = json.loads(stripped)
        except ValueError as exc:
            raise CLIError(f"the headers are not valid JSON: {exc}", code=EXIT_USAGE) from None
        if not isinstance(loaded, dict):
            raise CLIError("the headers JSON must be an object", code=EXIT_USAGE)
        return {str(name): str(value) for name, value in loaded.items()}
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break  # the end of a header block
        name, sep, value = line.partition(":")
        if sep and " " not in name.strip():
            headers[name.strip()] = value.strip()
    return headers


def _split_message(raw: bytes) -> tuple[dict[str, str], bytes]:
    """A whole request from stdin: header lines, an empty line, then the body as is."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, sep, body = raw.partition(separator)
        if sep:
            return parse_headers(head.decode("utf-8", errors="replace")), body
    raise CLIError(
        "expected header lines, an empty line, then the body (or use --headers and --body)",
        code=EXIT_USAGE,
    )


def _inputs(args: argparse.Namespace) -> tuple[dict[str, str], bytes]:
    if args.headers == "-" and args.body == "-":
        raise CLIError("only one of --headers and --body can be read from stdin", EXIT_USAGE)
    if args.headers is None and args.body is None:
        return _split_message(sys.stdin.buffer.read())
    headers_raw = _read(args.headers or "-")
    body = _read(args.body or "-")
    return parse_headers(headers_raw.decode("utf-8", errors="replace")), body


def verify(args: argparse.Namespace) -> int:
    from numora import WebhookVerificationError, webhooks

    keys = _secrets(args.secret)
    headers, body = _inputs(args)
    try:
        webhooks.verify(body, headers, keys, tolerance=args.tolerance)
    except WebhookVerificationError as exc:
        if args.json:
            emit_json({"valid": False, "reason": exc.reason, "message": str(exc)})
        else:
            out(f"invalid: {exc.reason}: {exc}")
        return EXIT_VERIFY
    event: Any
    try:
        event = json.loads(body)
    except ValueError:
        event = None
    summary = event if isinstance(event, dict) else {}
    if args.json:
        emit_json(
            {
                "valid": True,
                "event_id": summary.get("id"),
                "type": summary.get("type"),
                "timestamp": _timestamp(headers),
            }
        )
    else:
        out(f"valid: {summary.get('type', '?')} {summary.get('id', '?')}")
    return EXIT_OK


def _timestamp(headers: dict[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == "x-numora-webhook-timestamp":
            return value
    return None
