"""``client.dynamics.sessions`` (deprecated): short-lived Dataverse tokens for executors."""

from __future__ import annotations

from typing_extensions import Unpack

from .._params import deprecated_route
from .._request import APIRequest
from .._resource import Resource, cached_resource, endpoint, model, path_id
from .._types import BodyRequestOptions
from ..types import DynamicsSession
from ._shared import ClientT

__all__ = ["Dynamics", "DynamicsSessions"]


class DynamicsSessions(Resource[ClientT]):
    """Legacy Dynamics 365 sessions."""

    @endpoint
    def create(
        self, *, destination_id: str, **options: Unpack[BodyRequestOptions]
    ) -> APIRequest[DynamicsSession]:
        """A short-lived Dataverse token for an external executor (``access_token`` is a
        ``SecretStr``: read it with ``.get_secret_value()``).

        .. deprecated:: use ``documents.dispatch()`` and report outcomes with
           ``documents.delivery.record()``.
        """
        deprecated_route(
            "dynamics.sessions.create()",
            "documents.dispatch() and the delivery callback documents.delivery.record()",
        )
        path_id(destination_id, "destination_id")
        return APIRequest(
            "POST",
            "/dynamics/session",
            model(DynamicsSession),
            json={"destination_id": destination_id},
            options=options,
        )


class Dynamics(Resource[ClientT]):
    """``client.dynamics``: legacy Dynamics 365 routes."""

    @cached_resource
    def sessions(self) -> DynamicsSessions[ClientT]:
        """Legacy Dataverse sessions (deprecated)."""
        return DynamicsSessions(self._client)
