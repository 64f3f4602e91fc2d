"""Shared fixtures: anyio runs async tests on asyncio; no test touches the real network."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _clean_numora_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own NUMORA_* settings must never leak into the tests.
    for name in ("NUMORA_API_KEY", "NUMORA_BASE_URL", "NUMORA_WEBHOOK_SECRET", "NUMORA_LOG"):
        monkeypatch.delenv(name, raising=False)
