"""The API's route templates, and which one a request path belongs to.

Telemetry names a call by its route (``/v1/documents/{document_id}``), never by its path
(``/v1/documents/doc_8f2c``): one span name and one metric series per route, however many
documents there are. The templates are the ``paths`` of ``spec/numora-v1.openapi.yaml``
(``tests/test_observability_routes.py`` keeps the two equal), so resource methods need not
state their route: it is found from the path they build. Only telemetry and retry reports
ask, so a call with observability off never matches anything.
"""

from __future__ import annotations

__all__ = ["ROUTES", "route_of"]

ROUTES: tuple[str, ...] = (
    "/v1/documents",
    "/v1/documents/{document_id}",
    "/v1/documents/{document_id}/result",
    "/v1/documents/{document_id}/actions/approve",
    "/v1/documents/{document_id}/actions/reject",
    "/v1/documents/{document_id}/actions/retry-push",
    "/v1/documents/{document_id}/dispatch",
    "/v1/documents/{document_id}/delivery",
    "/v1/delivery/outbox",
    "/v1/dynamics/session",
    "/v1/schemas",
    "/v1/schemas/{schema_id}",
    "/v1/destinations",
    "/v1/destinations/{destination_id}",
    "/v1/destinations/{destination_id}/test",
    "/v1/mappings/{schema}/{destination_id}",
    "/v1/workflows",
    "/v1/workflows/{workflow_id}/dispatch",
    "/v1/runs/{run_id}",
    "/v1/runs/{run_id}/logs",
    "/v1/webhook-endpoints",
    "/v1/webhook-endpoints/{endpoint_id}",
    "/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
    "/v1/webhook-endpoints/{endpoint_id}/deliveries",
    "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    "/v1/api-keys",
    "/v1/api-keys/{key_id}",
    "/v1/api-keys/{key_id}/rotate",
    "/v1/api-keys/{key_id}/revoke",
)
"""Every path of the API, as the OpenAPI document spells it."""

# Segment count -> [(segments, template)], a None segment matching any one id. Templates with
# more literal segments come first, so a fixed word always wins over an id in its place.
_Pattern = tuple[tuple[str | None, ...], str]


def _index(routes: tuple[str, ...]) -> dict[int, list[_Pattern]]:
    index: dict[int, list[_Pattern]] = {}
    for template in routes:
        parts = tuple(None if p.startswith("{") else p for p in template.split("/"))
        index.setdefault(len(parts), []).append((parts, template))
    for patterns in index.values():
        patterns.sort(key=lambda pattern: -sum(p is not None for p in pattern[0]))
    return index


_INDEX = _index(ROUTES)


def route_of(path: str) -> str | None:
    """The template of ``path`` (below ``/v1``, as in ``APIRequest.path``), or ``None``.

    >>> route_of("/documents/doc_1/actions/approve")
    '/v1/documents/{document_id}/actions/approve'
    """
    parts = ("/v1" + path).split("/")
    for pattern, template in _INDEX.get(len(parts), ()):
        for expected, actual in zip(pattern, parts, strict=True):
            if expected is not None and expected != actual:
                break
        else:
            return template
    return None
