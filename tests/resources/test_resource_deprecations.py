"""The legacy routes still work, and say what replaces them.

That current routes do not warn is checked for every row in test_resource_routes.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import respx

from ._cases import OUTBOX_ITEM, SESSION, outbox_page
from .conftest import Api

pytestmark = pytest.mark.anyio

LEGACY: list[tuple[str, Callable[[Any], Any], dict[str, Any]]] = [
    (
        "delivery.outbox.list",
        lambda c: c.delivery.outbox.list(provider="dynamics365"),
        outbox_page(OUTBOX_ITEM),
    ),
    (
        "dynamics.sessions.create",
        lambda c: c.dynamics.sessions.create(destination_id="dst_1"),
        SESSION,
    ),
]


@pytest.mark.parametrize(("call", "body"), [x[1:] for x in LEGACY], ids=[x[0] for x in LEGACY])
async def test_a_legacy_route_warns_naming_its_replacement(
    api: Api, server: respx.MockRouter, call: Callable[[Any], Any], body: dict[str, Any]
) -> None:
    route = server.route().respond(json=body)

    with pytest.warns(DeprecationWarning) as record:
        await api(call)

    assert route.call_count == 1
    assert len(record) == 1
    message = str(record[0].message)
    assert "dispatch" in message
    assert "delivery.record" in message  # the delivery callback
    # The warning points at the caller's line (the code that awaits, on the async client),
    # not at numora's internals.
    assert "numora" not in Path(record[0].filename).parts[-3:-1]
    assert record[0].filename.endswith(("test_resource_deprecations.py", "conftest.py"))
