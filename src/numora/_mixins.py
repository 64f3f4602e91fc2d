"""Behaviour the generated models get on top of their fields.

The spec names a schema's mixins (``x-numora-mixin``) and ``scripts/generate_models.py``
adds them as base classes, so ``numora.types`` stays generated while ``Document`` still
answers ``doc.needs_review``. Mixins hold no fields and no state of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "AWAITING_REVIEW",
    "EXTRACTING",
    "CreatedMixin",
    "DocumentStatusMixin",
]

EXTRACTING = frozenset({"processing", "pending"})
"""Statuses of a document still being extracted: ``processing``, and ``pending``, an
internal value the developer preview may still show (contract §1, a preview assumption)."""

AWAITING_REVIEW = frozenset({"review_required", "for_review"})
"""Statuses of a document waiting for a person: ``review_required``, and ``for_review``,
an internal value the developer preview may still show (contract §1, a preview assumption)."""


class DocumentStatusMixin:
    """Questions about a document's ``status`` that stay right when the preview shows its
    internal values: prefer ``doc.needs_review`` to ``doc.status == "review_required"``."""

    if TYPE_CHECKING:
        status: str

    @property
    def is_extracting(self) -> bool:
        """Whether the document is still being extracted (``processing``, or the preview's
        ``pending``); ``documents.wait()`` waits for this to become ``False``."""
        return self.status in EXTRACTING

    @property
    def needs_review(self) -> bool:
        """Whether the document waits for a person to review it (``review_required``, or
        the preview's ``for_review``)."""
        return self.status in AWAITING_REVIEW


class CreatedMixin:
    """``created`` / ``already_existed`` on the answer to ``documents.create()``."""

    if TYPE_CHECKING:
        __pydantic_private__: dict[str, Any] | None

    @property
    def created(self) -> bool:
        """Whether this call created the document (answered 202). ``False`` when a document
        with the same ``external_id`` and schema already existed (answered 200): then
        ``id`` is that document's id and nothing new was created."""
        private = self.__pydantic_private__
        return bool(private.get("_created", True)) if private else True

    @property
    def already_existed(self) -> bool:
        """Whether the ``external_id`` matched an existing document (answered 200)."""
        return not self.created
