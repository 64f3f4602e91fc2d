"""Verify, parse and sign Numora webhooks.

Numora signs every delivery with your endpoint's secret (``whsec_…``). Verify the **raw
request body** (the bytes you received, never re-serialized JSON) before you trust it::

    from numora import webhooks

    event = webhooks.unwrap(raw_body, request.headers, secret)  # verifies, then parses

* :func:`verify` checks a delivery and returns ``None`` or raises
  :class:`numora.WebhookVerificationError` (a ``ValueError``) whose ``reason`` says which
  check failed.
* :func:`unwrap` verifies, then returns the typed event (see :data:`Event`).
* :func:`sign` makes the three ``X-Numora-Webhook-*`` headers for a body, for your own tests.
* :class:`Webhooks` is ``client.webhooks``: the same, with the client's ``webhook_secret``.

The scheme: ``X-Numora-Webhook-Signature: t=<ISO-8601 timestamp>,v1=<hex>[,v1=<hex>…]``,
where each ``v1`` is the lowercase hex HMAC-SHA256 of ``<t>.<raw body>`` keyed with a secret
(the whole ``whsec_…`` string as UTF-8). During a secret rotation Numora sends one ``v1`` per
active secret; pass several secrets to accept either.

This module imports neither pydantic nor :mod:`numora.types` until an event is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from numora._exceptions import WebhookVerificationError

if TYPE_CHECKING:
    from numora._webhooks_events import Event

__all__ = [
    "DEFAULT_TOLERANCE",
    "EVENT_TYPES",
    "ID_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Event",
    "HeadersLike",
    "Webhooks",
    "sign",
    "unwrap",
    "verify",
]

EVENT_TYPES = (
    "document.processing",
    "document.review_required",
    "document.reviewed",
    "push.succeeded",
    "push.failed",
    "run.failed",
)
"""The documented event types. The set is open: an unknown type parses as a generic event."""

SIGNATURE_HEADER = "X-Numora-Webhook-Signature"
"""Carries ``t=<timestamp>,v1=<signature>`` (one ``v1`` per active secret)."""
TIMESTAMP_HEADER = "X-Numora-Webhook-Timestamp"
"""The delivery's timestamp; when present it must equal the signature's ``t``."""
ID_HEADER = "X-Numora-Webhook-Id"
"""The event id (``evt_…``), the same as the body's ``id``: de-duplicate on it."""
DEFAULT_TOLERANCE = 300
"""Seconds a delivery's timestamp may differ from now, in either direction."""

_SIGNATURE_LOWER = SIGNATURE_HEADER.lower()
_TIMESTAMP_LOWER = TIMESTAMP_HEADER.lower()

# Numora sends `2026-03-21T14:24:11Z`; offsets and 3- or 6-digit fractions are also read.
# The pattern (not datetime.fromisoformat alone) decides what is valid, so Python 3.10 and
# 3.11+ (whose fromisoformat accepts far more) agree on every input.
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3}|\.\d{6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)

_EPOCH = datetime(1970, 1, 1)

_RAW_BODY_HINT = (
    "pass the raw request body exactly as received (bytes), before any JSON parsing: "
    "FastAPI/Starlette `await request.body()`, Flask `request.get_data()`, "
    "Django `request.body`"
)


class HeadersLike(Protocol):
    """Any mapping of request headers: a ``dict``, or Starlette, Werkzeug or Django headers.

    Names are matched case-insensitively; Django's ``request.META`` keys
    (``HTTP_X_NUMORA_WEBHOOK_SIGNATURE``) are understood too.
    """

    def get(self, key: str, /) -> Any: ...


def verify(
    payload: bytes | str,
    headers: HeadersLike,
    secret: str | Sequence[str],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: datetime | float | None = None,
) -> None:
    """Check that a webhook delivery was signed by Numora; return ``None`` or raise.

    Args:
        payload: the raw request body as received (``bytes``; a ``str`` is encoded as UTF-8).
            A parsed object (``dict``, model) is refused: re-serialized JSON never matches.
        headers: the request's headers, any mapping; names are case-insensitive.
        secret: the endpoint's secret (``whsec_…``), or several during a rotation; a match
            with any of them passes.
        tolerance: how many seconds the delivery's timestamp may be away from ``now``, in
            either direction (replays and clock skew).
        now: the current time as an aware ``datetime`` or Unix seconds; default the clock.

    Raises:
        numora.WebhookVerificationError: with ``reason`` one of ``missing_header``,
            ``malformed_header``, ``timestamp_mismatch``, ``timestamp_out_of_tolerance``,
            ``no_matching_signature``, ``invalid_payload``, ``invalid_secret``.
    """
    _verify(_body(payload), headers, _macs(secret), tolerance, now)


