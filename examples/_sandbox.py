"""What the examples share: where to send requests.

With ``NUMORA_BASE_URL`` set (and ``NUMORA_API_KEY``), the examples use that Numora. Without
it they start a local sandbox: :class:`numora.testing.FakeNumora` served over real HTTP on
127.0.0.1, with a test key, so every example runs with no account and no setup.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from numora import AsyncNumora, Numora

SANDBOX_FILE_URL = "https://files.example.com/invoices/acme-2026-0042.pdf"


@dataclass(frozen=True)
class Target:
    """A Numora to talk to: the local sandbox or your workspace."""

    base_url: str
    api_key: str | None  # None: the client reads NUMORA_API_KEY
    is_sandbox: bool
    file_url: str | None  # a file Numora can fetch, if there is one

    def client(self) -> Numora:
        """A synchronous client for this target."""
        return Numora(api_key=self.api_key, base_url=self.base_url)

    def async_client(self) -> AsyncNumora:
        """An asynchronous client for this target."""
        return AsyncNumora(api_key=self.api_key, base_url=self.base_url)


@contextmanager
def connect(**sandbox_options: Any) -> Iterator[Target]:
    """Yield the target; a sandbox (``FakeNumora(**sandbox_options)``) unless configured.

    Sandbox documents finish extraction after half a second unless ``processing_delay``
    says otherwise. With a real workspace, ``NUMORA_QUICKSTART_FILE_URL`` names the file
    the examples submit (an https URL Numora can fetch).
    """
    base_url = os.environ.get("NUMORA_BASE_URL")
    if base_url:
        file_url = os.environ.get("NUMORA_QUICKSTART_FILE_URL") or None
        yield Target(base_url, None, is_sandbox=False, file_url=file_url)
        return
    from numora.testing import FakeNumora

    sandbox_options.setdefault("processing_delay", 0.5)
    fake = FakeNumora(**sandbox_options)
    with fake.serve() as local_url:
        print(f"(NUMORA_BASE_URL is not set: using a local sandbox at {local_url})")
        yield Target(local_url, fake.api_key, is_sandbox=True, file_url=SANDBOX_FILE_URL)
