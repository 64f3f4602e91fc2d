"""``client.runs``: workflow runs and their logs."""

from __future__ import annotations

from collections.abc import Iterable

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import (
    Resource,
    Steps,
    cached_resource,
    endpoint,
    helper,
    model,
    paginated,
    path_id,
)
from .._types import RequestOptions
from ..types import Run, RunLog, RunLogPage
from ._shared import ClientT, poll, wanted_statuses

__all__ = ["RunLogs", "Runs"]

FINISHED = ("succeeded", "failed", "cancelled")
"""The statuses a run ends in; ``runs.wait()`` waits for one of them by default."""


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

    @cached_resource
    def logs(self) -> RunLogs[ClientT]:
        """Node-level logs of a run."""
        return RunLogs(self._client)

    @endpoint
    def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> APIRequest[Run]:
        """The run's status and outcome."""
        return APIRequest("GET", f"/runs/{path_id(run_id, 'run_id')}", model(Run), options=options)

    @helper
    def wait(
        self,
        run_id: str,
        *,
        until: str | Iterable[str] = FINISHED,
        deadline: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[RequestOptions],
    ) -> Steps[Run]:
        """Poll the run until it finishes (``succeeded``, ``failed`` or ``cancelled`` by
        default, or the statuses in ``until``); return it.

        ``deadline`` is the overall limit in seconds: past it, raises
        :class:`~numora.WaitTimeoutError` with the last run seen (``exc.last``). ``options``
        apply to every poll (``timeout`` is each poll's request timeout).
        """
        wanted = wanted_statuses(until)
        req: APIRequest[Run] = APIRequest(
            "GET", f"/runs/{path_id(run_id, 'run_id')}", model(Run), options=options
        )
        result: Run = yield from poll(
            self,
            req,
            lambda run: run.status in wanted,
            deadline=deadline,
            poll_interval=poll_interval,
            what=f"Run {run_id}",
            wanted="status " + " or ".join(sorted(wanted)),
        )
        return result
