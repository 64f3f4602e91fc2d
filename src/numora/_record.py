"""A base for numora's small private value classes (a request description, a retry decision).

Written by hand rather than with ``dataclasses``: a ``@dataclass`` generates its methods with
``exec`` when the class is defined, which costs each of them ~1 ms of every process's start-up
(issue 16). A subclass lists its fields in ``__slots__`` and writes ``__init__``; it gets the
``repr``, equality and hash a frozen dataclass would have, and :meth:`replace` for copies.
Instances are treated as immutable (nothing assigns to them after ``__init__``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from typing_extensions import Self

__all__ = ["Record"]


class Record:
    """Fields in ``__slots__`` (all set by ``__init__``, which takes them by name)."""

    __slots__: ClassVar[tuple[str, ...]] = ()
    # Fields the repr leaves out (secrets, bulky values).
    _hidden: ClassVar[frozenset[str]] = frozenset()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in self.__slots__ if name not in self._hidden
        )
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (as ``dataclasses.replace``)."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return type(self)(**values)
