"""The description of one API call: built by a resource method, executed by a client.

A resource method never sends anything itself; it returns an :class:`APIRequest`. The sync and
async clients run the same description through the same generator (:mod:`numora._core`),
so every endpoint is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

if TYPE_CHECKING:
    from ._files import Upload

__all__ = ["APIRequest", "Blocking", "Sleep"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Sleep:
    """A step asking the driver to wait (``time.sleep`` or ``anyio.sleep``)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Blocking:
    """A step asking the driver to run blocking I/O (opening an upload) and send back its
    result: the sync client calls ``run()``, the async client runs it in a worker thread."""

    run: Callable[[], Any]


@dataclass(frozen=True, slots=True)
class APIRequest(Generic[T]):
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
        options: the caller's per-call options.
        unsafe_hint: what to tell the caller when an ambiguous failure was not replayed
            (e.g. "pass external_id"); the policy's general hint otherwise.
    """

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    query: Mapping[str, Any] | None = None
    json: Mapping[str, Any] | None = None
    upload: Upload | None = None
    data: Mapping[str, Any] | None = None
    replay_safe: bool = False
    # The caller's per-call options, checked by the method's signature (RequestOptions or
    # BodyRequestOptions); read by name in numora._core.
    options: Mapping[str, Any] = field(default_factory=dict)
    unsafe_hint: str = ""  # how to make this call replayable, said when it was not retried

    def with_query(self, **params: Any) -> APIRequest[T]:
        """A copy with query parameters added (pagination sends ``cursor`` this way)."""
        return replace(self, query={**(self.query or {}), **params})
