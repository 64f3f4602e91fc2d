"""The fake's in-memory model: plain contract-shaped dicts plus what the server keeps privately.

Each record's ``data`` is exactly the JSON the contract returns for it; the other attributes are
server-side bookkeeping (hashed secrets, due times, extraction) that never leaves the fake.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ._wire import JSON, ApiError


@dataclass
class Doc:
    data: JSON
    seq: int
    fields: JSON | None = None
    line_items: list[JSON] | None = None
    ready_at: float | None = None  # processing -> review_required, when processing_delay is set
    pending_until: float | None = None  # preview values: pending -> processing at this time
    provider: str | None = None
    route: str | None = None
    push_due: float | None = None  # workflow route: when the push finishes
    run_id: str | None = None
    attempts: list[JSON] = field(default_factory=list)
    stop_retries: bool = False  # a "skipped" delivery callback stops automatic retries


@dataclass
class Run:
    data: JSON
    seq: int
    logs: list[JSON]
    due: float | None  # when the queued run finishes
    outcome: str  # "succeeded" | "failed", decided when it was queued
    push_document: str | None  # the document whose push this run performs, if any


@dataclass
class ApiKeyRecord:
    data: JSON
    seq: int
    # sha256 of each accepted secret, with when it stops working (None: until rotated).
    hashes: list[tuple[str, float | None]]


@dataclass
class Endpoint:
    data: JSON
    seq: int
    # Active secrets, newest first, with when each stops signing (None: current).
    secrets: list[tuple[str, float | None]]


@dataclass
class Delivery:
    data: JSON
    seq: int
    endpoint_id: str
    event_id: str
    due: float | None = None  # when the next attempt is due; None once settled
    round_attempts: int = 0  # attempts since it was queued or last redelivered
    in_flight: bool = False


@dataclass
class Event:
    envelope: JSON
    body: bytes
    seq: int


@dataclass
class Row:
    data: JSON
    seq: int
    private: dict[str, Any] = field(default_factory=dict)


class State:
    """Every resource the fake holds, keyed by id."""

    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self.keys: dict[str, ApiKeyRecord] = {}
        self.documents: dict[str, Doc] = {}
        self.destinations: dict[str, Row] = {}
        self.mappings: dict[tuple[str, str], Row] = {}
        self.workflows: dict[str, Row] = {}
        self.runs: dict[str, Run] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.deliveries: dict[str, Delivery] = {}
        self.events: list[Event] = []
        self.event_by_id: dict[str, Event] = {}

    def next_seq(self) -> int:
        return next(self._seq)


def _limit(query: dict[str, list[str]]) -> int:
    raw = (query.get("limit") or ["20"])[-1]
    try:
        limit = int(raw)
    except ValueError:
        raise ApiError(400, "limit must be an integer between 1 and 100") from None
    if not 1 <= limit <= 100:
        raise ApiError(400, "limit must be an integer between 1 and 100")
    return limit


def _cursor(query: dict[str, list[str]]) -> int | None:
    raw = (query.get("cursor") or [""])[-1]
    if not raw:
        return None
    try:
        if not raw.startswith("cur_"):
            raise ValueError(raw)
        return int(raw[4:], 16)
    except ValueError:
        raise ApiError(400, "cursor is not one this API returned") from None


def paginate(
    rows: Iterable[tuple[int, JSON]],
    query: dict[str, list[str]],
    *,
    newest_first: bool = True,
    where: Callable[[JSON], bool] | None = None,
) -> tuple[list[JSON], str | None]:
    """One page of ``rows`` (``(seq, data)`` pairs) and the cursor of the next page, if any.

    The cursor is the position of the last item returned, so items created between two page
    requests neither repeat nor shift the rest.
    """
    limit, after = _limit(query), _cursor(query)
    ordered = sorted(rows, key=lambda row: row[0], reverse=newest_first)
    if after is not None:
        ordered = [r for r in ordered if (r[0] < after if newest_first else r[0] > after)]
    if where is not None:
        ordered = [r for r in ordered if where(r[1])]
    page = ordered[:limit]
    more = len(ordered) > limit
    return [dict(data) for _, data in page], (f"cur_{page[-1][0]:08x}" if more else None)
