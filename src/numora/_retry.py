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
a message that says how to make it safe. The backoff itself is tenacity's
(``wait_exponential`` plus ``wait_random`` jitter, ``stop_after_attempt``), evaluated only when
an attempt failed so that successful calls pay nothing for it.
"""

from __future__ import annotations

import email.utils
import math
import time
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})

# These fail before a single byte of the request reaches the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``retry-after`` value: delta-seconds (fractional allowed) or an
    HTTP-date. ``None`` when absent, unparseable, not finite, or not in the future."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    return seconds


@dataclass(frozen=True)
class Decision:
    """What to do after a failed attempt: ``delay`` seconds then retry, or give up."""

    retry: bool
    delay: float = 0.0
    reason: str = ""
    retry_after: float | None = None  # the server's own hint, kept for the raised error
    hint: str = ""  # appended to the error when we refuse to replay an unsafe request


_GIVE_UP = Decision(retry=False)

UNSAFE_POST_HINT = (
    "It was not retried: the request may already have been processed, and replaying this "
    "POST could repeat its effect. Check the resource's current state before trying again."
)
"""The default; a request with a way to become replayable says so (``APIRequest.unsafe_hint``)."""


class RetryPolicy:
    """Decides retries for one client configuration (shared by the sync and async clients)."""

    __slots__ = ("retry_after_cap",)

    def __init__(self, *, retry_after_cap: float = 60.0) -> None:
        self.retry_after_cap = retry_after_cap

    @staticmethod
    def backoff(attempt: int) -> float:
        """The backoff before retry number ``attempt + 1`` (attempt 0 is the first try)."""
        strategies = _tenacity()
        return float(strategies.wait(strategies.state(attempt)))

    @staticmethod
    def attempts_left(attempt: int, max_retries: int) -> bool:
        strategies = _tenacity()
        return not strategies.stop_after_attempt(max_retries + 1)(strategies.state(attempt))

    def decide(
        self,
        outcome: httpx.Response | Exception,
        *,
        method: str,
        replay_safe: bool,
        attempt: int,
        max_retries: int,
    ) -> Decision:
        """Decide after a failed attempt: a non-2xx response, or the transport's exception."""
        if isinstance(outcome, httpx.Response):
            return self.after_response(
                outcome,
                method=method,
                replay_safe=replay_safe,
                attempt=attempt,
                max_retries=max_retries,
            )
        return self.after_exception(
            outcome,
            method=method,
            replay_safe=replay_safe,
            attempt=attempt,
            max_retries=max_retries,
        )

    def after_response(
        self,
        response: httpx.Response,
        *,
        method: str,
        replay_safe: bool,
        attempt: int,
        max_retries: int,
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
        if not self.attempts_left(attempt, max_retries):
            return Decision(retry=False, retry_after=retry_after)
        delay = retry_after if retry_after is not None else self.backoff(attempt)
        return Decision(retry=True, delay=delay, reason=f"status {status}", retry_after=retry_after)

    def after_exception(
        self,
        exc: Exception,
        *,
        method: str,
        replay_safe: bool,
        attempt: int,
        max_retries: int,
    ) -> Decision:
        """Decide after an attempt that got no response."""
        if not isinstance(exc, httpx.TransportError):
            return _GIVE_UP
        never_sent = isinstance(exc, _NOT_SENT)
        if not (never_sent or method in IDEMPOTENT_METHODS or replay_safe):
            return Decision(retry=False, hint=UNSAFE_POST_HINT)
        if isinstance(exc, httpx.UnsupportedProtocol) or not self.attempts_left(
            attempt, max_retries
        ):
            return _GIVE_UP
        return Decision(retry=True, delay=self.backoff(attempt), reason=type(exc).__name__)


class _Strategies:
    """tenacity's strategies, built on the first failed attempt.

    tenacity imports asyncio, so importing it eagerly would cost every sync user ~25 ms at
    start-up for a path most calls never take.
    """

    def __init__(self) -> None:
        import tenacity

        # 0.5 s doubling to 8 s, plus up to 0.25 s of jitter so clients do not move in step.
        self.wait = tenacity.wait_exponential(multiplier=0.5, max=8) + tenacity.wait_random(0, 0.25)
        self.stop_after_attempt = tenacity.stop_after_attempt
        # A call state wants the Retrying object it belongs to; only the strategies are used.
        self._retrying = tenacity.Retrying()
        self._state_cls = tenacity.RetryCallState

    def state(self, attempt: int) -> Any:
        state = self._state_cls(self._retrying, None, (), {})
        state.attempt_number = attempt + 1
        return state


_STRATEGIES: list[_Strategies] = []


def _tenacity() -> _Strategies:
    if not _STRATEGIES:
        _STRATEGIES.append(_Strategies())
    return _STRATEGIES[0]
