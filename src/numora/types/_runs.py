# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.runs`` answers with. Import them from :mod:`numora.types`."""

from typing import Any, Literal

from pydantic import AwareDatetime

from numora._models import NumoraModel

from ._shared import RunError, RunStatus


class Run(NumoraModel):
    """A workflow run."""

    id: str
    """Run id."""
    workflow_id: str
    """Workflow id."""
    document_id: str | None = None
    """The document the run delivers."""
    status: RunStatus
    outcome: Any | None = None
    """Workflow-defined outcome, if any."""
    error: RunError | None = None
    created_at: AwareDatetime
    """When the run was queued."""
    started_at: AwareDatetime | None = None
    """When it started."""
    finished_at: AwareDatetime | None = None
    """When it finished."""


class RunLog(NumoraModel):
    """One node-level log entry of a run."""

    id: str
    """Log entry id (`log_…`)."""
    node_id: str
    """Workflow node id."""
    node_name: str | None = None
    """Workflow node name."""
    status: str
    """Node status (open)."""
    level: Literal["debug", "info", "warning", "error"] | str | None = None
    """Log level (open)."""
    message: str | None = None
    """Log message."""
    started_at: AwareDatetime | None = None
    """When the node started."""
    finished_at: AwareDatetime | None = None
    """When the node finished."""
    duration_ms: int | None = None
    """Duration in milliseconds."""


class RunLogPage(NumoraModel):
    """A page of run log entries."""

    data: list[RunLog]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    Run,
    RunLog,
    RunLogPage,
):
    _cls.__module__ = "numora.types"
