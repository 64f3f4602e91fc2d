"""A batch of 1,000 under injected faults: 429 storms with ``retry-after``, connections reset
after the document was created, bursts of 503. Every entry ends as created, existing or a
reported error; the fake never holds two documents for one entry; running the batch again
creates only what never reached Numora, and a third run creates nothing.

Faults are injected while the batch runs (every 25 outcomes), on both clients. Retries and
the batch's pauses sleep on the fake clock, so nothing waits in real time and nothing depends
on how fast the machine is: which request meets which fault varies, what is asserted does not.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _clock import FakeClock
from numora import BulkOutcome, NumoraError
from numora.testing import FakeNumora

from .conftest import async_client, documents_on, sync_client

pytestmark = pytest.mark.slow

TOTAL = 1_000
FILES = 800  # the rest are URLs with an external_id
MAX_RETRIES = 2


def entries(tmp_path: Path) -> list[Any]:
    items: list[Any] = []
    for i in range(FILES):
        path = tmp_path / f"scan-{i:04d}.pdf"
        path.write_bytes(b"%PDF-1.7\n% scan " + str(i).encode() + b"\n")
        items.append(path)
    for i in range(TOTAL - FILES):
        items.append({"file_url": f"https://files.example.com/{i}.pdf", "external_id": f"u-{i}"})
    return items


def inject(fake: FakeNumora, rng: random.Random) -> None:
    """One fault rule on POST /v1/documents."""
    roll = rng.random()
    post, path = "POST", "/v1/documents"
    if roll < 0.4:  # a storm: every create refused for a while
        n, wait = rng.randint(5, 40), rng.choice([0.5, 1, 2])
        fake.fail_next(n, method=post, path=path, status=429, retry_after=wait)
    elif roll < 0.7:  # the document is created, the answer is lost
        fake.fail_next(rng.randint(1, 3), method=post, path=path, kind="reset", when="after")
    else:  # 503s, before or after the effect; 3 in a row exhaust one create's retries
        when = rng.choice(["before", "after"])
        fake.fail_next(rng.randint(1, 3), method=post, path=path, status=503, when=when)


def run_batch(
    kind: str,
    fake: FakeNumora,
    clock: FakeClock,
    items: list[Any],
    faults: random.Random | None,
) -> list[BulkOutcome]:
    def with_faults(outcomes: Iterator[BulkOutcome]) -> Iterator[BulkOutcome]:
        for n, outcome in enumerate(outcomes):
            if faults is not None and n % 25 == 0:
                inject(fake, faults)
            yield outcome

    arguments: dict[str, Any] = {"schema": "invoice_v2", "concurrency": 16}
    if kind == "sync":
        with sync_client(fake, clock, max_retries=MAX_RETRIES) as client:
            return list(with_faults(client.documents.create_many(items, **arguments)))

    import asyncio

    async def main() -> list[BulkOutcome]:
        async with async_client(fake, clock, max_retries=MAX_RETRIES) as client:
            got: list[BulkOutcome] = []
            async for outcome in client.documents.create_many(items, **arguments):
                if faults is not None and len(got) % 25 == 0:
                    inject(fake, faults)
                got.append(outcome)
            return got

    return asyncio.run(main())


def by_index(outcomes: list[BulkOutcome]) -> dict[int, BulkOutcome]:
    assert sorted(o.index for o in outcomes) == list(range(TOTAL)), "an entry went missing"
    return {o.index: o for o in outcomes}


def stored(fake: FakeNumora) -> dict[str, str]:
    """external_id -> document id; fails on any duplicate."""
    docs = list(documents_on(fake))
    counts = Counter(d["external_id"] for d in docs)
    duplicated = {key: n for key, n in counts.items() if n > 1}
    assert not duplicated, f"duplicate documents: {duplicated}"
    assert None not in counts
    return {d["external_id"]: d["id"] for d in docs}


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_thousand_under_faults_no_duplicates_and_reruns_create_nothing(
    kind: str, tmp_path: Path
) -> None:
    clock = FakeClock()
    fake = FakeNumora(clock=clock)
    items = entries(tmp_path)

    first = by_index(run_batch(kind, fake, clock, items, random.Random(14_1000)))
    statuses = Counter(o.status for o in first.values())
    assert set(statuses) <= {"created", "existed", "failed"}
    for outcome in first.values():
        assert outcome.ok == (outcome.error is None)
        if outcome.error is not None:
            assert isinstance(outcome.error, NumoraError), repr(outcome.error)
            assert outcome.result is None
    applied = Counter((f.kind, f.when, f.status) for f in fake.faulted_requests)
    assert applied[("status", "before", 429)] >= 50, applied
    assert applied[("reset", "after", None)] >= 10, applied
    assert applied[("status", "before", 503)] + applied[("status", "after", 503)] >= 10, applied
    # Resets after the effect were replayed and found: the entry reports "existed".
    assert statuses["existed"] >= 1, statuses

    after_first = stored(fake)
    for outcome in first.values():
        if outcome.ok:
            assert after_first[outcome.external_id or ""] == outcome.document_id

    second = by_index(run_batch(kind, fake, clock, items, None))
    assert all(o.ok for o in second.values()), [o for o in second.values() if not o.ok][:3]
    created_now = {o.external_id for o in second.values() if o.created}
    assert created_now == {o.external_id for o in first.values()} - set(after_first)
    after_second = stored(fake)
    assert len(after_second) == TOTAL
    assert all(after_second[key] == doc_id for key, doc_id in after_first.items())

    third = by_index(run_batch(kind, fake, clock, items, None))
    assert Counter(o.status for o in third.values()) == {"existed": TOTAL}
    assert stored(fake) == after_second
