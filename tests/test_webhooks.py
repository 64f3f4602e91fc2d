"""numora.webhooks: verify, unwrap, sign and client.webhooks.

Expected signatures are computed here with hmac/hashlib (and one with the openssl CLI), never
with sign(), so sign() and verify() cannot agree on a shared mistake.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numora import WebhookVerificationError, webhooks

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_previous0000000000000000000000"
T = "2026-03-21T14:24:11Z"
NOW = datetime(2026, 3, 21, 14, 24, 11, tzinfo=timezone.utc)
BODY = (
    b'{"id":"evt_01","type":"document.reviewed","created_at":"2026-03-21T14:24:11Z",'
    b'"data":{"document_id":"doc_123","schema":"invoice_v2","status":"reviewed",'
    b'"external_id":"inv-42"}}'
)
# printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
OPENSSL_V1 = "d309d2bd1591ae703058442143baa39145fb82fd6e45366415bb4d65695bee1b"


def v1(secret: str, t: str, body: bytes) -> str:
    return hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed(body: bytes = BODY, t: str = T, secrets: tuple[str, ...] = (SECRET,)) -> dict[str, str]:
    entries = ",".join(f"v1={v1(s, t, body)}" for s in secrets)
    return {
        "X-Numora-Webhook-Id": "evt_01",
        "X-Numora-Webhook-Timestamp": t,
        "X-Numora-Webhook-Signature": f"t={t},{entries}",
    }


def reason_of(body: Any, headers: Any, secret: Any = SECRET, **kwargs: Any) -> str:
    kwargs.setdefault("now", NOW)
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.verify(body, headers, secret, **kwargs)
    message = str(info.value)
    for value in (SECRET, OLD_SECRET):
        assert value not in message
        assert value not in repr(info.value)
    return info.value.reason


# --- accepting ------------------------------------------------------------------------------


def test_matches_an_independent_openssl_vector() -> None:
    assert v1(SECRET, T, BODY) == OPENSSL_V1
    headers = {"X-Numora-Webhook-Signature": f"t={T},v1={OPENSSL_V1}"}
    webhooks.verify(BODY, headers, SECRET, now=NOW)


def test_str_payload_is_verified_as_its_utf8_bytes() -> None:
    body = '{"note":"Übersicht €"}'
    webhooks.verify(body, signed(body.encode("utf-8")), SECRET, now=NOW)


def test_non_utf8_body_is_verified_byte_for_byte() -> None:
    body = b"\xff\xfe\x00binary\x80\xc3("
    webhooks.verify(body, signed(body), SECRET, now=NOW)
    assert reason_of(body[:-1], signed(body)) == "no_matching_signature"


def test_timestamp_header_is_optional() -> None:
    headers = signed()
    del headers["X-Numora-Webhook-Timestamp"]
    webhooks.verify(BODY, headers, SECRET, now=NOW)


def test_timestamps_with_offset_and_fraction_are_read() -> None:
    for t in ("2026-03-21T15:24:11+01:00", "2026-03-21T14:24:11.000Z"):
        webhooks.verify(BODY, signed(t=t), SECRET, now=NOW)


def test_unknown_signature_schemes_and_spaces_are_tolerated() -> None:
    sig = v1(SECRET, T, BODY)
    headers = {"X-Numora-Webhook-Signature": f"t={T}, v0=abc, v1={sig}, v2=def"}
    webhooks.verify(BODY, headers, SECRET, now=NOW)


# --- headers, read case-insensitively -------------------------------------------------------


def _header_variants() -> list[tuple[str, Any]]:
    from django.http.request import HttpHeaders  # type: ignore[import-untyped]  # no stubs
    from starlette.datastructures import Headers as StarletteHeaders
    from werkzeug.datastructures import EnvironHeaders
    from werkzeug.datastructures import Headers as WerkzeugHeaders

    base = signed()
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in base.items()}
    return [
        ("canonical", base),
        ("lower", {k.lower(): v for k, v in base.items()}),
        ("upper", {k.upper(): v for k, v in base.items()}),
        ("mixed", {k.swapcase(): v for k, v in base.items()}),
        ("bytes values", {k.lower(): v.encode() for k, v in base.items()}),
        ("django META", meta),
        ("django HttpHeaders", HttpHeaders(meta)),
        ("starlette", StarletteHeaders({k.lower(): v for k, v in base.items()})),
        ("werkzeug Headers", WerkzeugHeaders(base)),
        ("werkzeug EnvironHeaders", EnvironHeaders(meta)),
    ]


@pytest.mark.parametrize(("kind", "headers"), _header_variants(), ids=lambda x: str(x)[:24])
def test_header_names_are_case_insensitive(kind: str, headers: Any) -> None:
    webhooks.verify(BODY, headers, SECRET, now=NOW)
    # Case-folded lookup must not weaken the check itself.
    assert reason_of(BODY + b" ", headers) == "no_matching_signature"


# --- refusing -------------------------------------------------------------------------------


def _replace_t(headers: dict[str, str], t: str) -> dict[str, str]:
    sig = headers["X-Numora-Webhook-Signature"].split(",", 1)[1]
    return {
        **headers,
        "X-Numora-Webhook-Signature": f"t={t},{sig}",
        "X-Numora-Webhook-Timestamp": t,
    }


SIG = v1(SECRET, T, BODY)
REFUSALS: list[tuple[str, Any, dict[str, Any], str]] = [
    ("tampered body", BODY.replace(b"doc_123", b"doc_124"), signed(), "no_matching_signature"),
    (
        "re-serialized body",
        json.dumps(json.loads(BODY)).encode(),
        signed(),
        "no_matching_signature",
    ),
    (
        "tampered timestamp",
        BODY,
        _replace_t(signed(), "2026-03-21T14:24:12Z"),
        "no_matching_signature",
    ),
    (
        "tampered signature",
        BODY,
        {"X-Numora-Webhook-Signature": f"t={T},v1={SIG[:-1]}0"},
        "no_matching_signature",
    ),
    (
        "uppercase hex",
        BODY,
        {"X-Numora-Webhook-Signature": f"t={T},v1={SIG.upper()}"},
        "no_matching_signature",
    ),
    (
        "non-ascii signature",
        BODY,
        {"X-Numora-Webhook-Signature": f"t={T},v1=é{SIG[1:]}"},
        "no_matching_signature",
    ),
    ("wrong secret", BODY, signed(secrets=("whsec_other",)), "no_matching_signature"),
    (
        "timestamps disagree",
        BODY,
        {**signed(), "X-Numora-Webhook-Timestamp": "2026-03-21T14:24:10Z"},
        "timestamp_mismatch",
    ),
    ("no signature header", BODY, {"X-Numora-Webhook-Timestamp": T}, "missing_header"),
    ("no headers at all", BODY, {}, "missing_header"),
    ("empty signature header", BODY, {"X-Numora-Webhook-Signature": ""}, "malformed_header"),
    ("no t entry", BODY, {"X-Numora-Webhook-Signature": f"v1={SIG}"}, "malformed_header"),
    ("no v1 entry", BODY, {"X-Numora-Webhook-Signature": f"t={T},v2={SIG}"}, "malformed_header"),
    (
        "two t entries",
        BODY,
        {"X-Numora-Webhook-Signature": f"t={T},t={T},v1={SIG}"},
        "malformed_header",
    ),
    ("entry without =", BODY, {"X-Numora-Webhook-Signature": f"t={T},{SIG}"}, "malformed_header"),
    (
        "unix seconds",
        BODY,
        {"X-Numora-Webhook-Signature": f"t=1774103051,v1={SIG}"},
        "malformed_header",
    ),
    (
        "no timezone",
        BODY,
        {"X-Numora-Webhook-Signature": f"t=2026-03-21T14:24:11,v1={SIG}"},
        "malformed_header",
    ),
    (
        "impossible date",
        BODY,
        {"X-Numora-Webhook-Signature": f"t=2026-02-30T14:24:11Z,v1={SIG}"},
        "malformed_header",
    ),
    (
        "space separator",
        BODY,
        {"X-Numora-Webhook-Signature": f"t=2026-03-21 14:24:11Z,v1={SIG}"},
        "malformed_header",
    ),
    ("header value not text", BODY, {"X-Numora-Webhook-Signature": 42}, "malformed_header"),
]


@pytest.mark.parametrize(
    ("body", "headers", "reason"),
    [row[1:] for row in REFUSALS],
    ids=[row[0] for row in REFUSALS],
)
def test_refuses_with_the_failed_check_as_reason(body: Any, headers: Any, reason: str) -> None:
    assert reason_of(body, headers) == reason


def test_error_is_a_numora_error_and_a_value_error() -> None:
    import numora

    with pytest.raises(numora.NumoraError) as info:
        webhooks.verify(BODY, {}, SECRET, now=NOW)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("payload", [json.loads(BODY), [1, 2], None, 12])
def test_parsed_payload_is_refused_with_the_raw_body_recipes(payload: Any) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.verify(payload, signed(), SECRET, now=NOW)
    assert info.value.reason == "invalid_payload"
    message = str(info.value)
    assert "raw request body" in message
    for recipe in ("await request.body()", "request.get_data()", "request.body"):
        assert recipe in message


@pytest.mark.parametrize("secret", ["", [], [""], None, b"whsec_bytes", [SECRET, 3]])
def test_missing_or_empty_secret_is_refused(secret: Any) -> None:
    assert reason_of(BODY, signed(), secret) == "invalid_secret"


def test_headers_that_are_not_a_mapping_are_refused() -> None:
    assert reason_of(BODY, None) == "missing_header"


# --- clock: tolerance in both directions ----------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "ok"),
    [
        (0, True),
        (300, True),
        (-300, True),
        (300.5, False),
        (-300.5, False),
        (301, False),
        (-301, False),
    ],
)
def test_tolerance_edges_in_both_directions(offset: float, ok: bool) -> None:
    now = NOW + timedelta(seconds=offset)
    for clock in (now, now.timestamp(), now.astimezone(timezone(timedelta(hours=-7)))):
        if ok:
            webhooks.verify(BODY, signed(), SECRET, now=clock)
        else:
            assert reason_of(BODY, signed(), now=clock) == "timestamp_out_of_tolerance"


def test_tolerance_is_configurable() -> None:
    late = NOW + timedelta(seconds=900)
    assert reason_of(BODY, signed(), now=late) == "timestamp_out_of_tolerance"
    webhooks.verify(BODY, signed(), SECRET, now=late, tolerance=900)
    assert reason_of(BODY, signed(), now=late, tolerance=899) == "timestamp_out_of_tolerance"


def test_out_of_tolerance_message_says_which_direction() -> None:
    with pytest.raises(WebhookVerificationError, match="in the future"):
        webhooks.verify(BODY, signed(), SECRET, now=NOW - timedelta(hours=1))
    with pytest.raises(WebhookVerificationError, match="in the past"):
        webhooks.verify(BODY, signed(), SECRET, now=NOW + timedelta(hours=1))


def test_default_clock_is_the_system_clock() -> None:
    t = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    webhooks.verify(BODY, signed(t=t), SECRET)
    assert reason_of(BODY, signed(), now=None) == "timestamp_out_of_tolerance"


def test_naive_now_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        webhooks.verify(BODY, signed(), SECRET, now=datetime(2026, 3, 21, 14, 24, 11))


# --- secret rotation ------------------------------------------------------------------------


def test_rotation_two_secrets_and_two_v1_entries() -> None:
    both = signed(secrets=(SECRET, OLD_SECRET))
    only_old = signed(secrets=(OLD_SECRET,))
    webhooks.verify(BODY, both, SECRET, now=NOW)
    webhooks.verify(BODY, both, OLD_SECRET, now=NOW)
    webhooks.verify(BODY, only_old, [SECRET, OLD_SECRET], now=NOW)
    webhooks.verify(BODY, only_old, (OLD_SECRET, SECRET), now=NOW)
    assert reason_of(BODY, only_old, SECRET) == "no_matching_signature"
    assert reason_of(BODY, both, ["whsec_x", "whsec_y"]) == "no_matching_signature"


# --- sign() ---------------------------------------------------------------------------------


def test_sign_produces_the_documented_headers() -> None:
    headers = webhooks.sign(BODY, SECRET, timestamp=NOW)
    assert headers == {
        "X-Numora-Webhook-Id": "evt_01",
        "X-Numora-Webhook-Timestamp": T,
        "X-Numora-Webhook-Signature": f"t={T},v1={OPENSSL_V1}",
    }


def test_sign_with_two_secrets_gives_one_v1_entry_each() -> None:
    headers = webhooks.sign(BODY, [SECRET, OLD_SECRET], timestamp=T, event_id="evt_x")
    assert headers["X-Numora-Webhook-Id"] == "evt_x"
    assert headers["X-Numora-Webhook-Signature"] == (
        f"t={T},v1={v1(SECRET, T, BODY)},v1={v1(OLD_SECRET, T, BODY)}"
    )


def test_sign_defaults_to_now_in_whole_utc_seconds_and_a_new_event_id() -> None:
    before = int(time.time())
    headers = webhooks.sign(b"not json", SECRET)
    after = int(time.time())
    t = headers["X-Numora-Webhook-Timestamp"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t)
    stamp = datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
    assert before <= stamp <= after
    assert headers["X-Numora-Webhook-Id"].startswith("evt_")
    assert (
        headers["X-Numora-Webhook-Id"] != webhooks.sign(b"not json", SECRET)["X-Numora-Webhook-Id"]
    )
    webhooks.verify(b"not json", headers, SECRET)


def test_sign_converts_an_aware_datetime_to_utc_and_refuses_naive() -> None:
    local = datetime(2026, 3, 21, 15, 24, 11, 999_000, tzinfo=timezone(timedelta(hours=1)))
    assert webhooks.sign(BODY, SECRET, timestamp=local)["X-Numora-Webhook-Timestamp"] == T
    with pytest.raises(ValueError, match="timezone-aware"):
        webhooks.sign(BODY, SECRET, timestamp=datetime(2026, 3, 21))


def test_sign_refuses_a_parsed_payload_and_an_empty_secret() -> None:
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.sign({"id": "evt_1"}, SECRET)  # type: ignore[arg-type]
    assert info.value.reason == "invalid_payload"
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.sign(BODY, "")
    assert info.value.reason == "invalid_secret"


# --- unwrap(): typed events -----------------------------------------------------------------

DOCUMENT_DATA = {"document_id": "doc_1", "schema": "invoice_v2", "status": "reviewed"}
PUSH_DATA = {"document_id": "doc_1", "provider": "dynamics365", "execution_id": "exe_1"}
RUN_DATA = {"run_id": "run_1", "workflow_id": "wf_1", "error": {"code": "x", "message": "y"}}


def event_body(type_: str, data: dict[str, Any]) -> bytes:
    event = {"id": "evt_9", "type": type_, "created_at": T, "data": data}
    return json.dumps(event).encode()


@pytest.mark.parametrize(
    ("type_", "data", "model"),
    [
        ("document.processing", DOCUMENT_DATA, "DocumentProcessingEvent"),
        ("document.review_required", DOCUMENT_DATA, "DocumentReviewRequiredEvent"),
        ("document.reviewed", DOCUMENT_DATA, "DocumentReviewedEvent"),
        ("push.succeeded", PUSH_DATA, "PushSucceededEvent"),
        ("push.failed", {**PUSH_DATA, "error_code": "E1"}, "PushFailedEvent"),
        ("run.failed", RUN_DATA, "RunFailedEvent"),
    ],
)
def test_unwrap_returns_the_model_of_each_documented_type(
    type_: str, data: dict[str, Any], model: str
) -> None:
    from numora import types

    body = event_body(type_, data)
    event = webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert type(event) is getattr(types, model)
    assert event.type == type_
    assert event.id == "evt_9"
    assert event.created_at == NOW


def test_unwrap_reads_typed_data() -> None:
    from numora.types import DocumentReviewedEvent, RunFailedEvent

    body = event_body("document.reviewed", DOCUMENT_DATA)
    event = webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert isinstance(event, DocumentReviewedEvent)
    assert event.data.document_id == "doc_1"
    assert event.data.schema == "invoice_v2"
    body = event_body("run.failed", RUN_DATA)
    run = webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert isinstance(run, RunFailedEvent)
    assert run.data.error.code == "x"


def test_unknown_type_is_kept_as_a_generic_event() -> None:
    from numora.types import WebhookEvent

    body = event_body("document.archived", {"document_id": "doc_1", "new": [1, 2]})
    event = webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert type(event) is WebhookEvent
    assert event.type == "document.archived"
    assert event.data == {"document_id": "doc_1", "new": [1, 2]}


def test_unwrap_verifies_before_parsing() -> None:
    body = event_body("document.reviewed", DOCUMENT_DATA)
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.unwrap(body, signed(body, secrets=("whsec_other",)), SECRET, now=NOW)
    assert info.value.reason == "no_matching_signature"


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", event_body("document.reviewed", {})])
def test_signed_body_that_is_not_an_event_is_invalid_payload(body: bytes) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert info.value.reason == "invalid_payload"


def test_event_union_is_exported_for_type_adapters() -> None:
    import pydantic

    from numora.types import PushFailedEvent, WebhookEvent

    adapter: pydantic.TypeAdapter[webhooks.Event] = pydantic.TypeAdapter(webhooks.Event)
    assert isinstance(adapter.validate_json(event_body("push.failed", PUSH_DATA)), PushFailedEvent)
    assert isinstance(adapter.validate_json(event_body("x.y", {})), WebhookEvent)


def test_importing_webhooks_does_not_import_pydantic() -> None:
    code = (
        "import sys, numora.webhooks, numora;"
        "print(sorted(m for m in ('pydantic', 'numora.types') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- client.webhooks ------------------------------------------------------------------------


def test_client_attachment_verifies_and_unwraps_with_its_secret() -> None:
    hooks = webhooks.Webhooks([SECRET, OLD_SECRET])
    body = event_body("document.reviewed", DOCUMENT_DATA)
    hooks.verify(body, signed(body, secrets=(OLD_SECRET,)), now=NOW)
    assert hooks.unwrap(body, signed(body), now=NOW).type == "document.reviewed"
    with pytest.raises(WebhookVerificationError) as info:
        hooks.verify(body, signed(body, secrets=("whsec_other",)), now=NOW)
    assert info.value.reason == "no_matching_signature"


@pytest.mark.parametrize("secret", [None, "", []])
def test_client_without_secret_names_the_setting(secret: Any) -> None:
    hooks = webhooks.Webhooks(secret)
    for call in (hooks.verify, hooks.unwrap):
        with pytest.raises(WebhookVerificationError) as info:
            call(BODY, signed(), now=NOW)
        assert info.value.reason == "invalid_secret"
    if secret is None:
        assert "webhook_secret=" in str(info.value)
        assert "NUMORA_WEBHOOK_SECRET" in str(info.value)


def test_client_attachment_repr_hides_the_secret() -> None:
    text = repr(webhooks.Webhooks([SECRET, OLD_SECRET])) + repr(webhooks.Webhooks(SECRET))
    assert SECRET not in text
    assert OLD_SECRET not in text
    assert "2 secrets" in text


# --- property: every single-byte change is refused ------------------------------------------


def _flip(data: bytes, index: int, value: int) -> bytes:
    return data[:index] + bytes([value]) + data[index + 1 :]


@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=300),
    part=st.sampled_from(["body", "timestamp", "signature"]),
    position=st.integers(min_value=0),
    value=st.integers(min_value=0, max_value=255),
    skew=st.integers(min_value=-300, max_value=300),
)
def test_any_single_byte_change_is_refused(
    body: bytes, part: str, position: int, value: int, skew: int
) -> None:
    now = NOW + timedelta(seconds=skew)
    sig = v1(SECRET, T, body)
    webhooks.verify(body, {"x-numora-webhook-signature": f"t={T},v1={sig}"}, SECRET, now=now)

    t, signature = T.encode(), sig.encode()
    if part == "body":
        if not body:
            body = bytes([value])  # an inserted byte is the only change to an empty body
        else:
            i = position % len(body)
            value = value if value != body[i] else (value + 1) % 256
            body = _flip(body, i, value)
    elif part == "timestamp":
        i = position % len(t)
        t = _flip(t, i, value if value != t[i] else (value + 1) % 256)
    else:
        i = position % len(signature)
        signature = _flip(signature, i, value if value != signature[i] else (value + 1) % 256)
    # The timestamp header carries the same change, so only the signature can catch it.
    headers = {
        "X-Numora-Webhook-Signature": f"t={t.decode('latin-1')},v1={signature.decode('latin-1')}",
        "X-Numora-Webhook-Timestamp": t.decode("latin-1"),
    }
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(body, headers, SECRET, now=now)
