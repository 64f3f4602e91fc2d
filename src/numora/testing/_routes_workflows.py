"""Routes: workflows, workflow dispatch (always a new queued run), runs and their logs."""

from __future__ import annotations

from . import _lifecycle
from ._backend import Backend
from ._router import Reply, Request, optional_str, required_str, route
from ._state import Row, Run, paginate
from ._wire import JSON, ApiError, iso_ms, new_id


def add_workflow(backend: Backend, name: str, status: str = "active") -> JSON:
    data: JSON = {
        "id": new_id("wf"),
        "name": name,
        "status": status,
        "version": 1,
        "binding_count": 1,
        "updated_at": iso_ms(backend.now()),
    }
    backend.state.workflows[data["id"]] = Row(data, backend.state.next_seq())
    return data


@route("GET", "/v1/workflows", "workflows:read")
def list_workflows(backend: Backend, req: Request) -> Reply:
    rows = [(r.seq, r.data) for r in backend.state.workflows.values()]
    data, cursor = paginate(rows, req.query, newest_first=False)
    return 200, {"data": data, "next_cursor": cursor}


@route("POST", "/v1/workflows/{workflow_id}/dispatch", "workflows:write")
def dispatch_workflow(backend: Backend, req: Request) -> Reply:
    workflow = backend.state.workflows.get(req.params["workflow_id"])
    if workflow is None:
        raise ApiError(404, f"workflow {req.params['workflow_id']} not found")
    body = req.json()
    document_id = required_str(body, "document_id")
    mode = optional_str(body, "execution_mode") or "queued"
    if mode != "queued":
        raise ApiError(422, "execution_mode must be queued")
    doc = backend.state.documents.get(document_id)
    if doc is None:
        raise ApiError(404, f"document {document_id} not found")
    if doc.data["status"] not in _lifecycle.REVIEWED_OR_LATER:
        raise ApiError(409, f"a document in status {doc.data['status']} is not reviewed yet")
    if workflow.data["status"] != "active":
        raise ApiError(409, f"workflow {workflow.data['id']} is {workflow.data['status']}")
    run = _lifecycle.queue_run(backend, workflow.data["id"], document_id, backend.now(), push=False)
    return 202, {
        "run_id": run.data["id"],
        "workflow_id": workflow.data["id"],
        "status": "queued",
        "execution_mode": mode,
    }


def get_run(backend: Backend, run_id: str) -> Run:
    run = backend.state.runs.get(run_id)
    if run is None:
        raise ApiError(404, f"run {run_id} not found")
    return run


@route("GET", "/v1/runs/{run_id}", "runs:read")
def retrieve_run(backend: Backend, req: Request) -> Reply:
    return 200, get_run(backend, req.params["run_id"]).data


@route("GET", "/v1/runs/{run_id}/logs", "runs:read")
def run_logs(backend: Backend, req: Request) -> Reply:
    run = get_run(backend, req.params["run_id"])
    rows = list(enumerate(run.logs))
    data, cursor = paginate(rows, req.query, newest_first=False)
    return 200, {"data": data, "next_cursor": cursor}


ROUTES = [list_workflows, dispatch_workflow, retrieve_run, run_logs]
