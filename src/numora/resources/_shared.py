"""What the resource modules share: the client type variable and the polling loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from typing_extensions import TypedDict

from .._core import Operation
from .._exceptions import WaitTimeoutError
from .._models import set_request_id
from .._request import APIRequest, Sleep
from .._resource import Resource, clock
from .._response import APIResponse
from .._retry import parse_retry_after

__all__ = ["ClientT", "WaitOptions", "poll"]

ClientT = TypeVar("ClientT", covariant=True)

_MAX_POLL_INTERVAL = 10.0


class WaitOptions(TypedDict, total=False):
    """Per-poll options of the ``wait`` helpers (their ``timeout`` is the overall deadline)."""

    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]


def poll(
    resource: Resource[Any],
    req: APIRequest[Any],
    done: Callable[[Any], bool],
    *,
    timeout: float,
    poll_interval: float,
    what: str,
) -> Operation[Any]:
    """Poll ``req`` until ``done(result)``; written once for both clients.

    Intervals start at ``poll_interval`` and grow 1.5x up to 10 s; a ``retry-after`` on a
    poll's answer is honoured; at the deadline :class:`~numora.WaitTimeoutError` carries the
    last state seen.
    """
    if timeout <= 0 or poll_interval <= 0:
        raise ValueError("timeout and poll_interval must be positive numbers of seconds")
    now = clock(resource)
    core = resource._client._core
    deadline = now() + timeout
    interval = poll_interval
    while True:
        response: APIResponse[Any] = yield from core.call(req, raw=True)
        current = response.parse()
        set_request_id(current, response.request_id)
        if done(current):
            return current
        remaining = deadline - now()
        if remaining <= 0:
            raise WaitTimeoutError(
                f"{what} did not reach the wanted state within {timeout:g}s "
                f"(last status: {getattr(current, 'status', None)!r}).",
                last=current,
            )
        hinted = parse_retry_after(response.headers.get("retry-after"))
        delay = max(interval, hinted) if hinted is not None else interval
        yield Sleep(min(delay, remaining))
        interval = min(interval * 1.5, _MAX_POLL_INTERVAL)
