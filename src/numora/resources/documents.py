"""``client.documents``: submit, track, review, approve, dispatch and deliver documents."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, Callable, Generator, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx
from typing_extensions import Unpack

from .._mixins import EXTRACTING
from .._models import set_response_info
from .._params import check_limit, drop_none, timestamp, to_plain
from .._request import APIRequest
from .._resource import (
    Resource,
    Steps,
    batch,
    cached_resource,
    call,
    endpoint,
    helper,
    model,
    paginated,
    path_id,
)
from .._types import BodyRequestOptions, FileInput, RequestOptions
from ..types import (
    CreatedDocument,
    DeliveryAttempt,
    Document,
    DocumentDelivery,
    DocumentDispatch,
    DocumentPage,
    DocumentResult,
    ReviewState,
)
from ._shared import ClientT, poll, wanted_statuses

if TYPE_CHECKING:
    from .._bulk_types import BulkItem, BulkOptions, BulkOutcome
    from .._client import AsyncNumora, Numora
    from .._pagination import PageData

# Names only some signatures use, imported when such a method is first used (numora._resource
# reads its annotations then) rather than with this module, which every first call loads.
_SIGNATURE_TYPES = {
    "BulkItem": "numora._bulk_types",
    "BulkOptions": "numora._bulk_types",
    "BulkOutcome": "numora._bulk_types",
    "PageData": "numora._pagination",
}

__all__ = ["DocumentDeliveries", "Documents"]

MetadataValue = str | int | float | bool
Until = str | Iterable[str] | Callable[[Document], bool] | None

_MAX_METADATA_KEYS = 50
_MAX_METADATA_KEY = 40
_MAX_METADATA_VALUE = 500
_MAX_EXTERNAL_ID = 255

_CREATE_HINT = (
    "It was not retried: the document may already have been created, and a create without "
    "external_id cannot be replayed safely. Pass external_id=... (your own id for the "
    "document): Numora then answers a replay with the original document, so the SDK "
    "retries it safely."
)


def _parse_created(response: httpx.Response) -> CreatedDocument:
    created = CreatedDocument.model_validate_json(response.content)
    set_response_info(created, _created=response.status_code == 202)
    return created


def _check_metadata(metadata: Mapping[str, MetadataValue] | None) -> dict[str, Any] | None:
    if metadata is None:
        return None
    if not isinstance(metadata, Mapping):
        raise TypeError("metadata must be a mapping of string keys to str, number or bool")
    if len(metadata) > _MAX_METADATA_KEYS:
        raise ValueError(f"metadata has {len(metadata)} keys; at most {_MAX_METADATA_KEYS}")
    for key, value in metadata.items():
        if not isinstance(key, str) or not key or len(key) > _MAX_METADATA_KEY:
            raise ValueError(
                f"metadata key {key!r} must be a non-empty string of at most "
                f"{_MAX_METADATA_KEY} characters"
            )
        if not isinstance(value, (str, int, float, bool)):
            raise TypeError(
                f"metadata[{key!r}] must be a str, number or bool, got {type(value).__name__}"
            )
        if isinstance(value, str) and len(value) > _MAX_METADATA_VALUE:
            raise ValueError(
                f"metadata[{key!r}] is {len(value)} characters; at most {_MAX_METADATA_VALUE}"
            )
    return dict(metadata)


def _check_external_id(external_id: str | None) -> str | None:
    if external_id is None:
        return None
    if not isinstance(external_id, str) or not external_id.strip():
        raise ValueError("external_id must be a non-empty string (or None)")
    if len(external_id) > _MAX_EXTERNAL_ID:
        raise ValueError(
            f"external_id is {len(external_id)} characters; at most {_MAX_EXTERNAL_ID}"
        )
    return external_id


def _expected(
    document: str | Document, expected_updated_at: datetime | str | None
) -> tuple[str, str | None]:
    """The id, and the ``expected_updated_at`` (from the Document when one is passed)."""
    if isinstance(document, Document):
        if expected_updated_at is None:
            expected_updated_at = document.updated_at
        return path_id(document.id, "document"), timestamp(
            expected_updated_at, "expected_updated_at"
        )
    return path_id(document, "document_id"), timestamp(expected_updated_at, "expected_updated_at")


def _matcher(until: Until) -> tuple[Callable[[Document], bool], str]:
    """The test a polled document must pass, and what it means in words (for errors)."""
    if until is None:
        return (lambda doc: doc.status not in EXTRACTING), (
            "extraction to finish (status not " + " or ".join(sorted(EXTRACTING)) + ")"
        )
    if callable(until):
        return until, f"until={getattr(until, '__name__', 'predicate')!r} to return True"
    wanted = wanted_statuses(until)
    return (lambda doc: doc.status in wanted), "status " + " or ".join(sorted(wanted))


class DocumentDeliveries(Resource[ClientT]):
    """``client.documents.delivery``: delivery state, and the external-executor callback."""

    @endpoint
    def retrieve(
        self, document_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[DocumentDelivery]:
        """The document's delivery status and every recorded attempt."""
        return APIRequest(
            "GET",
            f"/documents/{path_id(document_id, 'document_id')}/delivery",
            model(DocumentDelivery),
            options=options,
        )

    @endpoint
    def record(
        self,
        document_id: str,
        *,
        provider: str,
        status: Literal["succeeded", "failed", "skipped"],
        execution_id: str,
        attempted_at: datetime | str,
        external_record_id: str | None = None,
        external_url: str | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[DeliveryAttempt]:
        """Report a delivery attempt made by an external executor (e.g. n8n).

        Idempotent on ``execution_id``: sending the same attempt again returns the recorded
        attempt, so this call is retried safely; the same ``execution_id`` with other data
        raises :class:`~numora.ConflictError`. ``succeeded`` moves the document to
        ``push_succeeded`` and needs ``external_record_id``; ``failed`` moves it to
        ``push_failed``; ``skipped`` records the attempt and stops automatic retries.
        """
        if status not in ("succeeded", "failed", "skipped"):
            raise ValueError(f"status must be 'succeeded', 'failed' or 'skipped', got {status!r}")
        if status == "succeeded" and not external_record_id:
            raise ValueError(
                "external_record_id is required when status='succeeded' (the id of the "
                "record created in the destination)"
            )
        if not isinstance(execution_id, str) or not execution_id.strip():
            raise ValueError(
                "execution_id must be a non-empty string: it is what makes this callback "
                "safe to retry"
            )
        if not provider:
            raise ValueError("provider must be a non-empty string, e.g. 'dynamics365'")
        body = drop_none(
            provider=provider,
            status=status,
            execution_id=execution_id,
            attempted_at=timestamp(attempted_at, "attempted_at"),
            external_record_id=external_record_id,
            external_url=external_url,
            error_code=error_code,
            error_message=error_message,
        )
        return APIRequest(
            "POST",
            f"/documents/{path_id(document_id, 'document_id')}/delivery",
            model(DeliveryAttempt),
            json=body,
            replay_safe=True,
            options=options,
        )


class Documents(Resource[ClientT]):
    """``client.documents``: the document lifecycle.

    ``processing`` → ``review_required`` → ``reviewed`` → ``push_pending`` →
    ``push_succeeded`` | ``push_failed``; and ``failed``.
    """

    @cached_resource
    def delivery(self) -> DocumentDeliveries[ClientT]:
        """Delivery state and the external-executor callback."""
        return DocumentDeliveries(self._client)

    @endpoint
    def create(
        self,
        *,
        schema: str,
        file_url: str | None = None,
        file: FileInput | None = None,
        external_id: str | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[CreatedDocument]:
        """Submit a document for extraction (answers 202; poll with :meth:`wait`).

        Give exactly one of ``file_url`` (an https URL Numora fetches) or ``file`` (a path,
        ``bytes``, a binary file object, or ``(filename, content[, content_type])``,
        streamed as a multipart upload; checked locally against the 30 MB limit and the
        accepted formats).

        Pass ``external_id`` (your own id for the document) whenever you can: Numora returns
        the existing document for a repeated ``external_id`` and schema, which is what makes
        this call safe to retry after a timeout. Without it, an ambiguous failure is not
        retried (it could create a duplicate). ``result.created`` says whether this call
        created the document or found it.
        """
        if not isinstance(schema, str) or not schema.strip():
            raise ValueError("schema is required, e.g. schema='invoice_v2'")
        if (file_url is None) == (file is None):
            raise ValueError("Pass exactly one of file_url='https://…' or file=<path or bytes>")
        external_id = _check_external_id(external_id)
        meta = _check_metadata(metadata)
        if file_url is not None:
            if not isinstance(file_url, str) or not file_url.startswith("https://"):
                raise ValueError(
                    f"file_url must be an https:// URL Numora can fetch, got {file_url!r}; "
                    "for a local file pass file= instead"
                )
            return APIRequest(
                "POST",
                "/documents",
                _parse_created,
                json=drop_none(
                    schema=schema, file_url=file_url, external_id=external_id, metadata=meta
                ),
                replay_safe=external_id is not None,
                options=options,
                unsafe_hint=_CREATE_HINT,
            )
        import json

        from .._files import prepare_upload  # here: only an upload needs it (issue 16)

        upload = prepare_upload(file)

        form = drop_none(
            schema=schema,
            external_id=external_id,
            metadata=json.dumps(meta, separators=(",", ":")) if meta is not None else None,
        )
        return APIRequest(
            "POST",
            "/documents",
            _parse_created,
            upload=upload,
            data=form,
            replay_safe=external_id is not None,
            options=options,
            unsafe_hint=_CREATE_HINT,
        )

    @overload
    def create_many(
        self: Documents[Numora],
        items: Iterable[BulkItem],
        *,
        schema: str,
        concurrency: int = 8,
        wait: bool = False,
        deadline: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[BulkOptions],
    ) -> Generator[BulkOutcome, None, None]: ...
    @overload
    def create_many(
        self: Documents[AsyncNumora],
        items: Iterable[BulkItem] | AsyncIterable[BulkItem],
        *,
        schema: str,
        concurrency: int = 8,
        wait: bool = False,
        deadline: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[BulkOptions],
    ) -> AsyncGenerator[BulkOutcome, None]: ...
    @batch
    def create_many(
        self,
        items: Iterable[BulkItem] | AsyncIterable[BulkItem],
        *,
        schema: str,
        concurrency: int = 8,
        wait: bool = False,
        deadline: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[BulkOptions],
    ) -> Generator[BulkOutcome, None, None] | AsyncGenerator[BulkOutcome, None]:
        """Submit many documents, at most ``concurrency`` at a time; yield one
        :class:`~numora.BulkOutcome` per entry, in completion order.

        ``items`` is consumed lazily (a generator of a million entries runs in flat memory).
        Each entry is a file path, an ``https://`` URL (sent as ``file_url``), or a mapping
        of :meth:`create` arguments. A file gets a content-derived ``external_id``
        (``"sha256:"`` + the SHA-256 of its bytes) unless you give one, so running the same
        batch again creates nothing twice: those entries come back with ``created=False``.
        A URL without ``external_id`` is created as :meth:`create` does (not replayed after
        an ambiguous failure). A failing entry is reported in its outcome; it never stops
        the batch.

        On 429 the batch halves how many calls it keeps in flight and sends nothing until
        ``retry-after`` has passed, then widens again as calls succeed; a ``retry-after``
        beyond the client's ``retry_after_cap`` stops it (the rest is reported unsent).
        ``wait=True`` also waits for each document to leave extraction (:meth:`wait`, with
        ``deadline`` and ``poll_interval``), within the same ``concurrency``. ``options``
        go to every call. On ``AsyncNumora`` use ``async for``; ``items`` may be async.
        """
        from .._bulk import create_many

        return create_many(
            self,
            items,
            schema=schema,
            concurrency=concurrency,
            wait=wait,
            deadline=deadline,
            poll_interval=poll_interval,
            options=options,
        )

    @paginated
    def list(
        self,
        *,
        status: str | None = None,
        schema: str | None = None,
        external_id: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[Document]]:
        """Documents, newest first; iterate the result to walk every page.

        ``limit`` is the page size (1-100), not a total. ``cursor`` starts from a
        ``next_cursor`` you kept.
        """
        from .._pagination import page_of

        return APIRequest(
            "GET",
            "/documents",
            page_of(DocumentPage, Document),
            query=drop_none(
                status=status,
                schema=schema,
                external_id=external_id,
                limit=check_limit(limit),
                cursor=cursor,
            ),
            options=options,
        )

    @endpoint
    def retrieve(self, document_id: str, **options: Unpack[RequestOptions]) -> APIRequest[Document]:
        """The document's current status and fields."""
        return APIRequest(
            "GET",
            f"/documents/{path_id(document_id, 'document_id')}",
            model(Document),
            options=options,
        )

    @endpoint
    def retrieve_result(
        self, document_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[DocumentResult]:
        """The extraction result: ``fields`` (name → ``{"value", "confidence"}``) and
        ``line_items``. While the document is ``processing`` this raises
        :class:`~numora.ConflictError`; :meth:`wait` first."""
        return APIRequest(
            "GET",
            f"/documents/{path_id(document_id, 'document_id')}/result",
            model(DocumentResult),
            options=options,
        )

    @endpoint
    def approve(
        self,
        document: str | Document,
        *,
        expected_updated_at: datetime | str | None = None,
        review_state: ReviewState | Mapping[str, Any] | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[Document]:
        """Confirm the extraction; the document becomes ``reviewed``.

        ``expected_updated_at`` is optimistic concurrency: if the document changed since
        you read it, this raises :class:`~numora.ConflictError` instead of approving a
        version you did not see. Pass the :class:`~numora.types.Document` itself to use its
        ``updated_at``.
        """
        document_id, expected = _expected(document, expected_updated_at)
        return APIRequest(
            "POST",
            f"/documents/{document_id}/actions/approve",
            model(Document),
            json=drop_none(expected_updated_at=expected, review_state=to_plain(review_state)),
            options=options,
        )

    @endpoint
    def reject(
        self,
        document: str | Document,
        *,
        reason: str | None = None,
        expected_updated_at: datetime | str | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[Document]:
        """Reject the extraction; the document becomes ``failed`` with ``rejection_reason``."""
        document_id, expected = _expected(document, expected_updated_at)
        return APIRequest(
            "POST",
            f"/documents/{document_id}/actions/reject",
            model(Document),
            json=drop_none(reason=reason, expected_updated_at=expected),
            options=options,
        )

    @endpoint
    def retry_push(
        self, document_id: str, **options: Unpack[BodyRequestOptions]
    ) -> APIRequest[Document]:
        """Retry a failed push (only from ``push_failed``); answers 202 in ``push_pending``."""
        return APIRequest(
            "POST",
            f"/documents/{path_id(document_id, 'document_id')}/actions/retry-push",
            model(Document),
            json={},
            options=options,
        )

    @endpoint
    def dispatch(
        self, document_id: str, *, provider: str, **options: Unpack[BodyRequestOptions]
    ) -> APIRequest[DocumentDispatch]:
        """Start route-based delivery of a reviewed document (answers 202).

        ``route`` in the answer says who completes it: ``workflow`` (Numora, with a
        ``run_id``) or ``n8n_executor`` (an external executor, which reports back through
        ``documents.delivery.record``).
        """
        if not provider:
            raise ValueError("provider must be a non-empty string, e.g. 'dynamics365'")
        return APIRequest(
            "POST",
            f"/documents/{path_id(document_id, 'document_id')}/dispatch",
            model(DocumentDispatch),
            json={"provider": provider},
            options=options,
        )

    @helper
    def wait(
        self,
        document_id: str,
        *,
        until: Until = None,
        deadline: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[RequestOptions],
    ) -> Steps[Document]:
        """Poll the document until it is in a wanted state; return it.

        By default, until extraction is over: the status is no longer ``processing`` (or
        the preview's ``pending``), so the document is ``review_required`` (or
        ``for_review``: check ``doc.needs_review``), ``failed``, or already further on.
        ``until`` is a status, several statuses, or a predicate on the
        :class:`~numora.types.Document`.

        Polls start ``poll_interval`` seconds apart and grow to 10 s, honouring
        ``retry-after``. ``deadline`` is the overall limit in seconds: past it, raises
        :class:`~numora.WaitTimeoutError` with the wanted states and the last document seen
        (``exc.last``). ``options`` apply to every poll (``timeout`` is each poll's request
        timeout, as on every other method).
        """
        done, wanted = _matcher(until)
        req: APIRequest[Document] = APIRequest(
            "GET",
            f"/documents/{path_id(document_id, 'document_id')}",
            model(Document),
            options=options,
        )
        result: Document = yield from poll(
            self,
            req,
            done,
            deadline=deadline,
            poll_interval=poll_interval,
            what=f"Document {document_id}",
            wanted=wanted,
        )
        return result

    @helper
    def create_and_wait(
        self,
        *,
        schema: str,
        file_url: str | None = None,
        file: FileInput | None = None,
        external_id: str | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
        until: Until = None,
        deadline: float = 300.0,
        poll_interval: float = 1.0,
        **options: Unpack[RequestOptions],
    ) -> Steps[Document]:
        """:meth:`create`, then :meth:`wait` (by default until extraction is over).

        ``deadline`` bounds the wait (the create is bounded by its own retries).
        ``options`` apply to the create and to every poll; ``timeout`` is the per-request
        timeout.
        """
        req = Documents.create.build(
            self,
            schema=schema,
            file_url=file_url,
            file=file,
            external_id=external_id,
            metadata=metadata,
            **options,
        )
        created: CreatedDocument = yield from call(self, req)
        result: Document = yield from Documents.wait.build(
            self,
            created.id,
            until=until,
            deadline=deadline,
            poll_interval=poll_interval,
            **options,
        )
        return result
