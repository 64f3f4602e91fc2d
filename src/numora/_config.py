"""Client configuration: arguments and ``NUMORA_*`` environment variables, checked once."""

from __future__ import annotations

import ipaddress
import math
import os
import platform
import re
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from ._record import Record
from ._types import TimeoutTypes
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "POOL_LIMITS",
    "POOL_SIZE",
    "ClientConfig",
    "Secret",
    "attempt_seconds",
    "conceal",
    "resolve_config",
]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""Each attempt may take 60 s in all (5 s of it to connect): finite, so nothing hangs you."""

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


DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""64 MiB of decoded body per response. The largest answers the API documents are a page of
100 documents (each with up to 50 metadata values of 500 characters: about 2.6 MB) and an
extraction result, a few MB even with thousands of line items; 64 MiB is over ten times that,
while still keeping a runaway or hostile body from taking the process's memory."""

POOL_SIZE = 100
POOL_LIMITS = httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
"""The pool numora creates: 100 connections, all kept alive between calls. httpcore closes
an idle connection whenever the pool holds more than ``max_keepalive_connections`` in all,
so httpx's default of 20 would reconnect (a TLS handshake each) under more concurrency."""


class Secret:
    """An API key or webhook secret on its way into a client: its ``repr`` (what tracebacks
    rendered with locals, debuggers and error trackers show) never contains the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def conceal(value: Any) -> Any:
    """Wrap a secret argument (a str, or a list of them) at once; never fails, so the frame
    that received the plain value can drop it before anything is checked."""
    if isinstance(value, str):
        return Secret(value)
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(Secret(item) for item in value)
    return value


def _reveal(value: Any) -> Any:
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, tuple) and value and all(isinstance(item, Secret) for item in value):
        return [item.reveal() for item in value]
    return value


class ClientConfig(Record):
    """Everything a client needs to build requests; shared by copies from ``with_options``.

    ``headers`` holds Authorization, User-Agent and the defaults, merged once rather than on
    every call: an ``httpx.Headers``, whose repr masks the key wherever it shows up
    (tracebacks' locals too). The repr leaves out the key, secrets and headers.
    """

    __slots__ = (
        "api_key",
        "base_url",
        "default_headers",
        "headers",
        "max_response_bytes",
        "max_retries",
        "retry_after_cap",
        "timeout",
        "webhook_secret",
    )
    _hidden = frozenset({"api_key", "webhook_secret", "default_headers", "headers"})

    def __init__(
        self,
        *,
        base_url: str,
        timeout: httpx.Timeout,
        max_retries: int,
        retry_after_cap: float,
        api_key: str,
        webhook_secret: str | Sequence[str] | None,
        default_headers: Mapping[str, str],
        headers: httpx.Headers,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_after_cap = retry_after_cap
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.default_headers = default_headers
        self.headers = headers
        self.max_response_bytes = max_response_bytes


# Compiled on first use (a header in default_headers, extra_headers or request_id), not at
# import: most processes never check one.
_TOKEN: re.Pattern[str] | None = None
_HEADER_VALUE: re.Pattern[str] | None = None


def _header_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    global _TOKEN, _HEADER_VALUE  # noqa: PLW0603
    if _TOKEN is None or _HEADER_VALUE is None:
        _TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
        _HEADER_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?")
    return _TOKEN, _HEADER_VALUE


def check_header(name: object, value: object, argument: str) -> None:
    """Refuse a header HTTP cannot carry, naming the argument, before anything is sent."""
    token, header_value = _header_patterns()
    if not isinstance(name, str) or not token.fullmatch(name):
        raise ValueError(f"{argument}: {name!r} is not a valid HTTP header name")
    if not isinstance(value, str):
        raise TypeError(f"{argument}[{name!r}] must be a str, got {type(value).__name__}")
    if value and not header_value.fullmatch(value):
        raise ValueError(
            f"{argument}[{name!r}] cannot be sent as an HTTP header value: use printable "
            "ASCII, without line breaks, control characters or surrounding spaces"
        )


def lowercase_keys(
    headers: Mapping[str, str] | None, argument: str = "default_headers"
) -> dict[str, str]:
    """Header names are case-insensitive: keep one spelling so an override never duplicates.

    Each header is checked here, so a bad one fails with the argument's name rather than deep
    inside the HTTP library (whose frames would also hold the Authorization header)."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"{argument} must be a mapping of header names to str values")
    for name, value in headers.items():
        check_header(name, value, argument)
    return {name.lower(): value for name, value in headers.items()}


def merged_headers(api_key: str, defaults: Mapping[str, str]) -> httpx.Headers:
    """The headers of every request, merged once. Authorization always comes from the key."""
    return httpx.Headers(
        {
            "accept": "application/json",
            "user-agent": USER_AGENT,
            **defaults,
            "authorization": f"Bearer {api_key}",
        }
    )


def _secret_problem(value: str, argument: str) -> str | None:
    """What is wrong with a key or secret, in words that never quote it (``None``: fine)."""
    for position, char in enumerate(value, start=1):
        if "\x21" <= char <= "\x7e":
            continue
        if char.isspace():
            kind = "whitespace"
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            kind = f"a control character (U+{ord(char):04X})"
        else:
            kind = f"a non-ASCII character (U+{ord(char):04X})"
        return (
            f"The {argument} contains {kind} at position {position}; check how it was "
            "copied (keys and secrets are printable ASCII, without spaces)."
        )
    return None


def attempt_seconds(timeouts: Mapping[str, float | None]) -> float | None:
    """How long one attempt may take in all: the largest of its phase timeouts (a float
    ``timeout`` sets them all), or ``None`` (no deadline) when any phase is unbounded."""
    longest = 0.0
    for seconds in timeouts.values():
        if seconds is None:
            return None
        longest = max(longest, seconds)
    return longest


def check_max_response_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"max_response_bytes must be a positive int (bytes of decoded body), got {value!r}"
        )
    return value


