"""What a raw call returns: the HTTP response plus the typed result on demand."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Generic, TypeVar

import httpx

__all__ = ["APIResponse", "RateLimit", "attach_response_info"]

T = TypeVar("T")

# x-rate-limit-reset values below this are "seconds from now", not an epoch (contract §3).
_EPOCH_FLOOR = 1_000_000_000


@dataclass(frozen=True)
class RateLimit:
    """The rate-limit state a response reported (``x-rate-limit-*`` headers).

    Attributes:
        limit: requests allowed in the window.
        remaining: requests left in the window.
        reset_at: when the window resets (timezone-aware UTC).
    """

    limit: int | None
    remaining: int | None
    reset_at: datetime | None

    @classmethod
    def from_headers(cls, headers: httpx.Headers, *, now: float | None = None) -> RateLimit:
        """Read the ``x-rate-limit-*`` headers; absent or malformed values become ``None``."""
        reset_at: datetime | None = None
        reset = _number(headers.get("x-rate-limit-reset"))
        if reset is not None:
            if reset < _EPOCH_FLOOR:
                reset += time.time() if now is None else now
            reset_at = datetime.fromtimestamp(reset, tz=timezone.utc)
        limit = _number(headers.get("x-rate-limit-limit"))
        remaining = _number(headers.get("x-rate-limit-remaining"))
        return cls(
            limit=int(limit) if limit is not None else None,
            remaining=int(remaining) if remaining is not None else None,
            reset_at=reset_at,
        )


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def attach_response_info(result: object, **info: object) -> None:
    """Record facts about a response (headers, status) on a top-level model result.

    Duck-typed on pydantic's private slot rather than ``isinstance(NumoraModel)``, so that
    importing the client does not build any model class (that alone costs ~19 ms). A model
    without declared private attributes has an empty private slot; using it keeps nested
    models (line items, page items) free of any per-instance overhead.
    """
    try:
        private = result.__pydantic_private__  # type: ignore[attr-defined]
    except AttributeError:  # pages, dicts, ...: nothing to attach to
        return
    object.__setattr__(result, "__pydantic_private__", {**(private or {}), **info})


class APIResponse(Generic[T]):
    """A successful response, as returned by ``client.with_raw_response.<resource>.<method>()``.

    Call :meth:`parse` for the typed result the normal method would have returned.

    Attributes:
        http_response: the underlying ``httpx.Response``.
        retries_taken: how many retries it took (0 when the first attempt succeeded).
        elapsed: time for the whole call, retries and waits included.
    """

    __slots__ = ("_parse", "_parsed", "elapsed", "http_response", "retries_taken")

    def __init__(
        self,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], T],
        *,
        retries_taken: int,
        elapsed: timedelta,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self.elapsed = elapsed
        self._parse = parse
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        """The HTTP status (200 or 202)."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The ``x-request-id`` Numora gave this call; quote it to support."""
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    @property
    def rate_limit(self) -> RateLimit:
        """The rate-limit state reported with this response."""
        return RateLimit.from_headers(self.http_response.headers)

    @property
    def content(self) -> bytes:
        """The raw body."""
        return self.http_response.content

    def json(self) -> object:
        """The body decoded as JSON, untyped."""
        return self.http_response.json()

    def parse(self) -> T:
        """The typed result (parsed once, then cached)."""
        if not self._parsed:
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]

    def __repr__(self) -> str:
        return (
            f"<APIResponse [{self.status_code}] request_id={self.request_id!r} "
            f"retries_taken={self.retries_taken}>"
        )
