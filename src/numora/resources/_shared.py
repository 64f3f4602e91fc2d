"""What the resource modules share: the client type variable and the polling loop."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .._exceptions import WaitTimeoutError
from .._models import set_request_id
from .._request import APIRequest, Sleep
from .._resource import Resource, Steps, clock
from .._response import APIResponse
from .._retry import parse_retry_after

__all__ = ["ClientT", "poll", "wanted_statuses"]

ClientT = TypeVar("ClientT", covariant=True)

_MAX_POLL_INTERVAL = 10.0


def wanted_statuses(until: str | Iterable[str]) -> frozenset[str]:
    """``until=`` as a set of statuses: one status, or several."""
    wanted = frozenset([until] if isinstance(until, str) else until)
    if not wanted:
        raise ValueError("until must name at least one status, e.g. until='reviewed'")
    odd = [s for s in wanted if not isinstance(s, str) or not s]
    if odd:
        raise TypeError(f"until must hold status names (non-empty strings), got {odd[0]!r}")
    return wanted


def _seconds(value: float, name: str) -> float:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def poll(
    resource: Resource[Any],
    req: APIRequest[Any],
    done: Callable[[Any], bool],
    *,
    deadline: float,
    poll_interval: float,
    what: str,
    wanted: str,
) -> Steps[Any]:
    """Poll ``req`` until ``done(result)``; written once for both clients.

    Intervals start at ``poll_interval`` and grow 1.5x up to 10 s; a ``retry-after`` on a
    poll's answer is honoured; past ``deadline`` seconds, :class:`~numora.WaitTimeoutError`
    says what was wanted and carries the last state seen. Time is the client's clock, so a
    test client with a fake clock never sleeps for real.
    """
    deadline = _seconds(deadline, "deadline")
    interval = _seconds(poll_interval, "poll_interval")
    now = clock(resource)
    core = resource._client._core
    ends = now() + deadline
    while True:
        response: APIResponse[Any] = yield from core.call(req, raw=True)
        current = response.parse()
        set_request_id(current, response.request_id)
        if done(current):
            return current
        remaining = ends - now()
        if remaining <= 0:
            last = getattr(current, "status", None)
            raise WaitTimeoutError(
                f"{what} did not reach the wanted state within the {deadline:g}s deadline: "
                f"waited for {wanted}; the last status seen was {last!r}. Pass a longer "
                "deadline=, or keep polling later (exc.last is the last state seen).",
                last=current,
                wanted=wanted,
                deadline=deadline,
            )
        hinted = parse_retry_after(response.headers.get("retry-after"))
        delay = max(interval, hinted) if hinted is not None else interval
        yield Sleep(min(delay, remaining))
        interval = min(interval * 1.5, _MAX_POLL_INTERVAL)
