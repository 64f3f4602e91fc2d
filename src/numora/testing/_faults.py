"""Fault injection: the next N matching requests fail, time out or lose their connection."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass

KINDS = ("status", "timeout", "reset")
WHEN = ("before", "after")


class InjectedFault(Exception):
    """Raised by :meth:`FakeNumora.handle` when a fault drops the answer (``timeout``/``reset``).

    The transports turn it into what a real client would see: ``httpx.ReadTimeout`` or
    ``httpx.RemoteProtocolError`` without sockets, a held or closed connection with them.
    """

    def __init__(self, kind: str, when: str) -> None:
        super().__init__(f"injected {kind} fault ({when} the request took effect)")
        self.kind = kind
        self.when = when


@dataclass(frozen=True)
class FaultRecord:
    """One request a fault was applied to, as listed in :attr:`FakeNumora.faulted_requests`."""

    method: str
    path: str
    kind: str
    when: str
    status: int | None
    request_id: str


@dataclass
class Fault:
    """A pending fault rule; returned by :meth:`FakeNumora.fail_next`.

    ``remaining`` counts the matching requests it will still fail.
    """

    remaining: int
    method: str | None
    path: str | None
    kind: str
    when: str
    status: int
    retry_after: float | None
    code: str | None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path is None or _path_regex(self.path).match(path) is not None


def _path_regex(pattern: str) -> re.Pattern[str]:
    """``/v1/documents/{document_id}`` or ``/v1/documents/*``: ``{x}`` one segment, ``*`` any."""
    escaped = re.escape(pattern)
    escaped = re.sub(r"\\\{\w+\\\}", "[^/]+", escaped).replace(r"\*", ".*")
    return re.compile("^" + escaped + "$")


class Faults:
    """The pending rules, consumed in the order they were added."""

    def __init__(self, log_size: int | None = None) -> None:
        self.rules: list[Fault] = []
        self.log: collections.deque[FaultRecord] = collections.deque(maxlen=log_size)

    def add(self, fault: Fault) -> Fault:
        self.rules.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        for fault in self.rules:
            if fault.remaining > 0 and fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.rules.remove(fault)
                return fault
        return None

    def record(self, fault: Fault, method: str, path: str, request_id: str) -> None:
        status = fault.status if fault.kind == "status" else None
        self.log.append(FaultRecord(method, path, fault.kind, fault.when, status, request_id))