def unwrap(
    payload: bytes | str,
    headers: HeadersLike,
    secret: str | Sequence[str],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: datetime | float | None = None,
) -> Event:
    """Verify a delivery like :func:`verify`, then return its typed event.

    The event is one of ``DocumentProcessingEvent``, ``DocumentReviewRequiredEvent``,
    ``DocumentReviewedEvent``, ``PushSucceededEvent``, ``PushFailedEvent``,
    ``RunFailedEvent`` (from :mod:`numora.types`), chosen by its ``type``; a type this SDK
    does not know yet comes back as the generic ``WebhookEvent`` (``type`` and raw ``data``
    kept), never an error.

    Raises:
        numora.WebhookVerificationError: as :func:`verify`; or ``reason="invalid_payload"``
            when a correctly signed body is not a webhook event.
    """
    body = _body(payload)
    _verify(body, headers, _macs(secret), tolerance, now)
    return _parse(body)


def sign(
    payload: bytes | str,
    secret: str | Sequence[str],
    *,
    timestamp: datetime | str | None = None,
    event_id: str | None = None,
) -> dict[str, str]:
    """Return the ``X-Numora-Webhook-*`` headers Numora would send with ``payload``.

    For your own tests: sign a body, then post it to your receiver with these headers.

    Args:
        payload: the exact body you will send (``bytes``, or ``str`` encoded as UTF-8).
        secret: a secret, or several (one ``v1`` entry each, as during a rotation).
        timestamp: an aware ``datetime`` (whole seconds are used) or an ISO-8601 string,
            used exactly as given; default now.
        event_id: the ``X-Numora-Webhook-Id`` value; default the body's JSON ``id``, else a
            new ``evt_…`` id.

    Returns:
        ``{"X-Numora-Webhook-Id": …, "X-Numora-Webhook-Timestamp": …,
        "X-Numora-Webhook-Signature": "t=…,v1=…"}``
    """
    body = _body(payload)
    macs = _macs(secret)
    t = _format_timestamp(timestamp)
    message = t.encode("ascii") + b"." + body
    entries = ",".join(f"v1={_hexdigest(mac, message)}" for mac in macs)
    return {
        ID_HEADER: event_id if event_id is not None else _event_id(body),
        TIMESTAMP_HEADER: t,
        SIGNATURE_HEADER: f"t={t},{entries}",
    }


class Webhooks:
    """Webhook verification with a client's secret: ``client.webhooks``.

    The secret comes from the client's ``webhook_secret=`` argument or the
    ``NUMORA_WEBHOOK_SECRET`` environment variable; pass a list of secrets during a
    rotation. The object does no I/O, so it serves both ``Numora`` and ``AsyncNumora``.
    """

    __slots__ = ("_count", "_macs", "_problem")

    def __init__(self, secret: str | Sequence[str] | None) -> None:
        self._macs: tuple[Any, ...] = ()
        self._count = 0
        self._problem: WebhookVerificationError | None = None
        if secret is None:
            self._problem = WebhookVerificationError(
                "No webhook secret configured: pass webhook_secret='whsec_…' to the client "
                "or set the NUMORA_WEBHOOK_SECRET environment variable.",
                reason=WebhookVerificationError.INVALID_SECRET,
            )
            return
        try:
            self._macs = _macs(secret)
        except WebhookVerificationError as exc:
            # A bad secret must not stop the client from being built; it fails on use.
            self._problem = exc
        self._count = len(self._macs)

    def verify(
        self,
        payload: bytes | str,
        headers: HeadersLike,
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        now: datetime | float | None = None,
    ) -> None:
        """Verify a delivery with the client's secret; see :func:`numora.webhooks.verify`."""
        _verify(_body(payload), headers, self._configured(), tolerance, now)

    def unwrap(
        self,
        payload: bytes | str,
        headers: HeadersLike,
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        now: datetime | float | None = None,
    ) -> Event:
        """Verify with the client's secret, then return the typed event; see :func:`unwrap`."""
        body = _body(payload)
        _verify(body, headers, self._configured(), tolerance, now)
        return _parse(body)

    def _configured(self) -> tuple[Any, ...]:
        if self._problem is not None:
            raise WebhookVerificationError(
                str(self._problem), reason=self._problem.reason
            ) from None
        return self._macs

    def __repr__(self) -> str:
        if self._problem is not None:
            return "<numora.webhooks.Webhooks: no usable secret>"
        plural = "" if self._count == 1 else "s"
        return f"<numora.webhooks.Webhooks: {self._count} secret{plural}>"


# --- the checks ---------------------------------------------------------------------------


