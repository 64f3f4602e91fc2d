# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.workflows`` answers with. Import them from :mod:`numora.types`."""

from typing import Literal

from pydantic import AwareDatetime

from numora._models import NumoraModel

from ._shared import RunStatus


class Workflow(NumoraModel):
    """A delivery workflow."""

    id: str
    """Workflow id (`wf_…`)."""
    name: str
    """Name."""
    status: str
    """Workflow status (open)."""
    version: int
    """Published version."""
    binding_count: int
    """Number of bindings using it."""
    updated_at: AwareDatetime
    """Last change."""


class WorkflowPage(NumoraModel):
    """A page of workflows."""

    data: list[Workflow]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class WorkflowDispatch(NumoraModel):
    """The answer to a workflow dispatch: a queued run."""

    run_id: str
    """The new run (`run_…`)."""
    workflow_id: str
    """Workflow id."""
    status: RunStatus
    execution_mode: Literal["queued"] | str
    """Execution mode (open)."""


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    Workflow,
    WorkflowPage,
    WorkflowDispatch,
):
    _cls.__module__ = "numora.types"
