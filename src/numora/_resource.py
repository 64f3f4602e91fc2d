"""How a resource method is written once and served by both clients.

A resource class is generic in its client. Each method describes its call and returns an
:class:`~numora._request.APIRequest` (or, for helpers such as ``wait``, a generator of
steps). The decorators below turn that description into the method users call:

=============================  ===========================  ==============================
decorator                      on ``Numora``                on ``AsyncNumora``
=============================  ===========================  ==============================
``@endpoint``                  ``T``                        ``async`` → ``T``
``@paginated``                 ``SyncPage[T]``              ``AsyncPaginator[T]``
``@helper``                    ``T``                        ``async`` → ``T``
``@batch``                     what it builds (its own      overloads say: an iterator, an
                               ``@overload`` per client)    async iterator)
=============================  ===========================  ==============================

and on ``with_raw_response`` views the first two return :class:`~numora.APIResponse`.

The method a user gets is a real function, made once per resource object and then found in
its ``__dict__`` (so later lookups cost nothing): it has the description's name, qualname
(``Documents.create``), docstring and public signature, checks its arguments as the
annotations say before anything is built (:mod:`numora._arguments`), and on the async
client is an ``async def``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Generator
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, Generic, TypeVar, get_args, overload
from urllib.parse import quote

import httpx
from typing_extensions import ParamSpec, Protocol, get_type_hints

from ._core import Outcome, Step
from ._request import APIRequest

if TYPE_CHECKING:
    from builtins import property as cached_resource

    from ._arguments import ArgumentSpec
    from ._client import AsyncNumora, AsyncNumoraWithRawResponse, Numora, NumoraWithRawResponse
    from ._pagination import AsyncPage, AsyncPaginator, PageData, SyncPage
    from ._response import APIResponse
else:
    # Type checkers read a property (pyright keeps `Self`-typed generics exact through it);
    # at run time the resource is built once and then found in the instance's __dict__.
    from functools import cached_property as cached_resource

__all__ = [
    "Resource",
    "batch",
    "cached_resource",
    "endpoint",
    "helper",
    "paginated",
    "path_id",
]

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


class _ClientMethod(Generic[ResourceT, P, T]):
    """What the three decorators share: binding a description to a resource object."""

    _driver: ClassVar[str]  # the client method that runs the description

    def __init__(self, build: Callable[..., Any]) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self.__qualname__ = build.__qualname__
        self.__module__ = build.__module__
        self._specs: dict[type, ArgumentSpec] = {}

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    # Overridden per decorator: what the method returns and whether it is awaited.
    @staticmethod
    def _awaits(client: Any) -> bool:
        return bool(client._is_async)

    @staticmethod
    def _result(described: Any) -> Any:
        return get_args(described)[0]  # APIRequest[Document] → Document

    @staticmethod
    def _returns(result: Any, client: Any) -> Any:
        if client._is_raw:
            from ._response import APIResponse

            return APIResponse[result]
        return result

    def _spec(self, client: type) -> ArgumentSpec:
        spec = self._specs.get(client)
        if spec is None:
            from ._arguments import spec_of

            _import_signature_types(self.build)
            described = get_type_hints(self.build)["return"]
            returns = self._returns(self._result(described), client)
            spec = spec_of(self.build, skip_first=True, returns=returns)
            self._specs[client] = spec
        return spec

    def _bind(self, resource: Resource[Any]) -> Callable[..., Any]:
        client = resource._client
        spec = self._spec(type(client))
        check = spec.check
        build = self._builder()
        run = getattr(client, self._driver)
        method: Any
        if self._awaits(type(client)):

            async def method(*args: Any, **kwargs: Any) -> Any:
                check(args, kwargs)
                return await run(build(resource, *args, **kwargs))

        else:

            def method(*args: Any, **kwargs: Any) -> Any:
                check(args, kwargs)
                return run(build(resource, *args, **kwargs))

        return self._dress(method, spec)

    def _dress(self, method: Any, spec: ArgumentSpec) -> Callable[..., Any]:
        """Give the user's method the description's name, docstring and public signature."""
        method.__name__ = self.__name__
        method.__qualname__ = self.__qualname__
        method.__module__ = self.__module__
        method.__doc__ = self.__doc__
        method.__signature__ = spec.signature
        dressed: Callable[..., Any] = method
        return dressed

    def _builder(self) -> Callable[..., Any]:
        """What builds the description from the resource and the call's arguments."""
        return self.build

    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self
        method = self._bind(obj)
        obj.__dict__[self._name] = method  # found there from now on: no descriptor call
        return method


