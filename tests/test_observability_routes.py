"""The route templates telemetry names calls by: the spec's paths, and how a path finds one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]

from numora._routes import ROUTES, route_of

SPEC = Path(__file__).resolve().parents[1] / "spec" / "numora-v1.openapi.yaml"


def test_the_templates_are_the_paths_of_the_spec() -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert list(ROUTES) == list(spec["paths"])


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/documents", "/v1/documents"),
        ("/documents/doc_1", "/v1/documents/{document_id}"),
        ("/documents/doc%201%2F%C3%A4/result", "/v1/documents/{document_id}/result"),
        ("/documents/doc_1/actions/retry-push", "/v1/documents/{document_id}/actions/retry-push"),
        ("/mappings/invoice_v2/dst_1", "/v1/mappings/{schema}/{destination_id}"),
        ("/delivery/outbox", "/v1/delivery/outbox"),
        (
            "/webhook-endpoints/whe_1/deliveries/del_2/redeliver",
            "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
        ),
        # an id that happens to be a word of another route stays an id
        ("/documents/result", "/v1/documents/{document_id}"),
    ],
)
def test_a_path_finds_its_template(path: str, template: str) -> None:
    assert route_of(path) == template


@pytest.mark.parametrize(
    "path", ["/", "/documents/doc_1/nope", "/unknown", "/documents/doc_1/actions/approve/x"]
)
def test_a_path_the_api_does_not_list_has_no_template(path: str) -> None:
    assert route_of(path) is None
