"""The description of one API call: built by a resource method, executed by a client.

A resource method never sends anything itself; it returns an :class:`APIRequest`. The sync and
async clients run the same description through the same generator (:mod:`numora._core`),
so every endpoint is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._record import Record

if TYPE_CHECKING:
    from ._files import Upload

__all__ = ["APIRequest", "Blocking", "Sleep"]

T = TypeVar("T")

# Plain classes rather than dataclasses: see numora._record (start-up cost).


class Sleep(Record):
    """A step asking the driver to wait (``time.sleep`` or ``anyio.sleep``)."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class Blocking(Record):
    """A step asking the driver to run blocking I/O (opening an upload) and send back its
    result: the sync client calls ``run()``, the async client runs it in a worker thread."""

    __slots__ = ("run",)

    def __init__(self, run: Callable[[], Any]) -> None:
        self.run = run


class APIRequest(Record, Generic[T]):
    """One logical API call (all of its retries share this description).

    Attributes:
        method: HTTP method.
        path: path below ``/v1`` (ids already escaped), e.g. ``/documents/doc_1``.
        parse: turns the successful ``httpx.Response`` into the typed result.
        query: query parameters (``None`` values are dropped).
        json: the JSON body, if any.
        upload: a file to send as a multipart upload (opened when the call runs); ``data``
            then holds the other form fields.
        replay_safe: the request carries the identifier the API de-duplicates on, so a POST
            may be replayed after an ambiguous failure.
        options: the caller's per-call options, checked by the method's signature
            (RequestOptions or BodyRequestOptions); read by name in numora._core.
        unsafe_hint: what to tell the caller when an ambiguous failure was not replayed
            (e.g. "pass external_id"); the policy's general hint otherwise.
    """

    __slots__ = (
        "data",
        "json",
        "method",
        "options",
        "parse",
        "path",
        "query",
        "replay_safe",
        "unsafe_hint",
        "upload",
    )

    def __init__(
        self,
        method: str,
        path: str,
        parse: Callable[[httpx.Response], T],
        *,
        query: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        upload: Upload | None = None,
        data: Mapping[str, Any] | None = None,
        replay_safe: bool = False,
        options: Mapping[str, Any] | None = None,
        unsafe_hint: str = "",
    ) -> None:
        self.method = method
        self.path = path
        self.parse = parse
        self.query = query
        self.json = json
        self.upload = upload
        self.data = data
        self.replay_safe = replay_safe
        self.options: Mapping[str, Any] = {} if options is None else options
        self.unsafe_hint = unsafe_hint

    def with_query(self, **params: Any) -> APIRequest[T]:
        """A copy with query parameters added (pagination sends ``cursor`` this way)."""
        return self.replace(query={**(self.query or {}), **params})
