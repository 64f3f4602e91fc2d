"""Configuration: arguments, NUMORA_* environment variables, and what is refused up front."""

from __future__ import annotations

import httpx
import pytest
import respx
from core_helpers import API_KEY, BASE_URL, GET, WEBHOOK_SECRET, Api, ok, route

from numora import AsyncNumora, Numora, WebhookVerificationError, webhooks

pytestmark = pytest.mark.anyio

CLIENTS = [Numora, AsyncNumora]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_api_key_names_the_argument_and_env_var(
    cls: type[Numora], key: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if key is not None:
        monkeypatch.setenv("NUMORA_API_KEY", key)
    with pytest.raises(ValueError, match="api_key") as info:
        cls(base_url=BASE_URL)
    assert "NUMORA_API_KEY" in str(info.value)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("base_url", [None, ""])
def test_missing_base_url_names_the_argument_and_env_var(
    cls: type[Numora], base_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if base_url is not None:
        monkeypatch.setenv("NUMORA_BASE_URL", base_url)
    with pytest.raises(ValueError, match="base_url") as info:
        cls(api_key=API_KEY)
    assert "NUMORA_BASE_URL" in str(info.value)


async def test_api_key_and_base_url_from_the_environment(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMORA_API_KEY", "sk_test_from_env")
    monkeypatch.setenv("NUMORA_BASE_URL", "https://env.numora.example")
    client = api.clock.install(api.cls())
    try:
        with respx.mock(base_url="https://env.numora.example/v1") as mock:
            mock_route = route(mock, GET)
            mock_route.return_value = ok(GET)
            await api.call(GET.call, client)
    finally:
        await api.close(client)

    assert mock_route.calls.last.request.headers["authorization"] == "Bearer sk_test_from_env"
    assert client.base_url == "https://env.numora.example/v1"


async def test_arguments_win_over_the_environment(
    api: Api, mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMORA_API_KEY", "sk_test_from_env")
    monkeypatch.setenv("NUMORA_BASE_URL", "https://env.numora.example")
    mock_route = route(mock, GET)
    mock_route.return_value = ok(GET)

    await api.call(GET.call, api.client(api_key=API_KEY, base_url=BASE_URL))

    assert mock_route.calls.last.request.headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("cls", CLIENTS)
def test_webhook_secret_from_the_environment(
    cls: type[Numora], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMORA_WEBHOOK_SECRET", WEBHOOK_SECRET)
    client = cls(api_key=API_KEY, base_url=BASE_URL)
    payload = b'{"id": "evt_1", "type": "document.reviewed", "data": {}}'

    client.webhooks.verify(payload, webhooks.sign(payload, WEBHOOK_SECRET))
    with pytest.raises(WebhookVerificationError):
        client.webhooks.verify(payload, webhooks.sign(payload, "whsec_someone_else"))


@pytest.mark.parametrize("cls", CLIENTS)
def test_no_webhook_secret_fails_on_use_not_at_construction(cls: type[Numora]) -> None:
    client = cls(api_key=API_KEY, base_url=BASE_URL)
    payload = b"{}"

    with pytest.raises(WebhookVerificationError, match="NUMORA_WEBHOOK_SECRET"):
        client.webhooks.verify(payload, webhooks.sign(payload, WEBHOOK_SECRET))


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.numora.example",
        "https://api.numora.example/",
        "https://api.numora.example/v1",
        "https://api.numora.example/v1/",
        " https://api.numora.example ",
    ],
)
async def test_base_url_with_or_without_v1_reaches_the_same_url(
    api: Api, mock: respx.MockRouter, base_url: str
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = ok(GET)
    client = api.client(base_url=base_url)

    await api.call(GET.call, client)

    assert str(mock_route.calls.last.request.url) == "https://api.numora.example/v1/documents/doc_1"
    assert client.base_url == "https://api.numora.example/v1"


async def test_base_url_keeps_a_path_prefix(api: Api) -> None:
    with respx.mock() as mock:
        mock_route = mock.get("https://gw.example/numora/v1/documents/doc_1")
        mock_route.return_value = ok(GET)
        await api.call(GET.call, api.client(base_url="https://gw.example/numora"))
    assert mock_route.called


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "base_url", ["http://api.numora.example", "http://10.0.0.8:8080", "http://numora.internal/v1"]
)
def test_plain_http_to_a_remote_host_is_refused(cls: type[Numora], base_url: str) -> None:
    with pytest.raises(ValueError, match="allow_insecure_http=True"):
        cls(api_key=API_KEY, base_url=base_url)

    client = cls(api_key=API_KEY, base_url=base_url, allow_insecure_http=True)
    assert client.base_url.startswith("http://")


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "base_url",
    ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "http://api.localhost"],
)
def test_plain_http_to_loopback_is_allowed(cls: type[Numora], base_url: str) -> None:
    assert cls(api_key=API_KEY, base_url=base_url).base_url == base_url + "/v1"


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "base_url", ["api.numora.example", "ftp://api.numora.example", "https://", "https://h/?a=1"]
)
def test_malformed_base_url_is_refused(cls: type[Numora], base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        cls(api_key=API_KEY, base_url=base_url)


@pytest.mark.parametrize("cls", CLIENTS)
def test_default_timeout_is_finite(cls: type[Numora]) -> None:
    client = cls(api_key=API_KEY, base_url=BASE_URL)
    assert client.timeout == httpx.Timeout(60.0, connect=5.0)
    assert client.max_retries == 2


def sent_timeout(mock_route: respx.Route) -> dict[str, float | None]:
    timeout: dict[str, float | None] = mock_route.calls.last.request.extensions["timeout"]
    return timeout


async def test_default_timeout_is_sent(api: Api, mock: respx.MockRouter) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = ok(GET)

    await api.call(GET.call, api.client())

    assert sent_timeout(mock_route) == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (12.5, {"connect": 12.5, "read": 12.5, "write": 12.5, "pool": 12.5}),
        (httpx.Timeout(30, connect=2), {"connect": 2.0, "read": 30.0, "write": 30.0, "pool": 30.0}),
    ],
)
async def test_timeout_takes_a_float_or_an_httpx_timeout(
    api: Api, mock: respx.MockRouter, timeout: float | httpx.Timeout, expected: dict[str, float]
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = ok(GET)
    client = api.client(timeout=timeout)

    await api.call(GET.call, client)
    assert sent_timeout(mock_route) == expected

    await api.call(GET.call, client, timeout=3)
    assert sent_timeout(mock_route) == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("timeout", [0, -1, "10", True])
def test_invalid_timeout_is_refused(cls: type[Numora], timeout: object) -> None:
    with pytest.raises(ValueError, match="timeout"):
        cls(api_key=API_KEY, base_url=BASE_URL, timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("max_retries", [-1, 1.5, "2", None, True])
def test_invalid_max_retries_is_refused(cls: type[Numora], max_retries: object) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        cls(api_key=API_KEY, base_url=BASE_URL, max_retries=max_retries)  # type: ignore[arg-type]


def test_http_client_of_the_wrong_flavour_is_refused() -> None:
    with httpx.Client() as sync_http, pytest.raises(TypeError, match="Numora"):
        AsyncNumora(api_key=API_KEY, base_url=BASE_URL, http_client=sync_http)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AsyncNumora"):
        Numora(api_key=API_KEY, base_url=BASE_URL, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
