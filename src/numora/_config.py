"""Client configuration: arguments and ``NUMORA_*`` environment variables, checked once."""

from __future__ import annotations

import ipaddress
import os
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import httpx

from ._types import TimeoutTypes
from ._version import __version__

__all__ = ["DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ClientConfig", "resolve_config"]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""60 s for the whole call phase, 5 s to connect: finite, so a stuck network never hangs you."""

DEFAULT_MAX_RETRIES = 2


def _user_agent() -> str:
    """``numora-python/0.1.0 (CPython 3.11.7; Linux x86_64)``: what support asks for first."""
    # os.uname() is one cheap system call; platform.uname() can query WMI on Windows, which
    # would cost every import tens of milliseconds.
    if hasattr(os, "uname"):
        uname = os.uname()
        system, machine = uname.sysname, uname.machine
    else:  # pragma: no cover - Windows
        system, machine = "Windows", os.environ.get("PROCESSOR_ARCHITECTURE", "unknown")
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"numora-python/{__version__} ({python}; {system} {machine})"


USER_AGENT = _user_agent()
"""Sent on every request; computed once, at import."""


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client needs to build requests; shared by copies from ``with_options``."""

    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    retry_after_cap: float
    api_key: str = field(repr=False)
    webhook_secret: str | Sequence[str] | None = field(repr=False)
    default_headers: Mapping[str, str] = field(repr=False)
    # Authorization, User-Agent and the defaults, merged once rather than on every call.
    headers: Mapping[str, str] = field(repr=False)


def lowercase_keys(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Header names are case-insensitive: keep one spelling so an override never duplicates."""
    return {name.lower(): value for name, value in (headers or {}).items()}


def merged_headers(api_key: str, defaults: Mapping[str, str]) -> dict[str, str]:
    """The headers of every request, merged once. Authorization always comes from the key."""
    return {
        "accept": "application/json",
        "user-agent": USER_AGENT,
        **defaults,
        "authorization": f"Bearer {api_key}",
    }


def to_timeout(value: TimeoutTypes) -> httpx.Timeout:
    """Accept seconds or an ``httpx.Timeout``; reject what would fail later, now."""
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(
            f"timeout must be a positive number of seconds or an httpx.Timeout, got {value!r}"
        )
    return httpx.Timeout(float(value))


def check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be an int >= 0 (0 = one attempt), got {value!r}")
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_base_url(base_url: str, *, allow_insecure_http: bool) -> str:
    """``https://host`` or ``https://host/v1`` → ``https://host/v1`` (no trailing slash)."""
    try:
        url = httpx.URL(base_url.strip())
    except httpx.InvalidURL as exc:
        raise ValueError(f"base_url is not a valid URL: {base_url!r} ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(
            f"base_url must be an absolute http(s) URL such as 'https://api.numora.example', "
            f"got {base_url!r}"
        )
    if url.scheme == "http" and not allow_insecure_http and not _is_loopback(url.host):
        raise ValueError(
            f"base_url {base_url!r} uses plain http:// to a non-loopback host, so the API key "
            "would travel in clear text. Use https://, or pass allow_insecure_http=True if "
            "you really mean it (e.g. inside a trusted network)."
        )
    if url.query or url.fragment:
        raise ValueError(f"base_url must not carry a query or fragment, got {base_url!r}")
    path = url.path.rstrip("/")
    if not path.endswith("/v1"):
        path += "/v1"
    return str(url.copy_with(path=path)).rstrip("/")


def resolve_config(
    *,
    api_key: str | None,
    base_url: str | None,
    timeout: TimeoutTypes,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    webhook_secret: str | Sequence[str] | None,
    allow_insecure_http: bool,
    retry_after_cap: float,
) -> ClientConfig:
    """Resolve arguments and env vars into a :class:`ClientConfig`, or say what is missing."""
    if api_key is None:
        api_key = os.environ.get("NUMORA_API_KEY")
    if not api_key or not api_key.strip():
        raise ValueError(
            "No API key: pass api_key='sk_…' to the client or set the NUMORA_API_KEY "
            "environment variable. Keys are created in the Numora app (or with "
            "client.api_keys.create()); `numora sandbox` prints a test key."
        )
    api_key = api_key.strip()
    if any(ch.isspace() for ch in api_key):
        # Never echo the key: it could be a real one with a pasted newline.
        raise ValueError("The API key contains whitespace; check how it was copied.")
    if base_url is None:
        base_url = os.environ.get("NUMORA_BASE_URL")
    if not base_url:
        raise ValueError(
            "No base URL: pass base_url='https://…' (your workspace's API host, as Numora "
            "gives it) or set the NUMORA_BASE_URL environment variable. There is no default "
            "host: each Numora workspace or environment has its own. For local work, "
            "`numora sandbox` prints one."
        )
    if webhook_secret is None:
        webhook_secret = os.environ.get("NUMORA_WEBHOOK_SECRET") or None
    if not isinstance(retry_after_cap, (int, float)) or retry_after_cap < 0:
        raise ValueError(f"retry_after_cap must be >= 0 seconds, got {retry_after_cap!r}")
    defaults = lowercase_keys(default_headers)
    headers = merged_headers(api_key, defaults)
    return ClientConfig(
        base_url=normalize_base_url(base_url, allow_insecure_http=allow_insecure_http),
        timeout=to_timeout(timeout),
        max_retries=check_max_retries(max_retries),
        retry_after_cap=float(retry_after_cap),
        api_key=api_key,
        webhook_secret=webhook_secret,
        default_headers=defaults,
        headers=headers,
    )
