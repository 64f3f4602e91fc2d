"""Every route on both clients is traced under its spec template, never its path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from otel_helpers import Telemetry

from ._cases import CASES, Case
from .conftest import Api
from .test_resource_routes import call_case

pytestmark = pytest.mark.anyio


@pytest.fixture
def otel() -> Iterator[Telemetry]:
    telemetry = Telemetry()
    telemetry.instrument()
    yield telemetry
    telemetry.close()


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_the_span_and_metric_of_each_route_name_its_template(
    api: Api, server: respx.MockRouter, otel: Telemetry, case: Case
) -> None:
    server.route().respond(case.status, json=case.response)

    await call_case(api, case)

    span = otel.only_span()
    assert span.name == f"{case.method} {case.template}"
    assert (span.attributes or {})["url.template"] == case.template
    [point] = otel.points()
    assert point.attributes["url.template"] == case.template
    assert point.attributes["http.request.method"] == case.method