def _verify(
    body: bytes,
    headers: HeadersLike,
    macs: tuple[Any, ...],
    tolerance: float,
    now: datetime | float | None,
) -> None:
    # The hot path: two header lookups, one split, one timestamp parse, one HMAC per secret.
    header = _header(headers, SIGNATURE_HEADER, _SIGNATURE_LOWER)
    if header is None:
        raise _error(
            WebhookVerificationError.MISSING_HEADER,
            f"Missing the {SIGNATURE_HEADER} header: the request was not sent by Numora, or "
            "a proxy dropped it. Pass the request's headers unchanged (e.g. request.headers).",
        )
    t, signatures = _parse_signature_header(header)
    sent = _header(headers, TIMESTAMP_HEADER, _TIMESTAMP_LOWER)
    if sent is not None and sent != t and sent.strip() != t:
        raise _error(
            WebhookVerificationError.TIMESTAMP_MISMATCH,
            f"The signature's timestamp t={_short(t)} differs from the {TIMESTAMP_HEADER} "
            f"header {_short(sent)}: the headers were altered.",
        )
    skew = (time.time() if now is None else _seconds(now)) - _parse_timestamp(t)
    if not -tolerance <= skew <= tolerance:
        direction = "in the past" if skew > 0 else "in the future"
        raise _error(
            WebhookVerificationError.TIMESTAMP_OUT_OF_TOLERANCE,
            f"The webhook timestamp {t} is {abs(skew):.0f} s {direction}, beyond the "
            f"tolerance of {tolerance:g} s: an old delivery replayed, or this machine's "
            "clock is off (check NTP).",
        )
    message = t.encode("ascii") + b"." + body
    for mac in macs:
        h = mac.copy()
        h.update(message)
        expected = h.hexdigest()
        for candidate in signatures:
            # compare_digest refuses non-ASCII str; such a value cannot be a hex digest.
            if candidate.isascii() and hmac.compare_digest(expected, candidate):
                return
    raise _error(
        WebhookVerificationError.NO_MATCHING_SIGNATURE,
        f"No signature matched: {len(signatures)} v1 signature(s) in {SIGNATURE_HEADER}, "
        f"none made with the {len(macs)} secret(s) given. Usual causes: the body was parsed "
        f"and re-serialized ({_RAW_BODY_HINT}), or the secret is not this endpoint's "
        "(during a rotation pass both the new and the old secret).",
    )


def _parse_signature_header(value: str) -> tuple[str, list[str]]:
    t: str | None = None
    signatures: list[str] = []
    for raw in value.split(","):
        part = raw.strip()
        if part[:3] == "v1=":
            signatures.append(part[3:])
        elif part[:2] == "t=":
            if t is not None:
                raise _malformed("it has more than one t= entry")
            t = part[2:]
        elif part and "=" not in part:
            raise _malformed(f"the entry {_short(part)} is not key=value")
        # Other schemes (v0=, v2=…) are skipped: a later Numora may add them beside v1.
    if t is None:
        raise _malformed("it has no t= entry")
    if not signatures:
        raise _malformed("it has no v1= entry")
    return t, signatures


def _parse_timestamp(t: str) -> float:
    if len(t) == 20 and t[4::3] == "--T::Z":
        # Numora's own form, 2026-03-21T14:24:11Z: skip the pattern; fromisoformat checks
        # every digit position of the first 19 characters the same way on 3.10 and 3.11+.
        try:
            return (datetime.fromisoformat(t[:19]) - _EPOCH).total_seconds()
        except ValueError:
            raise _malformed(f"t={_short(t)} is not a valid date and time") from None
    if _TIMESTAMP_RE.fullmatch(t) is None:
        raise _malformed(f"t={_short(t)} is not an ISO-8601 timestamp such as 2026-03-21T14:24:11Z")
    # Python 3.10's fromisoformat does not read "Z".
    iso = t[:-1] + "+00:00" if t[-1] == "Z" else t
    try:
        return datetime.fromisoformat(iso).timestamp()
    except (ValueError, OverflowError):
        raise _malformed(f"t={_short(t)} is not a valid date and time") from None


def _seconds(now: datetime | float) -> float:
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("now must be a timezone-aware datetime (or Unix seconds)")
        return now.timestamp()
    return float(now)


def _header(headers: HeadersLike, name: str, lower: str) -> str | None:
    try:
        value = headers.get(name)
        if value is None:
            value = headers.get(lower)
            if value is None:
                value = _scan(headers, lower)
        elif type(value) is str:
            return value
    except (AttributeError, TypeError):
        raise _error(
            WebhookVerificationError.MISSING_HEADER,
            "headers must be the request's header mapping (e.g. request.headers), "
            f"not {type(headers).__name__}.",
        ) from None
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        # Raw ASGI values are bytes; HTTP header text is Latin-1.
        return value.decode("latin-1")
    raise _malformed(f"the {name} value is a {type(value).__name__}, not a string", name=name)


