"""Checks and conversions for method arguments, done before anything is sent."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

__all__ = ["check_limit", "deprecated_route", "drop_none", "timestamp", "to_plain"]


def drop_none(**fields: Any) -> dict[str, Any]:
    """The JSON body or query: arguments left as ``None`` are not sent."""
    return {k: v for k, v in fields.items() if v is not None}


def check_limit(limit: int | None) -> int | None:
    """``limit`` is a page size from 1 to 100 (the API's bounds), never a total."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
        raise ValueError(
            f"limit is the page size and must be an int from 1 to 100, got {limit!r}; "
            "iterate the returned page to walk every item"
        )
    return limit


def timestamp(value: datetime | str | None, name: str) -> str | None:
    """A timestamp argument as the API's ISO-8601 UTC text (``…Z``).

    Strings are sent unchanged (pass back exactly what the API gave you); datetimes must
    be timezone-aware so that no local-time guess is made for you.
    """
    if value is None or isinstance(value, str):
        if isinstance(value, str) and not value.strip():
            raise ValueError(f"{name} must not be empty")
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or an ISO-8601 string, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (e.g. datetime.now(timezone.utc)); "
            f"got the naive datetime {value.isoformat()}"
        )
    value = value.astimezone(timezone.utc)
    spec = "milliseconds" if value.microsecond % 1000 == 0 else "microseconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def to_plain(value: Any) -> Any:
    """A model argument (e.g. ``ReviewState``) as JSON data with wire names; others as is."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, Mapping):
        return dict(value)
    return value


def deprecated_route(old: str, replacement: str) -> None:
    """Warn once per call site that a legacy route is used, naming what replaces it."""
    warnings.warn(
        f"{old} wraps a legacy Numora route that is no longer in the recommended model; "
        f"use {replacement} instead.",
        DeprecationWarning,
        stacklevel=4,
    )
