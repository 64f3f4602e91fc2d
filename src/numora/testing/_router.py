"""The route table's building blocks: the parsed request, a route, and body-reading helpers."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ._backend import Backend
from ._state import ApiKeyRecord
from ._wire import JSON, ApiError

Reply = tuple[int, Any]


@dataclass
class Request:
    method: str
    path: str  # the raw path, as sent: still percent-encoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    request_id: str
    params: dict[str, str] = field(default_factory=dict)
    key: ApiKeyRecord | None = None

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def json(self) -> JSON:
        """The JSON object body; an empty body reads as ``{}``."""
        if not self.body.strip():
            return {}
        try:
            value = json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "request body is not valid JSON") from None
        if not isinstance(value, dict):
            raise ApiError(400, "request body must be a JSON object")
        return value


Handler = Callable[[Backend, Request], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # the OpenAPI path, e.g. /v1/documents/{document_id}
    scope: str
    handler: Handler

    def match(self, raw_path: str) -> dict[str, str] | None:
        """The decoded path parameters when ``raw_path`` (still percent-encoded) is this route.

        Matching before decoding keeps an escaped ``/`` (``%2F``) inside its segment, as a
        real server does: ``/v1/documents/doc_1%2Fresult`` is one (unknown) document id.
        """
        found = compile_template(self.template).match(raw_path)
        return {k: unquote(v) for k, v in found.groupdict().items()} if found else None


@functools.cache
def compile_template(template: str) -> re.Pattern[str]:
    """``/v1/documents/{document_id}`` as a regex with one named group per path parameter."""
    return re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")


def route(method: str, template: str, scope: str) -> Callable[[Handler], Route]:
    def wrap(handler: Handler) -> Route:
        return Route(method, template, scope, handler)

    return wrap


# Body field readers: a missing or mistyped field is 422 invalid_payload, as the contract says.
# An optional field is either left out or of its type: ``null`` is refused unless the spec
# declares the field nullable (Schemathesis sends ``"settings": null`` to check exactly this).


def not_null(body: JSON, name: str) -> Any:
    """``body[name]``, or ``None`` when left out; an explicit ``null`` is 422 invalid_payload."""
    value = body.get(name)
    if value is None and name in body:
        raise ApiError(422, f"{name} must not be null: leave it out instead")
    return value


def required_str(body: JSON, name: str, *, max_len: int | None = None) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError(422, f"{name} is required and must be a non-empty string")
    return _check_len(name, value, max_len)


def optional_str(
    body: JSON, name: str, *, max_len: int | None = None, nullable: bool = False
) -> str | None:
    value = body.get(name) if nullable else not_null(body, name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(422, f"{name} must be a string")
    return _check_len(name, value, max_len)


def optional_obj(body: JSON, name: str) -> JSON | None:
    value = not_null(body, name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ApiError(422, f"{name} must be an object")
    return value


def optional_int(body: JSON, name: str) -> int | None:
    value = not_null(body, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(422, f"{name} must be an integer")
    return value


def str_list(body: JSON, name: str, allowed: tuple[str, ...] | None = None) -> list[str] | None:
    value = not_null(body, name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(422, f"{name} must be a list of strings")
    unknown = [v for v in value if allowed is not None and v not in allowed]
    if unknown:
        raise ApiError(422, f"{name} has unknown values: {', '.join(unknown)}")
    return list(dict.fromkeys(value))


def _check_len(name: str, value: str, max_len: int | None) -> str:
    if max_len is not None and len(value) > max_len:
        raise ApiError(422, f"{name} must be at most {max_len} characters")
    return value