class endpoint(_ClientMethod[ResourceT, P, T]):
    """Turns ``def method(self, ...) -> APIRequest[T]`` into the API method."""

    _driver = "_invoke"

    def __init__(self, build: Callable[Concatenate[ResourceT, P], APIRequest[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, obj: None, owner: Any) -> endpoint[ResourceT, P, T]: ...
    @overload
    def __get__(self, obj: Resource[Numora], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumora], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(
        self, obj: Resource[NumoraWithRawResponse], owner: Any
    ) -> Callable[P, APIResponse[T]]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumoraWithRawResponse], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, APIResponse[T]]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        return super().__get__(obj, owner)


class paginated(_ClientMethod[ResourceT, P, T]):
    """Turns ``def list(self, ...) -> APIRequest[PageData[T]]`` into an auto-paging list."""

    _driver = "_paginate"

    def __init__(self, build: Callable[Concatenate[ResourceT, P], APIRequest[PageData[T]]]) -> None:
        super().__init__(build)

    @staticmethod
    def _awaits(client: Any) -> bool:
        # The async list() returns its paginator at once (``async for`` needs no await);
        # only the raw view's first page is awaited.
        return bool(client._is_async and client._is_raw)

    @staticmethod
    def _returns(result: Any, client: Any) -> Any:
        from ._pagination import AsyncPage, AsyncPaginator, SyncPage
        from ._response import APIResponse

        item = get_args(result)[0]  # PageData[Document] → Document
        if not client._is_raw:
            return (AsyncPaginator if client._is_async else SyncPage)[item]
        page: Any = AsyncPage if client._is_async else SyncPage
        return APIResponse[page[item]]

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
    ) -> Callable[P, Coroutine[Any, Any, APIResponse[AsyncPage[T]]]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        return super().__get__(obj, owner)


Steps = Generator[Step, Outcome, T]
"""A multi-step helper (e.g. ``wait``): yields requests and sleeps, returns its result."""


class helper(_ClientMethod[ResourceT, P, T]):
    """Turns a generator of steps (polling helpers such as ``wait``) into a method on both
    clients. Helpers return their result on the raw views too (they make many calls)."""

    _driver = "_run"

    def __init__(self, build: Callable[Concatenate[ResourceT, P], Steps[T]]) -> None:
        super().__init__(build)

    @staticmethod
    def _result(described: Any) -> Any:
        return get_args(described)[-1]  # Steps[Document] → Document

    @staticmethod
    def _returns(result: Any, client: Any) -> Any:
        return result

    def _builder(self) -> Callable[..., Any]:
        # A helper's calls share one parent span when tracing is on (numora._observe).
        from ._observe import grouped

        build, name = self.build, self.__qualname__

        def build_grouped(resource: Resource[Any], *args: Any, **kwargs: Any) -> Any:
            return grouped(resource._client._core, name, build(resource, *args, **kwargs))

        return build_grouped

    @overload
    def __get__(self, obj: None, owner: Any) -> helper[ResourceT, P, T]: ...
    @overload
    def __get__(self, obj: Resource[Numora], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumora], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, obj: Resource[NumoraWithRawResponse], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncNumoraWithRawResponse], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        return super().__get__(obj, owner)


