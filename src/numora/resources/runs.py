"""``client.runs``: workflow runs and their logs."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from typing_extensions import Unpack

from .._core import Operation
from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, endpoint, model, operation, paginated, path_id
from .._types import RequestOptions
from ..types import Run, RunLog, RunLogPage
from ._shared import ClientT, WaitOptions, poll

__all__ = ["RunLogs", "Runs"]

FINISHED = ("succeeded", "failed", "cancelled")


class RunLogs(Resource[ClientT]):
    """``client.runs.logs``: node-level execution logs of a run."""

    @paginated
    def list(
        self,
        run_id: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[RunLog]]:
        """The run's log entries (iterate the result)."""
        return APIRequest(
            "GET",
            f"/runs/{path_id(run_id, 'run_id')}/logs",
            page_of(RunLogPage, RunLog),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )


class Runs(Resource[ClientT]):
    """Runs of workflows: ``queued`` → ``running`` → ``succeeded`` | ``failed`` | ``cancelled``."""

    @cached_property
    def logs(self) -> RunLogs[ClientT]:
        """Node-level logs of a run."""
        return RunLogs(self._client)

    @endpoint
    def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> APIRequest[Run]:
        """The run's status and outcome."""
        return APIRequest("GET", f"/runs/{path_id(run_id, 'run_id')}", model(Run), options=options)

    @operation
    def wait(
        self,
        run_id: str,
        *,
        until: Iterable[str] = FINISHED,
        timeout: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[WaitOptions],
    ) -> Operation[Run]:
        """Poll the run until it finishes (``succeeded``, ``failed`` or ``cancelled`` by
        default); raises :class:`~numora.WaitTimeoutError` at ``timeout`` seconds."""
        wanted = set(until)
        req: APIRequest[Run] = APIRequest(
            "GET",
            f"/runs/{path_id(run_id, 'run_id')}",
            model(Run),
            options=RequestOptions(**options),  # type: ignore[typeddict-item]
        )
        result: Run = yield from poll(
            self,
            req,
            lambda run: run.status in wanted,
            timeout=timeout,
            poll_interval=poll_interval,
            what=f"Run {run_id}",
        )
        return result