def _scan(headers: HeadersLike, lower: str) -> Any:
    # Plain dicts keep whatever case the sender used; Django's META says HTTP_X_…
    items = getattr(headers, "items", None)
    if items is None:
        return None
    prefixed = "http-" + lower
    for raw_key, value in items():
        key = raw_key.decode("latin-1") if isinstance(raw_key, bytes) else raw_key
        if isinstance(key, str):
            folded = key.lower().replace("_", "-")
            if folded in (lower, prefixed):
                return value
    return None


# --- inputs -------------------------------------------------------------------------------


def _body(payload: object) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        try:
            return payload.encode("utf-8")
        except UnicodeEncodeError:
            raise _error(
                WebhookVerificationError.INVALID_PAYLOAD,
                f"payload is a str that is not valid Unicode text; {_RAW_BODY_HINT}.",
            ) from None
    if isinstance(payload, (bytearray, memoryview)):
        return bytes(payload)
    raise _error(
        WebhookVerificationError.INVALID_PAYLOAD,
        f"payload must be the raw request body (bytes or str), not {type(payload).__name__}: "
        f"a parsed and re-serialized body never matches the signature; {_RAW_BODY_HINT}.",
    )


def _macs(secret: object) -> tuple[Any, ...]:
    if isinstance(secret, str):
        return (_mac(secret),)
    if secret is None or isinstance(secret, (bytes, bytearray)) or not isinstance(secret, Sequence):
        raise _invalid_secret(
            f"secret must be a str ('whsec_…') or a list of them, not {type(secret).__name__}"
        )
    if not secret:
        raise _invalid_secret("no secret given: the list of secrets is empty")
    macs = []
    for item in secret:
        if not isinstance(item, str):
            raise _invalid_secret(f"each secret must be a str, not {type(item).__name__}")
        macs.append(_mac(item))
    return tuple(macs)


@lru_cache(maxsize=64)
def _mac(secret: str) -> Any:
    # The keyed HMAC state is built once per secret; each message starts from a copy of it.
    if not secret:
        raise _invalid_secret("the secret is empty")
    try:
        key = secret.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid_secret("the secret is not valid Unicode text") from None
    mac = hmac.new(key, digestmod=hashlib.sha256)
    # CPython keeps the OpenSSL state in `_hmac`; copying that directly skips a Python
    # wrapper layer per message (about 10% of a verification). Same copy/update/hexdigest.
    inner = getattr(mac, "_hmac", None)
    return mac if inner is None else inner


def _hexdigest(mac: Any, message: bytes) -> str:
    h = mac.copy()
    h.update(message)
    return str(h.hexdigest())


def _format_timestamp(timestamp: datetime | str | None) -> str:
    if timestamp is None:
        return datetime.fromtimestamp(int(time.time()), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None:
            raise ValueError("timestamp must be a timezone-aware datetime")
        return timestamp.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not timestamp.isascii():
        raise ValueError("timestamp must be an ASCII ISO-8601 string")
    return timestamp


def _event_id(body: bytes) -> str:
    import json
    import uuid

    try:
        event = json.loads(body)
    except ValueError:
        event = None
    if isinstance(event, dict) and isinstance(event.get("id"), str):
        return str(event["id"])
    return f"evt_{uuid.uuid4().hex}"


def _parse(body: bytes) -> Event:
    from numora._webhooks_events import parse_event

    return parse_event(body)


# --- errors -------------------------------------------------------------------------------


def _error(reason: str, message: str) -> WebhookVerificationError:
    return WebhookVerificationError(message, reason=reason)


def _malformed(detail: str, *, name: str = SIGNATURE_HEADER) -> WebhookVerificationError:
    return _error(
        WebhookVerificationError.MALFORMED_HEADER,
        f"The {name} header is malformed ({detail}); Numora sends "
        "'t=2026-03-21T14:24:11Z,v1=<hex>'.",
    )


def _invalid_secret(detail: str) -> WebhookVerificationError:
    return _error(
        WebhookVerificationError.INVALID_SECRET,
        f"Invalid webhook secret: {detail}. Use the endpoint's secret ('whsec_…') as shown "
        "when the endpoint was created or its secret rotated.",
    )


def _short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def __getattr__(name: str) -> Any:
    # `Event` is built from pydantic models; build it only when someone asks for it.
    if name == "Event":
        from numora._webhooks_events import Event

        return Event
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
