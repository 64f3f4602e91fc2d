"""How a resource method is written once and served by both clients.

A resource class is generic in its client. Each method describes its call and returns an
:class:`~numora._request.APIRequest` (or, for helpers such as ``wait``, a generator of
steps). The decorators below turn that description into the method users call; their
``__get__`` overloads give the right type for each client:

=============================  ===========================  ==============================
decorator                      on ``Numora``                on ``AsyncNumora``
=============================  ===========================  ==============================
``@endpoint``                  ``T``                        ``Awaitable[T]``
``@paginated``                 ``SyncPage[T]``              ``AsyncPaginator[T]``
``@operation``                 ``T``                        ``Awaitable[T]``
=============================  ===========================  ==============================

and on ``with_raw_response`` views the first two return :class:`~numora.APIResponse`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, TypeVar, overload
from urllib.parse import quote

import httpx
from typing_extensions import ParamSpec, Protocol

from ._request import APIRequest

if TYPE_CHECKING:
    from ._client import AsyncNumora, AsyncNumoraWithRawResponse, Numora, NumoraWithRawResponse
    from ._core import Outcome, Step
    from ._pagination import AsyncPage, AsyncPaginator, PageData, SyncPage
    from ._response import APIResponse

__all__ = ["Resource", "endpoint", "operation", "paginated", "path_id"]

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
ClientT = TypeVar("ClientT", covariant=True)
ResourceT = TypeVar("ResourceT", bound="Resource[Any]")


class Resource(Generic[ClientT]):
    """Base of every resource (``client.documents``, ``client.runs.logs``, ...)."""

    __slots__ = ("__dict__", "_client")

    def __init__(self, client: ClientT) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._client).__name__}>"


class _Descriptor(Generic[ResourceT, P, T]):
    def __init__(self, build: Callable[Concatenate[ResourceT, P], Any]) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self.__qualname__ = build.__qualname__
        self.__wrapped__ = build

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name


class endpoint(_Descriptor[ResourceT, P, T]):
    """Turns ``def method(self, ...) -> APIRequest[T]`` into the API method."""

    def __init__(self, build: Callable[Concatenate[ResourceT, P], APIRequest[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, obj: None, owner: Any) -> endpoint[ResourceT, P, T]: ...
    @overload
    def __get__(self, obj: Resource[Numora], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(self, obj: Resource[AsyncNumora], owner: Any) -> Callable[P, Awaitable[T]]: ...
    @overload
    def __get__(
        self, obj: Resource[NumoraWithRawResponse], owner: Any
    ) -> Callable[P, APIResponse[T]]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumoraWithRawResponse], owner: Any
    ) -> Callable[P, Awaitable[APIResponse[T]]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self
        build = self.build
        invoke = obj._client._invoke

        def method(*args: Any, **kwargs: Any) -> Any:
            return invoke(build(obj, *args, **kwargs))

        method.__doc__ = self.__doc__
        method.__name__ = self.__name__
        return method


class paginated(_Descriptor[ResourceT, P, T]):
    """Turns ``def list(self, ...) -> APIRequest[PageData[T]]`` into an auto-paging list."""

    def __init__(self, build: Callable[Concatenate[ResourceT, P], APIRequest[PageData[T]]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, obj: None, owner: Any) -> paginated[ResourceT, P, T]: ...
    @overload
    def __get__(self, obj: Resource[Numora], owner: Any) -> Callable[P, SyncPage[T]]: ...
    @overload
    def __get__(self, obj: Resource[AsyncNumora], owner: Any) -> Callable[P, AsyncPaginator[T]]: ...
    @overload
    def __get__(
        self, obj: Resource[NumoraWithRawResponse], owner: Any
    ) -> Callable[P, APIResponse[SyncPage[T]]]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumoraWithRawResponse], owner: Any
    ) -> Callable[P, Awaitable[APIResponse[AsyncPage[T]]]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self
        build = self.build
        paginate = obj._client._paginate

        def method(*args: Any, **kwargs: Any) -> Any:
            return paginate(build(obj, *args, **kwargs))

        method.__doc__ = self.__doc__
        method.__name__ = self.__name__
        return method


Operation = Generator["Step", "Outcome", T]
"""A multi-step helper (e.g. ``wait``): yields requests and sleeps, returns its result."""


class operation(_Descriptor[ResourceT, P, T]):
    """Turns a generator of steps (polling helpers) into a method on both clients."""

    def __init__(self, build: Callable[Concatenate[ResourceT, P], Operation[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, obj: None, owner: Any) -> operation[ResourceT, P, T]: ...
    @overload
    def __get__(self, obj: Resource[Numora], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(self, obj: Resource[AsyncNumora], owner: Any) -> Callable[P, Awaitable[T]]: ...
    @overload
    def __get__(self, obj: Resource[NumoraWithRawResponse], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumoraWithRawResponse], owner: Any
    ) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self
        build = self.build
        run = obj._client._run

        def method(*args: Any, **kwargs: Any) -> Any:
            return run(build(obj, *args, **kwargs))

        method.__doc__ = self.__doc__
        method.__name__ = self.__name__
        return method


def call(resource: Resource[Any], req: APIRequest[T]) -> Operation[T]:
    """Inside an ``@operation``: run one API call (``x = yield from call(self, req)``)."""
    result: T = yield from resource._client._core.call(req)
    return result


def clock(resource: Resource[Any]) -> Callable[[], float]:
    """The monotonic clock of the resource's client (replaceable in tests)."""
    return resource._client._clock  # type: ignore[no-any-return]


def path_id(value: object, name: str) -> str:
    """Check an id (a non-empty string) and escape it for a URL path.

    An empty id would silently turn ``/v1/documents/{id}`` into the list route, so it is
    refused before anything is sent.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string id, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must be a non-empty id, got {value!r}")
    return quote(value, safe="")


class _Validates(Protocol[T_co]):
    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, /) -> T_co: ...


def model(cls: type[_Validates[T]]) -> Callable[[httpx.Response], T]:
    """The parser for a response whose body is one ``cls`` (pydantic-core's JSON path)."""
    validate = cls.model_validate_json

    def parse(response: httpx.Response) -> T:
        return validate(response.content)

    return parse
