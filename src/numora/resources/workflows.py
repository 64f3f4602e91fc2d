"""``client.workflows``: workflows, and dispatching a reviewed document to one."""

from __future__ import annotations

from typing import Literal

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, endpoint, model, paginated, path_id
from .._types import BodyRequestOptions, RequestOptions
from ..types import Workflow, WorkflowDispatch, WorkflowPage
from ._shared import ClientT

__all__ = ["Workflows"]


class Workflows(Resource[ClientT]):
    """Workflows deliver reviewed documents through a graph of nodes."""

    @paginated
    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[Workflow]]:
        """Every workflow (iterate the result)."""
        return APIRequest(
            "GET",
            "/workflows",
            page_of(WorkflowPage, Workflow),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )

    @endpoint
    def dispatch(
        self,
        workflow_id: str,
        *,
        document_id: str,
        execution_mode: Literal["queued"] = "queued",
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[WorkflowDispatch]:
        """Create a run of the workflow for one reviewed document (answers 202, queued).

        Not idempotent: every call is a new run, so an ambiguous failure is not retried.
        Follow the run with ``client.runs.wait(run_id)``.
        """
        path_id(document_id, "document_id")
        if execution_mode != "queued":
            raise ValueError("execution_mode must be 'queued' (the only mode the API offers)")
        return APIRequest(
            "POST",
            f"/workflows/{path_id(workflow_id, 'workflow_id')}/dispatch",
            model(WorkflowDispatch),
            json={"document_id": document_id, "execution_mode": execution_mode},
            options=options,
        )
