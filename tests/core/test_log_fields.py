"""The ``numora`` logger's records carry their fields as attributes (``numora_*``), so a JSON
formatter picks them up without parsing messages."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
import respx
from core_helpers import GET, Api, ok, route

from numora import RetryInfo

pytestmark = pytest.mark.anyio

FIELDS = {
    "numora_method",
    "numora_route",
    "numora_path",
    "numora_attempt",
    "numora_max_retries",
    "numora_delay",
    "numora_reason",
    "numora_status_code",
    "numora_request_id",
}


class JsonFormatter(logging.Formatter):
    """What a typical JSON log formatter does: the message plus the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in vars(record).items() if k.startswith("numora_")}
        return json.dumps({"message": record.getMessage(), **fields})


def numora_records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "numora" and r.levelno == level]


async def test_a_retry_record_carries_the_fields_on_retry_receives(
    api: Api, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="numora")
    infos: list[RetryInfo] = []
    route(mock, GET).side_effect = [httpx.Response(503), httpx.ConnectError("no"), ok(GET)]

    await api.call(GET.call, api.client(on_retry=infos.append), request_id="req_fields")

    records = numora_records(caplog, logging.INFO)
    assert len(records) == len(infos) == 2
    for record, info in zip(records, infos, strict=True):
        assert {k: v for k, v in vars(record).items() if k.startswith("numora_")} == {
            f"numora_{name}": value for name, value in vars_of(info).items()
        }
    line = json.loads(JsonFormatter().format(records[1]))
    assert line["numora_route"] == "/v1/documents/{document_id}"
    assert line["numora_reason"] == "httpx.ConnectError"
    assert line["numora_attempt"] == 2
    assert line["numora_request_id"] == "req_fields"
    assert set(line) == FIELDS | {"message"}


def vars_of(info: RetryInfo) -> dict[str, object]:
    return {name: getattr(info, name) for name in info.__dataclass_fields__}


async def test_debug_records_of_each_attempt_carry_their_fields(
    api: Api, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="numora")
    route(mock, GET).side_effect = [httpx.Response(500), ok(GET)]

    await api.call(GET.call, api.client(), request_id="req_debug")

    debug = [
        {k: v for k, v in vars(r).items() if k.startswith("numora_")}
        for r in numora_records(caplog, logging.DEBUG)
    ]
    common = {
        "numora_method": "GET",
        "numora_route": "/v1/documents/{document_id}",
        "numora_path": "/v1/documents/doc_1",
        "numora_request_id": "req_debug",
    }
    assert debug == [
        {**common, "numora_attempt": 0, "numora_status_code": None},  # sending
        {**common, "numora_attempt": 1, "numora_status_code": None},  # sending the retry
        {**common, "numora_attempt": 1, "numora_status_code": 200},  # its answer
    ]


def test_no_field_name_clashes_with_a_log_record_attribute() -> None:
    record = logging.LogRecord("numora", logging.INFO, __file__, 1, "m", None, None)
    assert not FIELDS & set(vars(record))
    # logging refuses an `extra` that would overwrite one: this must not raise
    logging.getLogger("numora.test").makeRecord(
        "numora", logging.INFO, __file__, 1, "m", None, None, extra=dict.fromkeys(FIELDS)
    )