class batch(_ClientMethod[ResourceT, P, T]):
    """For a method that runs many calls and returns its own iterator of results
    (``documents.create_many``): its arguments are checked and its signature shown as for
    every other method, and it returns what it builds. Its ``@overload``s, one per client
    (``self: Documents[Numora]`` ...), are what type checkers read; a client it has no
    overload for refuses it at run time too."""

    def __init__(self, build: Callable[Concatenate[ResourceT, P], T]) -> None:
        super().__init__(build)

    @staticmethod
    def _result(described: Any) -> Any:
        return described  # the annotation of what the method builds, per client below

    @staticmethod
    def _returns(result: Any, client: Any) -> Any:
        # ``Generator[...] | AsyncGenerator[...]`` → the arm this client returns
        arms = get_args(result) or (result,)
        wanted = "AsyncGenerator" if client._is_async else "Generator"
        return next((a for a in arms if getattr(a, "__name__", "") == wanted), result)

    def _bind(self, resource: Resource[Any]) -> Callable[..., Any]:
        spec = self._spec(type(resource._client))
        check = spec.check
        build = self.build

        def method(*args: Any, **kwargs: Any) -> Any:
            check(args, kwargs)
            return build(resource, *args, **kwargs)

        return self._dress(method, spec)

    if TYPE_CHECKING:  # the overloads type the calls; this only lets it be their implementation

        def __call__(self, *args: Any, **kwargs: Any) -> Any: ...


def _import_signature_types(build: Callable[..., Any]) -> None:
    """Bind the names ``build``'s annotations use that its module imports only on demand.

    A resource module lists in ``_SIGNATURE_TYPES`` (name → module) the types only some of
    its signatures name (``create_many``'s bulk types, ``list``'s ``PageData``), so that
    loading it, as every first call does, does not load them (issue 16).
    """
    namespace = build.__globals__
    lazy: dict[str, str] | None = namespace.get("_SIGNATURE_TYPES")
    if not lazy:
        return
    written = " ".join(str(annotation) for annotation in build.__annotations__.values())
    for name in re.findall(r"\w+", written):
        if name in lazy and name not in namespace:
            namespace[name] = getattr(import_module(lazy[name]), name)


def call(resource: Resource[Any], req: APIRequest[T]) -> Steps[T]:
    """Inside a ``@helper``: run one API call (``x = yield from call(self, req)``)."""
    result: T = yield from resource._client._core.call(req)
    return result


def clock(resource: Resource[Any]) -> Callable[[], float]:
    """The monotonic clock of the resource's client (replaceable in tests)."""
    return resource._client._clock  # type: ignore[no-any-return]


def path_id(value: object, name: str) -> str:
    """Check an id (a non-empty string) and escape it for a URL path.

    An empty id would silently turn ``/v1/documents/{id}`` into the list route, and ``.`` or
    ``..`` (dot segments, which URLs resolve away) into another route, so they are refused
    before anything is sent.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string id, got {type(value).__name__}")
    if _PLAIN_ID(value):  # what ids look like (doc_…, UUIDs): nothing to escape
        return value
    if not value or value in (".", ".."):
        raise ValueError(f"{name} must be a non-empty id other than '.' or '..', got {value!r}")
    return quote(value, safe="")


# URL-unreserved characters (letters, digits, "_-.~"), not starting with a dot (so never "."
# or ".."): quote(safe="") would return them unchanged.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.~-]*").fullmatch


class _Validates(Protocol[T_co]):
    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, /) -> T_co: ...


def model(cls: type[_Validates[T]]) -> Callable[[httpx.Response], T]:
    """The parser for a response whose body is one ``cls`` (pydantic-core's JSON path).

    One per class, made on its first use: a call reuses it rather than building a closure.
    """
    parse = _PARSERS.get(cls)
    if parse is None:
        validate = cls.model_validate_json

        def parse(response: httpx.Response) -> T:
            return validate(response.content)

        _PARSERS[cls] = parse
    return parse


_PARSERS: dict[type[Any], Callable[[httpx.Response], Any]] = {}
