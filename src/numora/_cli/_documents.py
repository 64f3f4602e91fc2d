"""``numora documents …``: thin commands over ``client.documents``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import EXIT_OK, EXIT_USAGE
from ._output import CLIError, client_from, emit_json, fields, out, table

if TYPE_CHECKING:
    from numora.types import Document, DocumentResult


def _metadata(pairs: list[str]) -> dict[str, str] | None:
    metadata: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CLIError(f"--metadata expects KEY=VALUE, got {pair!r}", code=EXIT_USAGE)
        metadata[key] = value
    return metadata or None


def show_document(doc: Document) -> None:
    """The human view of a document: id and status, then its other fields."""
    out(f"{doc.id}  {doc.status}")
    fields(
        [
            ("schema", doc.schema),
            ("external_id", doc.external_id),
            ("created_at", doc.created_at),
            ("updated_at", doc.updated_at),
            ("duplicate_of", doc.duplicate_of),
            ("failure", f"{doc.failure.code}: {doc.failure.message}" if doc.failure else None),
            ("rejection_reason", doc.rejection_reason),
            ("metadata", ", ".join(f"{k}={v}" for k, v in doc.metadata.items()) or None),
        ]
    )


def _emit(args: argparse.Namespace, doc: Document) -> None:
    if args.json:
        emit_json(doc)
    else:
        show_document(doc)


def create(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        created = client.documents.create(
            schema=args.schema,
            file_url=args.file_url,
            file=Path(args.file) if args.file else None,
            external_id=args.external_id,
            metadata=_metadata(args.metadata),
        )
        if args.wait:
            doc = client.documents.wait(created.id, deadline=args.deadline)
            if not args.json:
                _created_line(created.id, created.created)
            _emit(args, doc)
            return EXIT_OK
    if args.json:
        emit_json({**created.to_dict(), "created": created.created})
        return EXIT_OK
    _created_line(created.id, created.created)
    fields([("status", created.status), ("schema", created.schema)])
    out(f"next: numora documents wait {created.id} --until review_required")
    return EXIT_OK


def _created_line(document_id: str, created: bool) -> None:
    if created:
        out(f"created {document_id}")
    else:
        out(f"already existed {document_id} (same external_id and schema: nothing new created)")


def list_(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        page = client.documents.list(
            status=args.status,
            schema=args.schema,
            external_id=args.external_id,
            limit=args.limit,
            cursor=args.cursor,
        )
        docs: list[Any] = list(page) if args.all else list(page.data)
        next_cursor = None if args.all else page.next_cursor
    if args.json:
        emit_json({"data": docs, "next_cursor": next_cursor})
        return EXIT_OK
    if not docs:
        out("no documents")
    else:
        rows = [(d.id, d.status, d.schema, d.external_id, d.updated_at) for d in docs]
        table(rows, ("ID", "STATUS", "SCHEMA", "EXTERNAL_ID", "UPDATED_AT"))
    if next_cursor:
        out(f"more: numora documents list --cursor {next_cursor}")
    return EXIT_OK


def get(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        doc = client.documents.retrieve(args.document_id)
    _emit(args, doc)
    return EXIT_OK


def result(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        found = client.documents.retrieve_result(args.document_id)
    if args.json:
        emit_json(found)
    else:
        _show_result(found)
    return EXIT_OK


def _show_result(found: DocumentResult) -> None:
    confidence = "-" if found.confidence is None else f"{found.confidence:.2f}"
    out(f"{found.id}  {found.status}  {found.schema}  confidence {confidence}")
    rows = [(name, value.get("value"), _conf(value)) for name, value in found.fields.items()]
    if rows:
        table(rows, ("FIELD", "VALUE", "CONFIDENCE"))
    for item in found.line_items:
        parts = ", ".join(f"{k}={v.get('value')}" for k, v in item.fields.items())
        out(f"  {item.id}: {parts}")


def _conf(value: Any) -> str:
    confidence = value.get("confidence") if isinstance(value, dict) else None
    return "-" if confidence is None else f"{confidence:.2f}"


def wait(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        if not args.json:
            target = " or ".join(args.until) if args.until else "it leaves processing"
            print(f"waiting for {args.document_id} until {target} …", file=sys.stderr)
        doc = client.documents.wait(
            args.document_id,
            until=args.until,
            deadline=args.deadline,
            poll_interval=args.interval,
        )
    _emit(args, doc)
    return EXIT_OK


def approve(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        doc = client.documents.approve(
            args.document_id, expected_updated_at=args.expected_updated_at
        )
    _emit(args, doc)
    return EXIT_OK


def reject(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        doc = client.documents.reject(
            args.document_id, reason=args.reason, expected_updated_at=args.expected_updated_at
        )
    _emit(args, doc)
    return EXIT_OK


def dispatch(args: argparse.Namespace) -> int:
    with client_from(args) as client:
        sent = client.documents.dispatch(args.document_id, provider=args.provider)
    if args.json:
        emit_json(sent)
    else:
        out(f"{sent.document_id}  {sent.status}")
        fields([("route", sent.route), ("run_id", sent.run_id)])
    return EXIT_OK
