"""Cursor pages that walk every item, one page in memory at a time.

The API answers list routes with ``{"data": [...], "next_cursor": "cur_…"}`` (one legacy route
with ``meta.next_cursor``). Iterating a page yields every item of every page, fetching the
next page only when the current one is used up. Every filter of the first request is sent
again with ``cursor`` on each next page; ``limit`` is the page size, never a total.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._exceptions import APIResponseValidationError
from ._request import APIRequest
from ._response import attach_response_info

if TYPE_CHECKING:
    from ._client import AsyncNumora, Numora

__all__ = ["AsyncPage", "AsyncPaginator", "PageData", "SyncPage", "page_of"]

T = TypeVar("T")


@dataclass(frozen=True)
class PageData(Generic[T]):
    """One parsed page: its items, the cursor to the next (``None`` at the end), the model."""

    items: list[T]
    next_cursor: str | None
    model: Any


def page_of(page_model: Any, item: type[T]) -> Callable[[httpx.Response], PageData[T]]:
    """The parser for a page model whose ``data`` holds ``item`` objects."""
    validate = page_model.model_validate_json

    def parse(response: httpx.Response) -> PageData[T]:
        page = validate(response.content)
        headers = response.headers
        # The server's id, else the one numora sent (a proxy may drop the echo): errors
        # about this page (a looping cursor) must still name the call.
        request_id = headers.get("x-request-id") or response.request.headers.get("x-request-id")
        attach_response_info(page, _headers=headers, _request_id=request_id)
        cursor = getattr(page, "next_cursor", None)
        if cursor is None:
            meta = getattr(page, "meta", None)
            cursor = getattr(meta, "next_cursor", None) if meta is not None else None
        return PageData(items=list(page.data or ()), next_cursor=cursor or None, model=page)

    return parse


def _next_request(
    req: APIRequest[PageData[T]], page: PageData[T], seen: set[str] | None = None
) -> APIRequest[PageData[T]]:
    """The request for the page after ``page``; refuses a cursor that would loop.

    ``seen`` holds every cursor already followed in this iteration: a server answering
    A→B→A would otherwise page forever.
    """
    cursor = page.next_cursor
    sent = (req.query or {}).get("cursor")
    if cursor == sent or (seen is not None and cursor in seen):
        which = "the cursor just sent" if cursor == sent else "a cursor already followed"
        raise APIResponseValidationError(
            f"The API returned next_cursor={cursor!r}, {which} for {req.method} "
            f"/v1{req.path}: following it would loop forever, so paging stopped.",
            # The id of the call whose answer looped: what support needs to look it up.
            request_id=getattr(page.model, "_request_id", None),
        )
    if seen is not None and cursor is not None:
        seen.add(cursor)
    return req.with_query(cursor=cursor)


def _first_seen(req: APIRequest[Any]) -> set[str]:
    sent = (req.query or {}).get("cursor")
    return {sent} if isinstance(sent, str) else set()


class _BasePage(Generic[T]):
    _req: APIRequest[PageData[T]]
    _page: PageData[T]

    @property
    def data(self) -> list[T]:
        """The items of this page only."""
        return self._page.items

    @property
    def next_cursor(self) -> str | None:
        """The cursor of the next page, ``None`` on the last page."""
        return self._page.next_cursor

    @property
    def request_id(self) -> str | None:
        """The request id of the response this page came from."""
        model = self._page.model
        return getattr(model, "_request_id", None)

    def has_next_page(self) -> bool:
        """Whether another page follows this one."""
        return self._page.next_cursor is not None

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} items={len(self._page.items)} "
            f"next_cursor={self._page.next_cursor!r}>"
        )


class SyncPage(_BasePage[T]):
    """A page of a list (sync). ``for item in page`` walks every item of every page."""

    def __init__(self, client: Numora, req: APIRequest[PageData[T]], page: PageData[T]) -> None:
        self._client = client
        self._req = req
        self._page = page

    def next_page(self) -> SyncPage[T]:
        """Fetch the page after this one. Check :meth:`has_next_page` first."""
        return self._next(None)

    def _next(self, seen: set[str] | None) -> SyncPage[T]:
        if not self.has_next_page():
            raise ValueError("This is the last page: check has_next_page() before next_page().")
        req = _next_request(self._req, self._page, seen)
        return SyncPage(self._client, req, self._client._invoke(req))

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """Yield this page and each following page (a cursor seen twice stops with
        :class:`~numora.APIResponseValidationError`)."""
        page = self
        seen = _first_seen(self._req)
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page._next(seen)

    def __iter__(self) -> Iterator[T]:
        # Not through iter_pages(): a page's items are dropped before the next page is
        # fetched, so at most one page is alive and its memory is reused for the next.
        req, page = self._req, self._page
        seen = _first_seen(req)
        yield from page.items
        while page.next_cursor is not None:
            req = _next_request(req, page, seen)
            del page
            page = self._client._invoke(req)
            yield from page.items


class AsyncPage(_BasePage[T]):
    """A page of a list (async). ``async for item in page`` walks every item of every page."""

    def __init__(
        self, client: AsyncNumora, req: APIRequest[PageData[T]], page: PageData[T]
    ) -> None:
        self._client = client
        self._req = req
        self._page = page

    async def next_page(self) -> AsyncPage[T]:
        """Fetch the page after this one. Check :meth:`has_next_page` first."""
        return await self._next(None)

    async def _next(self, seen: set[str] | None) -> AsyncPage[T]:
        if not self.has_next_page():
            raise ValueError("This is the last page: check has_next_page() before next_page().")
        req = _next_request(self._req, self._page, seen)
        return AsyncPage(self._client, req, await self._client._invoke(req))

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Yield this page and each following page (a cursor seen twice stops with
        :class:`~numora.APIResponseValidationError`)."""
        page = self
        seen = _first_seen(self._req)
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page._next(seen)

    async def __aiter__(self) -> AsyncIterator[T]:
        # As SyncPage.__iter__: one page alive at a time.
        req, page = self._req, self._page
        seen = _first_seen(req)
        for item in page.items:
            yield item
        while page.next_cursor is not None:
            req = _next_request(req, page, seen)
            del page
            page = await self._client._invoke(req)
            for item in page.items:
                yield item


class AsyncPaginator(Generic[T]):
    """What ``list()`` returns on the async client.

    ``await client.documents.list()`` gives the first :class:`AsyncPage`;
    ``async for doc in client.documents.list()`` walks every item of every page.
    """

    def __init__(self, client: AsyncNumora, req: APIRequest[PageData[T]]) -> None:
        self._client = client
        self._req = req

    async def _first(self) -> AsyncPage[T]:
        return AsyncPage(self._client, self._req, await self._client._invoke(self._req))

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item
