"""Routes: documents (create, list, retrieve, result) and review (approve, reject)."""

from __future__ import annotations

import json
import posixpath
from typing import Any
from urllib.parse import urlsplit

from . import _catalog, _lifecycle, _multipart
from ._backend import Backend
from ._router import Reply, Request, not_null, optional_str, required_str, route
from ._state import Doc, paginate
from ._wire import JSON, ApiError, parse_iso

ACCEPTED_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/jpg",
    "image/png",
    "image/tiff",
    "image/heic",
    "image/heif",
    "image/webp",
    "image/gif",
    "image/bmp",
}
ACCEPTED_EXTENSIONS = {
    ".pdf", ".jpeg", ".jpg", ".png", ".tif", ".tiff", ".heic", ".heif", ".webp", ".gif", ".bmp",
}  # fmt: skip


def get_doc(backend: Backend, doc_id: str) -> Doc:
    doc = backend.state.documents.get(doc_id)
    if doc is None:
        raise ApiError(404, f"document {doc_id} not found")
    return doc


def _form(req: Request) -> tuple[JSON, _multipart.Part | None]:
    """The create request as a JSON-like dict, plus the uploaded file part when multipart."""
    content_type = req.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return req.json(), None
    try:
        parts = _multipart.parse(req.body, content_type)
    except ValueError as exc:
        raise ApiError(400, f"malformed multipart body: {exc}") from None
    form: JSON = {}
    upload = None
    for part in parts:
        if part.name == "file":
            upload = part
        elif part.name == "metadata":
            try:
                form["metadata"] = json.loads(part.content)
            except ValueError:
                raise ApiError(422, "metadata must be a JSON object string") from None
        else:
            form[part.name] = part.content.decode("utf-8", "replace")
    return form, upload


def _check_metadata(value: Any) -> JSON:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(422, "metadata must be an object")
    if len(value) > 50:
        raise ApiError(422, "metadata has more than 50 keys")
    for key, item in value.items():
        if len(key) > 40:
            raise ApiError(422, f"metadata key {key[:40]!r}... is longer than 40 characters")
        if item is None or not isinstance(item, (str, int, float, bool)):
            raise ApiError(422, f"metadata[{key!r}] must be a string, number or boolean")
        if isinstance(item, str) and len(item) > 500:
            raise ApiError(422, f"metadata[{key!r}] is longer than 500 characters")
    return dict(value)


def _check_source(backend: Backend, body: JSON, upload: _multipart.Part | None) -> None:
    file_url = not_null(body, "file_url")
    if (file_url is None) == (upload is None):
        raise ApiError(422, "send exactly one of file_url or a file upload")
    if upload is not None:
        if len(upload.content) > backend.config.max_upload_bytes:
            raise ApiError(413, "file is larger than the 30 MB limit")
        kind = (upload.content_type or "").split(";")[0].strip().lower()
        extension = posixpath.splitext(upload.filename or "")[1].lower()
        generic = kind in ("", "application/octet-stream")
        if kind not in ACCEPTED_TYPES and not (generic and extension in ACCEPTED_EXTENSIONS):
            raise ApiError(415, f"file type {kind or extension or 'unknown'} is not accepted")
        return
    if not isinstance(file_url, str) or urlsplit(file_url).scheme != "https":
        raise ApiError(422, "file_url must be an https URL")
    parsed = urlsplit(file_url)
    if not parsed.netloc:
        raise ApiError(422, "file_url must be an https URL")
    extension = posixpath.splitext(parsed.path)[1].lower()
    if extension and extension not in ACCEPTED_EXTENSIONS:
        raise ApiError(415, f"file type {extension} is not accepted")


def _accepted(doc: Doc) -> JSON:
    doc_id = doc.data["id"]
    return {
        "id": doc_id,
        "status": doc.data["status"],
        "schema": doc.data["schema"],
        "status_url": f"/v1/documents/{doc_id}",
        "result_url": f"/v1/documents/{doc_id}/result",
    }


