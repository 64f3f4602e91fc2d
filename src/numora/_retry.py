"""When a failed attempt is tried again, and after how long. No I/O here.

The rule that matters most: a retry must never create a second document. So a request is
replayed only when replaying it cannot duplicate an effect:

* GET, PUT, PATCH and DELETE are idempotent in this API;
* a POST carrying the identifier the API de-duplicates on (``external_id`` on document
  creation, ``execution_id`` on the delivery callback) is safe: the server answers the
  replay with the original;
* any request whose failure proves it was never processed: the connection could not be
  opened (so nothing was sent), or the server answered 429.

Anything else that fails ambiguously (read timeout, reset after sending, 5xx) is raised, with
a message that says how to make it safe.

:meth:`RetryPolicy.decide` is that rule; the loop around it is tenacity's, used as its
documentation shows (a ``Retrying`` iterated over a code block, with custom ``retry``, ``wait``
and ``sleep`` callbacks): see :meth:`RetryPolicy.retrying`.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable
from typing import Any

import httpx

from ._record import Record

__all__ = ["AttemptFailed", "Decision", "RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})

# These fail before a single byte of the request reaches the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``retry-after`` value: delta-seconds (fractional allowed) or an
    HTTP-date. ``None`` when absent, unparseable or not in the future; ``math.inf`` when the
    number is too large to represent (``inf``, ``1e400``), which is beyond any cap."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds) or seconds <= 0:
        return None
    return seconds


class Decision(Record):
    """What to do after a failed attempt: retry (when attempts are left), or give up.

    ``retry_after`` is the server's own hint (the delay, and kept on the error); ``hint`` is
    appended to the error when we refuse to replay an unsafe request.
    """

    __slots__ = ("hint", "reason", "retry", "retry_after")

    def __init__(
        self, retry: bool, reason: str = "", retry_after: float | None = None, hint: str = ""
    ) -> None:
        self.retry = retry
        self.reason = reason
        self.retry_after = retry_after
        self.hint = hint


_GIVE_UP = Decision(retry=False)

UNSAFE_POST_HINT = (
    "It was not retried: the request may already have been processed, and replaying this "
    "POST could repeat its effect. Check the resource's current state before trying again."
)
"""The default; a request with a way to become replayable says so (``APIRequest.unsafe_hint``)."""


class AttemptFailed(Exception):
    """How a failed attempt is reported to tenacity: what came back (a response or the
    transport's exception), the policy's decision, and the request sent."""

    def __init__(
        self, outcome: httpx.Response | Exception, decision: Decision, request: httpx.Request
    ) -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.decision = decision
        self.request = request


class RetryPolicy:
    """Decides retries for one client configuration (shared by the sync and async clients)."""

    __slots__ = ("retry_after_cap",)

    def __init__(self, *, retry_after_cap: float = 60.0) -> None:
        self.retry_after_cap = retry_after_cap

    def decide(
        self, outcome: httpx.Response | Exception, *, method: str, replay_safe: bool
    ) -> Decision:
        """Decide after a failed attempt: a non-2xx response, or the transport's exception.

        Whether attempts are left is not decided here: that is tenacity's ``stop``.
        """
        if isinstance(outcome, httpx.Response):
            return self.after_response(outcome, method=method, replay_safe=replay_safe)
        return self.after_exception(outcome, method=method, replay_safe=replay_safe)

    def after_response(
        self, response: httpx.Response, *, method: str, replay_safe: bool
    ) -> Decision:
        """Decide after a non-2xx response."""
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status not in RETRYABLE_STATUS:
            return Decision(retry=False, retry_after=retry_after)
        if status != 429 and not (method in IDEMPOTENT_METHODS or replay_safe):
            return Decision(retry=False, retry_after=retry_after, hint=UNSAFE_POST_HINT)
        if retry_after is not None and retry_after > self.retry_after_cap:
            # Sleeping for minutes inside a call helps nobody: let the caller schedule it.
            return Decision(retry=False, retry_after=retry_after)
        return Decision(retry=True, reason=f"status {status}", retry_after=retry_after)

    def after_exception(self, exc: Exception, *, method: str, replay_safe: bool) -> Decision:
        """Decide after an attempt that got no response."""
        if not isinstance(exc, httpx.TransportError):
            return _GIVE_UP
        never_sent = isinstance(exc, _NOT_SENT)
        if not (never_sent or method in IDEMPOTENT_METHODS or replay_safe):
            return Decision(retry=False, hint=UNSAFE_POST_HINT)
        if isinstance(exc, httpx.UnsupportedProtocol):
            return _GIVE_UP
        return Decision(retry=True, reason=type(exc).__name__)

    def retrying(self, max_retries: int, sleep: Callable[[float], None]) -> Any:
        """A ``tenacity.Retrying`` for one call's retries (built only once an attempt failed).

        Each attempt's block raises :class:`AttemptFailed`; ``retry`` reads the decision off
        it, ``stop`` bounds the attempts, ``wait`` is the server's ``retry-after`` or the
        backoff, and ``sleep`` hands the delay to the caller, which yields it to the driver
        (sleeping itself would block the event loop, or hide the wait from the async client).
        """
        tenacity = _tenacity()
        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max_retries + 1),
            retry=_should_retry,
            wait=_wait,
            sleep=sleep,
            reraise=True,
        )


def _should_retry(state: Any) -> bool:
    failed = state.outcome.exception() if state.outcome.failed else None
    return isinstance(failed, AttemptFailed) and failed.decision.retry


def _wait(state: Any) -> float:
    retry_after: float | None = state.outcome.exception().decision.retry_after
    if retry_after is not None:
        return retry_after
    return float(_BACKOFF[0](state))


_BACKOFF: list[Any] = []


def _tenacity() -> Any:
    """tenacity, imported on the first failed attempt.

    tenacity imports asyncio, so importing it eagerly would cost every sync user ~25 ms at
    start-up for a path most calls never take.
    """
    import tenacity

    if not _BACKOFF:
        # 0.5 s doubling to 8 s, plus up to 0.25 s of jitter so clients do not move in step.
        _BACKOFF.append(
            tenacity.wait_exponential(multiplier=0.5, max=8) + tenacity.wait_random(0, 0.25)
        )
    return tenacity
