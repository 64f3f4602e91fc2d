"""The route table: every operation of the OpenAPI document, with the scope it needs."""

from __future__ import annotations

from . import (
    _auth,
    _routes_catalog,
    _routes_delivery,
    _routes_documents,
    _routes_webhooks,
    _routes_workflows,
)
from ._router import Route
from ._wire import ApiError

ROUTES: tuple[Route, ...] = (
    *_routes_documents.ROUTES,
    *_routes_delivery.ROUTES,
    *_routes_catalog.ROUTES,
    *_routes_workflows.ROUTES,
    *_routes_webhooks.ROUTES,
    *_auth.ROUTES,
)


def find(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request's raw path and its decoded path parameters; 404 ``not_found``
    when there is none."""
    path_matched = False
    for candidate in ROUTES:
        params = candidate.match(path)
        if params is None:
            continue
        path_matched = True
        if candidate.method == method:
            return candidate, params
    if path_matched:
        raise ApiError(404, f"{method} is not supported on {path}")
    raise ApiError(404, f"no route {method} {path}")
