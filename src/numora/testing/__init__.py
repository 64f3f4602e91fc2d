"""Test your Numora integration without a Numora account: an in-memory fake of the /v1 API.

>>> from numora.testing import FakeNumora
>>> fake = FakeNumora()
>>> client = fake.client()  # a numora.Numora answered in memory, no sockets
>>> doc = client.documents.create(schema="invoice_v2", file_url="https://example.com/a.pdf")
>>> fake.finish_processing(doc.id)["status"]
'review_required'

Or over real HTTP: ``with fake.serve() as base_url: ...``. See the "Testing your
integration" guide for the whole tour: lifecycle control, faults, webhooks, rate limits.

This module is imported only when you use it; ``import numora`` does not load it.
"""

from __future__ import annotations

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
