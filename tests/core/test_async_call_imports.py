"""An async call over a real socket looks up no module once the client is warm.

httpcore asks for ``sniffio`` on every async lock, event and cancellation shield it sets
up. A failed import is not remembered, so without ``sniffio`` installed each of those is a
search of every ``sys.path`` entry: about a third of an async call's client instructions.
numora depends on ``sniffio`` so that its async calls never pay for that search.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

import pytest

import numora
from numora.testing import FakeNumora


class _Lookups(importlib.abc.MetaPathFinder):
    """Records each module the import system is asked to find (and finds none itself)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        self.names.append(fullname)
        return None


@pytest.mark.anyio
async def test_warm_async_calls_import_nothing() -> None:
    fake = FakeNumora()
    with fake.serve() as base_url:
        async with numora.AsyncNumora(api_key=fake.api_key, base_url=base_url) as client:
            created = await client.documents.create(
                schema="invoice_v2", file_url="https://files.example/a.pdf"
            )
            for _ in range(3):  # warm: connections, lazily loaded modules, validators
                await client.documents.retrieve(created.id)
            lookups = _Lookups()
            sys.meta_path.insert(0, lookups)
            try:
                for _ in range(5):
                    await client.documents.retrieve(created.id)
            finally:
                sys.meta_path.remove(lookups)
    assert lookups.names == []
