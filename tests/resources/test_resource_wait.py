"""The wait helpers on a fake clock: growing intervals, retry-after, and the deadline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from numora import WaitTimeoutError
from numora.types import Document, Run

from ._cases import ACCEPTED, DOCUMENT, ODD, ODD_ID, RUN
from .conftest import Api

pytestmark = pytest.mark.anyio


def document(status: str) -> httpx.Response:
    return httpx.Response(200, json={**DOCUMENT, "status": status})


def run(status: str) -> httpx.Response:
    return httpx.Response(200, json={**RUN, "status": status})


async def test_documents_wait_returns_once_the_document_leaves_processing(
    api: Api, server: respx.MockRouter
) -> None:
    route = server.get(f"/documents/{ODD}").mock(
        side_effect=[document("processing"), document("processing"), document("review_required")]
    )

    result = await api(lambda c: c.documents.wait(ODD_ID))

    assert isinstance(result, Document)
    assert result.status == "review_required"
    assert route.call_count == 3
    assert api.clock.sleeps == [1.0, 1.5]


async def test_poll_intervals_grow_and_are_capped_at_ten_seconds(
    api: Api, server: respx.MockRouter
) -> None:
    server.get("/documents/doc_1").mock(
        side_effect=[document("processing")] * 8 + [document("reviewed")]
    )

    await api(lambda c: c.documents.wait("doc_1", deadline=600))

    assert api.clock.sleeps == pytest.approx([1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10.0, 10.0])


async def test_poll_interval_sets_the_first_delay(api: Api, server: respx.MockRouter) -> None:
    server.get("/documents/doc_1").mock(side_effect=[document("processing"), document("failed")])

    await api(lambda c: c.documents.wait("doc_1", poll_interval=0.2))

    assert api.clock.sleeps == [0.2]


async def test_documents_wait_raises_at_the_deadline_with_the_last_state(
    api: Api, server: respx.MockRouter
) -> None:
    route = server.get("/documents/doc_1").mock(return_value=document("processing"))
    started = api.clock()

    with pytest.raises(WaitTimeoutError, match="processing") as caught:
        await api(lambda c: c.documents.wait("doc_1", deadline=5))

    assert isinstance(caught.value, TimeoutError)
    assert isinstance(caught.value.last, Document)
    assert caught.value.last.status == "processing"
    # 1 + 1.5 + 2.25, then only what is left of the 5 s; a last poll at the deadline
    assert api.clock.sleeps == pytest.approx([1.0, 1.5, 2.25, 0.25])
    assert api.clock() - started == pytest.approx(5.0)
    assert route.call_count == 5


async def test_a_retry_after_on_a_poll_answer_is_honoured(
    api: Api, server: respx.MockRouter
) -> None:
    slow = httpx.Response(
        200, json={**DOCUMENT, "status": "processing"}, headers={"retry-after": "7"}
    )
    server.get("/documents/doc_1").mock(side_effect=[slow, document("reviewed")])

    await api(lambda c: c.documents.wait("doc_1"))

    assert api.clock.sleeps == [7.0]


async def test_a_shorter_retry_after_does_not_shrink_the_interval(
    api: Api, server: respx.MockRouter
) -> None:
    quick = httpx.Response(
        200, json={**DOCUMENT, "status": "processing"}, headers={"retry-after": "0.1"}
    )
    server.get("/documents/doc_1").mock(side_effect=[quick, document("reviewed")])

    await api(lambda c: c.documents.wait("doc_1", poll_interval=2))

    assert api.clock.sleeps == [2.0]


async def test_a_rate_limited_poll_waits_for_retry_after_and_goes_on(
    api: Api, server: respx.MockRouter
) -> None:
    limited = httpx.Response(
        429,
        json={"error": {"code": "rate_limited", "message": "slow down"}},
        headers={"retry-after": "3"},
    )
    route = server.get("/documents/doc_1").mock(
        side_effect=[document("processing"), limited, document("reviewed")]
    )

    result = await api(lambda c: c.documents.wait("doc_1"))

    assert result.status == "reviewed"
    assert api.clock.sleeps == [1.0, 3.0]
    assert route.call_count == 3


UNTIL: list[tuple[str, Any, list[str], str]] = [
    ("a status", "reviewed", ["review_required", "reviewed"], "reviewed"),
    ("several", ["push_succeeded", "push_failed"], ["reviewed", "push_failed"], "push_failed"),
    (
        "a predicate",
        lambda d: d.status.startswith("push_"),
        ["reviewed", "push_pending"],
        "push_pending",
    ),
]


@pytest.mark.parametrize(
    ("until", "statuses", "expected"), [u[1:] for u in UNTIL], ids=[u[0] for u in UNTIL]
)
async def test_documents_wait_until(
    api: Api, server: respx.MockRouter, until: Any, statuses: list[str], expected: str
) -> None:
    server.get("/documents/doc_1").mock(side_effect=[document(s) for s in statuses])

    result = await api(lambda c: c.documents.wait("doc_1", until=until))

    assert result.status == expected


async def test_create_and_wait_submits_then_polls(api: Api, server: respx.MockRouter) -> None:
    create = server.post("/documents").respond(202, json=ACCEPTED)
    poll = server.get(f"/documents/{ACCEPTED['id']}").mock(
        side_effect=[document("processing"), document("review_required")]
    )

    result = await api(
        lambda c: c.documents.create_and_wait(
            schema="invoice_v2", file_url="https://files.example/a.pdf", external_id="erp-1"
        )
    )

    assert isinstance(result, Document)
    assert result.status == "review_required"
    assert create.call_count == 1
    assert poll.call_count == 2


@pytest.mark.parametrize("final", ["succeeded", "failed", "cancelled"])
async def test_runs_wait_returns_when_the_run_finishes(
    api: Api, server: respx.MockRouter, final: str
) -> None:
    route = server.get(f"/runs/{ODD}").mock(side_effect=[run("queued"), run("running"), run(final)])

    result = await api(lambda c: c.runs.wait(ODD_ID))

    assert isinstance(result, Run)
    assert result.status == final
    assert route.call_count == 3
    assert api.clock.sleeps == [1.0, 1.5]


async def test_runs_wait_raises_at_the_deadline_with_the_last_run(
    api: Api, server: respx.MockRouter
) -> None:
    server.get("/runs/run_1").mock(return_value=run("running"))

    with pytest.raises(WaitTimeoutError) as caught:
        await api(lambda c: c.runs.wait("run_1", deadline=3))

    assert isinstance(caught.value.last, Run)
    assert caught.value.last.status == "running"
    assert sum(api.clock.sleeps) == pytest.approx(3.0)


BAD_WAITS: list[Callable[[Any], Any]] = [
    lambda c: c.documents.wait("doc_1", deadline=0),
    lambda c: c.documents.wait("doc_1", poll_interval=-1),
    lambda c: c.runs.wait("run_1", deadline=-5),
    lambda c: c.documents.wait("doc_1", deadline=float("inf")),
    lambda c: c.documents.wait("doc_1", poll_interval=float("nan")),
]


@pytest.mark.parametrize("call", BAD_WAITS)
async def test_wait_refuses_non_positive_times_before_polling(
    api: Api, server: respx.MockRouter, call: Callable[[Any], Any]
) -> None:
    route = server.route().respond(500)
    with pytest.raises(ValueError, match="positive"):
        await api(call)
    assert not route.called


async def test_wait_refuses_an_empty_id(api: Api, server: respx.MockRouter) -> None:
    route = server.route().respond(500)
    with pytest.raises(ValueError, match="non-empty"):
        await api(lambda c: c.documents.wait(""))
    with pytest.raises(ValueError, match="non-empty"):
        await api(lambda c: c.runs.wait(""))
    assert not route.called


async def test_the_previews_pending_keeps_the_default_wait_going(
    api: Api, server: respx.MockRouter
) -> None:
    route = server.get("/documents/doc_1").mock(
        side_effect=[document("pending"), document("processing"), document("for_review")]
    )

    doc = await api(lambda c: c.documents.wait("doc_1"))

    assert route.call_count == 3
    assert doc.status == "for_review"
    assert doc.needs_review  # code written as the README says takes the review branch
    assert not doc.is_extracting


@pytest.mark.parametrize(
    ("status", "needs_review", "is_extracting"),
    [
        ("processing", False, True),
        ("pending", False, True),
        ("review_required", True, False),
        ("for_review", True, False),
        ("reviewed", False, False),
        ("failed", False, False),
        ("some_future_status", False, False),
    ],
)
def test_document_status_predicates(status: str, needs_review: bool, is_extracting: bool) -> None:
    doc = Document.from_dict({**DOCUMENT, "status": status})

    assert (doc.needs_review, doc.is_extracting) == (needs_review, is_extracting)


async def test_timeout_is_each_polls_request_timeout_and_deadline_the_overall_limit(
    api: Api, server: respx.MockRouter
) -> None:
    route = server.get("/documents/doc_1").mock(
        side_effect=[document("processing"), document("review_required")]
    )

    await api(lambda c: c.documents.wait("doc_1", timeout=7, deadline=30, max_retries=0))

    assert [call.request.extensions["timeout"]["read"] for call in route.calls] == [7, 7]


async def test_a_wait_timeout_says_what_was_wanted_and_what_was_seen(
    api: Api, server: respx.MockRouter
) -> None:
    server.get("/documents/doc_1").mock(return_value=document("push_pending"))

    with pytest.raises(WaitTimeoutError) as caught:
        await api(
            lambda c: c.documents.wait("doc_1", until=["push_succeeded", "push_failed"], deadline=3)
        )

    error = caught.value
    assert error.wanted == "status push_failed or push_succeeded"
    assert error.deadline == 3
    assert isinstance(error.last, Document)
    assert error.last.status == "push_pending"
    message = str(error)
    assert "3s deadline" in message
    assert "push_failed or push_succeeded" in message
    assert "'push_pending'" in message


async def test_the_default_wait_says_it_waited_for_extraction(
    api: Api, server: respx.MockRouter
) -> None:
    server.get("/documents/doc_1").mock(return_value=document("pending"))

    with pytest.raises(WaitTimeoutError) as caught:
        await api(lambda c: c.documents.wait("doc_1", deadline=2))

    assert "extraction to finish" in caught.value.wanted
    assert "'pending'" in str(caught.value)


async def test_until_must_name_statuses(api: Api, server: respx.MockRouter) -> None:
    route = server.route().respond(500)
    with pytest.raises(ValueError, match="at least one status"):
        await api(lambda c: c.documents.wait("doc_1", until=[]))
    with pytest.raises(TypeError, match="status names"):
        await api(lambda c: c.runs.wait("run_1", until=iter(["done", 3])))
    assert not route.called
