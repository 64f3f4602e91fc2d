"""The types ``documents.create_many`` names in its signature, without the engine.

``numora.resources.documents`` imports these when it loads (the method's signature and its
run-time argument check use them); :mod:`numora._bulk`, the engine (thread pools, hashing),
is imported only when ``create_many`` runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import TypedDict

from ._types import TimeoutTypes  # at run time too: create_many's options are checked by it

if TYPE_CHECKING:
    from .types import CreatedDocument, Document

__all__ = ["EXTERNAL_ID_PREFIX", "BulkItem", "BulkOptions", "BulkOutcome"]

BulkItem = str | os.PathLike[str] | Mapping[str, Any]
"""One entry of ``create_many``: a path, an ``https://`` URL, or ``create()`` arguments."""

EXTERNAL_ID_PREFIX = "sha256:"
"""Content-derived ``external_id``: this prefix and the SHA-256 of the file's bytes in hex."""


class BulkOptions(TypedDict, total=False):
    """Per-call options ``create_many`` passes to every ``create()`` (and, for ``wait=True``,
    ``timeout``, ``max_retries``, ``extra_headers`` and ``extra_query`` to every poll).

    ``request_id`` is not among them: each call gets its own (put one in an entry's mapping
    to choose it for that entry).
    """

    timeout: TimeoutTypes
    max_retries: int
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None


@dataclass(frozen=True, slots=True, eq=False)
class BulkOutcome:
    """What became of one entry of :meth:`~numora.resources.documents.Documents.create_many`.

    Outcomes arrive in completion order; ``index`` and ``item`` say which entry it was.

    Attributes:
        index: the entry's position in ``items`` (0-based).
        item: the entry exactly as given (a path, a URL or a mapping).
        external_id: the ``external_id`` sent: yours, the content-derived one of a file
            (``"sha256:<hex>"``), or ``None`` (a URL entry without one).
        result: what ``documents.create()`` returned (``result.created`` says new or found),
            or ``None`` when it failed.
        document: with ``wait=True``, the document once it left extraction.
        error: the exception that ended this entry, or ``None``.
    """

    index: int
    item: object
    external_id: str | None = None
    result: CreatedDocument | None = None
    document: Document | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the entry succeeded (created or found, and waited for if asked)."""
        return self.error is None

    @property
    def created(self) -> bool:
        """Whether this batch created the document (``False``: found, or failed)."""
        return self.result is not None and self.result.created

    @property
    def status(self) -> Literal["created", "existed", "failed"]:
        """``"created"``, ``"existed"`` (same ``external_id`` and schema: nothing new) or
        ``"failed"``."""
        if self.error is not None:
            return "failed"
        return "created" if self.created else "existed"

    @property
    def document_id(self) -> str | None:
        """The id of the created or existing document, when there is one."""
        return self.result.id if self.result is not None else None

    def __repr__(self) -> str:
        detail = f"error={self.error!r}" if self.error else f"document_id={self.document_id!r}"
        return f"<BulkOutcome #{self.index} {self.status} {detail}>"
