"""Test your Numora integration without a Numora account: an in-memory fake of the /v1 API.

>>> from numora.testing import FakeNumora
>>> fake = FakeNumora()
>>> client = fake.client()  # a numora.Numora answered in memory, no sockets
>>> doc = client.documents.create(schema="invoice_v2", file_url="https://example.com/a.pdf")
>>> fake.finish_processing(doc.id)["status"]
'review_required'

Or over real HTTP: ``with fake.serve() as base_url: ...``. With pytest, the fixtures
``numora_fake``, ``numora_client``, ``async_numora_client`` and ``numora_webhook_secret`` are
ready to use (the plugin :mod:`numora.testing.pytest_plugin` is registered by installing
numora). See the "Testing your integration" guide for the whole tour.

This module is imported only when you use it; ``import numora`` does not load it, and its
names load on first use (PEP 562), so the pytest plugin costs nothing until a fixture runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fake import FakeNumora, FakeNumoraWarning, SignedEvent
    from ._faults import Fault, FaultRecord, InjectedFault
    from ._handle import FakeResponse, RecordedRequest

__all__ = [
    "FakeNumora",
    "FakeNumoraWarning",
    "FakeResponse",
    "Fault",
    "FaultRecord",
    "InjectedFault",
    "RecordedRequest",
    "SignedEvent",
]

# name -> module that defines it; resolved on first attribute access.
_LAZY: dict[str, str] = {
    "FakeNumora": "._fake",
    "FakeNumoraWarning": "._fake",
    "SignedEvent": "._fake",
    "Fault": "._faults",
    "FaultRecord": "._faults",
    "InjectedFault": "._faults",
    "FakeResponse": "._handle",
    "RecordedRequest": "._handle",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'numora.testing' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