def to_timeout(value: TimeoutTypes) -> httpx.Timeout:
    """Accept seconds or an ``httpx.Timeout``; reject what would fail later, now."""
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
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
    api_key: str | Secret | None,
    base_url: str | None,
    timeout: TimeoutTypes,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    webhook_secret: str | Sequence[str] | Secret | tuple[Secret, ...] | None,
    allow_insecure_http: bool,
    retry_after_cap: float,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> ClientConfig:
    """Resolve arguments and env vars into a :class:`ClientConfig`, or say what is missing.

    The key and secrets stay wrapped in :class:`Secret` here, and every check only reports
    what is wrong: no frame that can end in an exception holds one in a plain local.
    """
    key = conceal(api_key) if api_key is not None else _env_secret("NUMORA_API_KEY")
    if not isinstance(key, Secret) or not key.reveal().strip():
        if key is not None and not isinstance(key, Secret):
            raise TypeError(f"api_key must be a str, got {type(key).__name__}")
        raise ValueError(
            "No API key: pass api_key='sk_…' to the client or set the NUMORA_API_KEY "
            "environment variable. Keys are created in the Numora app (or with "
            "client.api_keys.create()); `numora sandbox` prints a test key."
        )
    key = Secret(key.reveal().strip())
    problem = _secret_problem(key.reveal(), "API key")
    if problem:
        raise ValueError(problem)
    if base_url is None:
        base_url = os.environ.get("NUMORA_BASE_URL")
    if not base_url:
        raise ValueError(
            "No base URL: pass base_url='https://…' (your workspace's API host, as Numora "
            "gives it) or set the NUMORA_BASE_URL environment variable. There is no default "
            "host: each Numora workspace or environment has its own. For local work, "
            "`numora sandbox` prints one."
        )
    secrets = conceal(webhook_secret)
    if secrets is None:
        secrets = _env_secret("NUMORA_WEBHOOK_SECRET")
    for secret in secrets if isinstance(secrets, tuple) else (secrets,):
        if isinstance(secret, Secret):
            problem = _secret_problem(secret.reveal(), "webhook_secret")
            if problem:
                raise ValueError(problem)
    if (
        isinstance(retry_after_cap, bool)
        or not isinstance(retry_after_cap, (int, float))
        or not math.isfinite(retry_after_cap)
        or retry_after_cap < 0
    ):
        raise ValueError(
            f"retry_after_cap must be a finite number of seconds >= 0, got {retry_after_cap!r}"
        )
    defaults = lowercase_keys(default_headers)
    return ClientConfig(
        base_url=normalize_base_url(base_url, allow_insecure_http=allow_insecure_http),
        timeout=to_timeout(timeout),
        max_retries=check_max_retries(max_retries),
        retry_after_cap=float(retry_after_cap),
        api_key=key.reveal(),
        webhook_secret=_reveal(secrets),
        default_headers=defaults,
        headers=merged_headers(key.reveal(), defaults),
        max_response_bytes=check_max_response_bytes(max_response_bytes),
    )


def _env_secret(name: str) -> Secret | None:
    value = os.environ.get(name)
    return Secret(value) if value else None