@route("POST", "/v1/documents", "documents:write")
def create_document(backend: Backend, req: Request) -> Reply:
    body, upload = _form(req)
    schema = required_str(body, "schema")
    if schema not in _catalog.SCHEMA_LABELS:
        raise ApiError(422, _catalog.INVALID_SCHEMA_MESSAGE, code="invalid_schema")
    _check_source(backend, body, upload)
    external_id = optional_str(body, "external_id", max_len=255)
    metadata = _check_metadata(not_null(body, "metadata"))
    if external_id is not None:
        for doc in backend.state.documents.values():
            if doc.data["external_id"] == external_id and doc.data["schema"] == schema:
                return 200, _accepted(doc)
    credits = backend.config.credits
    if credits is not None:
        if credits <= 0:
            raise ApiError(402, "the workspace has no processing credits left")
        backend.config.credits = credits - 1
    doc = _lifecycle.new_document(backend, schema, external_id, metadata, backend.now())
    return 202, _accepted(doc)


@route("GET", "/v1/documents", "documents:read")
def list_documents(backend: Backend, req: Request) -> Reply:
    filters = {name: req.arg(name) for name in ("status", "schema", "external_id")}

    def keep(data: JSON) -> bool:
        return all(value is None or data[name] == value for name, value in filters.items())

    rows = [(d.seq, d.data) for d in backend.state.documents.values()]
    data, cursor = paginate(rows, req.query, where=keep)
    return 200, {"data": data, "next_cursor": cursor}


@route("GET", "/v1/documents/{document_id}", "documents:read")
def retrieve_document(backend: Backend, req: Request) -> Reply:
    return 200, get_doc(backend, req.params["document_id"]).data


@route("GET", "/v1/documents/{document_id}/result", "documents:read")
def document_result(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    if doc.data["status"] in _lifecycle.EXTRACTING:
        raise ApiError(409, "the document is still processing; its result is not ready")
    return 200, _lifecycle.result(doc)


def _check_fresh(doc: Doc, body: JSON) -> None:
    expected = not_null(body, "expected_updated_at")
    if expected is None:
        return
    when = parse_iso(expected)
    if when is None:
        raise ApiError(422, "expected_updated_at must be an ISO-8601 timestamp")
    current = parse_iso(doc.data["updated_at"])
    if current is None or round(when, 3) != round(current, 3):
        raise ApiError(
            409,
            f"the document changed at {doc.data['updated_at']}; expected_updated_at is stale",
        )


def _review_state(body: JSON) -> JSON | None:
    value = body.get("review_state")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ApiError(422, "review_state must be an object or null")
    lists = {}
    for name in ("confirmed_general_field_names", "confirmed_line_item_ids"):
        items = value.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ApiError(422, f"review_state.{name} must be a list of strings")
        lists[name] = items
    version = value.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError(422, "review_state.version must be an integer")
    if not any(lists.values()):
        return None
    return {"version": version, **lists}


@route("POST", "/v1/documents/{document_id}/actions/approve", "review:write")
def approve_document(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    body = req.json()
    review_state = _review_state(body)
    _check_fresh(doc, body)
    if doc.data["status"] not in _lifecycle.IN_REVIEW:
        raise ApiError(409, f"a document in status {doc.data['status']} cannot be approved")
    doc.data["review_state"] = review_state
    _lifecycle.set_status(backend, doc, "reviewed", backend.now(), "document.reviewed")
    return 200, doc.data


@route("POST", "/v1/documents/{document_id}/actions/reject", "review:write")
def reject_document(backend: Backend, req: Request) -> Reply:
    doc = get_doc(backend, req.params["document_id"])
    body = req.json()
    reason = optional_str(body, "reason", max_len=1000)
    _check_fresh(doc, body)
    if doc.data["status"] not in _lifecycle.IN_REVIEW:
        raise ApiError(409, f"a document in status {doc.data['status']} cannot be rejected")
    doc.data["rejection_reason"] = reason
    doc.data["failure"] = {"code": "rejected", "message": reason or "rejected in review"}
    _lifecycle.set_status(backend, doc, "failed", backend.now())
    return 200, doc.data


ROUTES = [
    create_document,
    list_documents,
    retrieve_document,
    document_result,
    approve_document,
    reject_document,
]

__all__ = ["ROUTES", "get_doc", "required_str"]
