"""The one base class of every model numora returns.

Generated models in :mod:`numora.types` all derive from :class:`NumoraModel`. The rules it
enforces are the SDK's promise about responses:

* fields the server adds later are kept, reachable as attributes and in :meth:`to_dict`;
* every enum is open (generated as ``Literal[...] | str``), so a new status never breaks you;
* timestamps become timezone-aware :class:`datetime.datetime` objects;
* models compare by value and pickle;
* attributes, :meth:`NumoraModel.to_dict`, :meth:`NumoraModel.to_json` and pydantic's own
  ``model_dump()``/``model_dump_json()`` all use the wire names (``doc.schema``).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import pydantic
from typing_extensions import Self

from ._response import attach_response_info

__all__ = ["NumoraModel", "set_request_id", "set_response_info"]

if TYPE_CHECKING:
    from pydantic._internal._model_construction import ModelMetaclass
else:
    ModelMetaclass = type(pydantic.BaseModel)

# Wire names that shadow one of pydantic's deprecated BaseModel methods; models keep them.
_WIRE_NAMES = frozenset({"schema"})


class _KeepsWireNames(ModelMetaclass):
    """Lets a model name a field ``schema`` (its wire name) without pydantic's warning that
    it shadows the deprecated ``BaseModel.schema()``: the field is what users read."""

    def __new__(
        mcs, name: str, bases: tuple[type[Any], ...], namespace: dict[str, Any], **kwargs: Any
    ) -> type:
        if _WIRE_NAMES.isdisjoint(namespace.get("__annotations__", ())):
            return super().__new__(mcs, name, bases, namespace, **kwargs)
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", r'Field name "schema" in ".*" shadows', category=UserWarning
            )
            return super().__new__(mcs, name, bases, namespace, **kwargs)


class NumoraModel(pydantic.BaseModel, metaclass=_KeepsWireNames):
    """Base class for every resource, page and event model in numora.

    Parse with :meth:`from_json` (bytes or str; uses pydantic-core's JSON parser, the fast
    path) or :meth:`from_dict`. Unknown fields from the server are kept: read them as
    attributes (``doc.new_field``) or in ``to_dict()``.
    """

    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        # Protect nothing: fields such as ``schema`` are renamed by the generator instead.
        protected_namespaces=(),
        # Responses are data; never coerce a wire string into something it is not.
        coerce_numbers_to_str=False,
        defer_build=True,
    )

    @classmethod
    def from_json(cls, data: str | bytes | bytearray) -> Self:
        """Parse a JSON document (as received) into this model."""
        return cls.model_validate_json(data)

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Build this model from already-decoded JSON data (wire field names)."""
        return cls.model_validate(data)

    @property
    def _request_id(self) -> str | None:
        """The ``x-request-id`` of the response this object came from (top-level results only).

        Quote it when you contact Numora support. ``None`` for nested objects and for models
        you built yourself.
        """
        private = self.__pydantic_private__
        if not private:
            return None
        request_id = private.get("_request_id")
        if request_id is None and "_headers" in private:
            # Looked up on demand: most callers never ask, and header lookups are not free.
            request_id = private["_headers"].get("x-request-id")
        return request_id

    def __eq__(self, other: object) -> bool:
        # By value: fields and kept unknown fields; which response it came from does not count.
        if type(other) is not type(self):
            return NotImplemented
        return bool(
            self.__dict__ == other.__dict__ and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def to_dict(self) -> dict[str, Any]:
        """Return the model as JSON-compatible data with the API's wire field names.

        Fields the server sent that this SDK version does not know are included.
        """
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """Return the model as a JSON string with the API's wire field names."""
        return self.model_dump_json(by_alias=True, indent=indent)


def set_request_id(model: object, request_id: str | None) -> None:
    """Attach a request id to a top-level result (no per-model cost elsewhere)."""
    if request_id is not None:
        attach_response_info(model, _request_id=request_id)


set_response_info = attach_response_info
