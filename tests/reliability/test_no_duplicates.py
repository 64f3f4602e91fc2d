"""No duplicates: document creation under random injected faults, over real sockets.

Faults are injected on ``POST /v1/documents`` before the request takes effect (nothing was
created) and after it (the document exists, only the answer is lost or replaced): connection
resets, read timeouts, bursts of 5xx, and 429 with ``retry-after``. A create with an
``external_id`` is retried through all of them and never yields a second document; a create
without one is never replayed after an ambiguous failure, so one call never makes two.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from reliability_helpers import FAULT_TIMEOUT

from numora import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    NumoraError,
    RateLimitError,
    ServerError,
)
from numora.testing import FakeNumora

pytestmark = pytest.mark.slow

FILE_URL = "https://files.example/invoice.pdf"
MAX_RETRIES = 2
KEYED_CALLS = 1_000
UNKEYED_CALLS = 200


@dataclass(frozen=True)
class Plan:
    """The faults the next create meets: ``n`` consecutive attempts fail this way."""

    kind: str = "none"  # none | status | timeout | reset
    when: str = "before"
    n: int = 0
    status: int = 503
    retry_after: float | None = None

    @property
    def exhausts_retries(self) -> bool:
        return self.n > MAX_RETRIES

    @property
    def options(self) -> dict[str, Any]:
        """A short timeout for a call that meets a timeout fault (what the fault costs)."""
        return {"timeout": FAULT_TIMEOUT} if self.kind == "timeout" else {}

    def inject(self, fake: FakeNumora) -> None:
        if self.kind == "none":
            return
        fake.fail_next(
            self.n,
            method="POST",
            path="/v1/documents",
            kind=self.kind,
            when=self.when,
            status=self.status,
            retry_after=self.retry_after,
        )


def random_plan(rng: random.Random, *, burst: bool) -> Plan:
    """A fault plan; ``burst`` allows several failures in a row (up to exhausting retries)."""
    roll = rng.random()
    n = rng.choice([1, 1, 2, 3]) if burst else 1
    when = rng.choice(["before", "after"])
    if roll < 0.35:
        return Plan()
    if roll < 0.55:
        return Plan("reset", when, n)
    if roll < 0.562:  # timeouts cost real time (the client's timeout), so fewer of them
        return Plan("timeout", when, rng.choice([1, 1, 1, 1, 3]) if burst else 1)
    if roll < 0.80:
        return Plan("status", when, n, status=rng.choice([500, 502, 503, 504]))
    # A 429 says the request was not processed: it is only ever sent before the effect.
    return Plan("status", "before", n, status=429, retry_after=rng.choice([0.01, 0.2, 1]))


def check_error(plan: Plan, error: Exception) -> None:
    """The error is the typed one for the fault that caused it."""
    assert isinstance(error, NumoraError), f"untyped {type(error).__name__}: {error}"
    if plan.kind == "timeout":
        assert isinstance(error, APITimeoutError), repr(error)
    elif plan.kind == "reset":
        assert isinstance(error, APIConnectionError), repr(error)
        assert not isinstance(error, APITimeoutError), repr(error)
    elif plan.status == 429:
        assert isinstance(error, RateLimitError), repr(error)
        assert error.retry_after == plan.retry_after
    else:
        assert isinstance(error, ServerError), repr(error)
        assert isinstance(error, APIStatusError) and error.status_code == plan.status


def documents_by(client: Any, key: Any) -> Counter[Any]:
    return Counter(key(doc) for doc in client.documents.list(limit=100))


def test_keyed_creates_never_duplicate_under_faults(fake: FakeNumora, make_client: Any) -> None:
    rng = random.Random(8_1000)
    client = make_client(max_retries=MAX_RETRIES)
    results: dict[str, Any] = {}
    failed: dict[str, Plan] = {}
    for i in range(KEYED_CALLS):
        plan = random_plan(rng, burst=True)
        plan.inject(fake)
        external_id = f"inv-{i}"
        try:
            created = client.documents.create(
                schema="invoice_v2", file_url=FILE_URL, external_id=external_id, **plan.options
            )
        except Exception as error:
            check_error(plan, error)
            assert plan.exhausts_retries, f"{plan} should have been retried through: {error!r}"
            failed[external_id] = plan
            continue
        assert not plan.exhausts_retries, f"{plan} cannot succeed with {MAX_RETRIES} retries"
        # An earlier attempt that took effect turns the success into "already existed".
        assert created.created == (plan.when == "before" or plan.kind == "none"), plan
        results[external_id] = created

    kinds = {(f.kind, f.when) for f in fake.faulted_requests}
    assert kinds >= {("reset", "before"), ("reset", "after"), ("timeout", "before")}
    assert kinds >= {("timeout", "after"), ("status", "before"), ("status", "after")}
    assert failed, "no burst exhausted the retries: the error paths went unchecked"

    # Whatever failed is reconciled by creating again with the same external_id.
    for external_id, plan in failed.items():
        again = client.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id=external_id
        )
        assert again.created == (plan.when == "before"), plan
        results[external_id] = again

    counts = documents_by(client, lambda doc: doc.external_id)
    assert counts == Counter({f"inv-{i}": 1 for i in range(KEYED_CALLS)})
    ids = {doc.external_id: doc.id for doc in client.documents.list(limit=100)}
    assert {key: created.id for key, created in results.items()} == ids


def test_unkeyed_creates_never_make_two_documents(fake: FakeNumora, make_client: Any) -> None:
    rng = random.Random(8_0200)
    client = make_client(max_retries=MAX_RETRIES)
    expected: dict[int, int] = {}
    for i in range(UNKEYED_CALLS):
        plan = random_plan(rng, burst=False)
        plan.inject(fake)
        try:
            client.documents.create(
                schema="invoice_v2", file_url=FILE_URL, metadata={"call": i}, **plan.options
            )
        except Exception as error:
            check_error(plan, error)
            assert plan.status != 429, "a 429 proves nothing was processed: it is retried"
            # Not replayed: the message says how to make the call safe to retry.
            assert "external_id" in str(error)
            expected[i] = 1 if plan.when == "after" else 0
            continue
        assert plan.kind == "none" or plan.status == 429, f"{plan} was replayed"
        expected[i] = 1

    counts = documents_by(client, lambda doc: doc.metadata["call"])
    assert max(counts.values()) == 1
    assert {i: counts.get(i, 0) for i in range(UNKEYED_CALLS)} == expected
    assert 0 in expected.values() and 1 in expected.values()
