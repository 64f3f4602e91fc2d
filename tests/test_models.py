"""numora.types: the contract's examples parse, the models keep their promises, no drift."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, cast, get_type_hints

import pydantic
import pytest

from numora import types
from numora._models import NumoraModel

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "generate_models.py"
UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# Examples written from the contract (docs/shared api/numora-v1.md), one per shape.
DOCUMENT = {
    "id": "doc_01jpwq8x4r2m3n",
    "schema": "invoice_v2",
    "status": "review_required",
    "external_id": "erp-4711",
    "metadata": {"cost_center": "CC-12", "priority": 2, "urgent": True},
    "created_at": "2026-03-21T14:20:00.000Z",
    "updated_at": "2026-03-21T14:24:11.000Z",
    "review_state": None,
    "duplicate_of": None,
}
REVIEW_STATE = {
    "version": 1,
    "confirmed_general_field_names": ["invoice_number", "total"],
    "confirmed_line_item_ids": ["li_1"],
}
ACCEPTED = {
    "id": "doc_01jpwq8x4r2m3n",
    "status": "processing",
    "schema": "invoice_v2",
    "status_url": "/v1/documents/doc_01jpwq8x4r2m3n",
    "result_url": "/v1/documents/doc_01jpwq8x4r2m3n/result",
}
RESULT = {
    "id": "doc_01jpwq8x4r2m3n",
    "schema": "invoice_v2",
    "status": "reviewed",
    "review_state": REVIEW_STATE,
    "confidence": 0.94,
    "fields": {
        "invoice_number": {"value": "INV-2026-001", "confidence": 0.99},
        "total": {"value": 1190.5, "confidence": 0.97},
        "due_date": {"value": None, "confidence": None},
    },
    "line_items": [
        {
            "id": "li_1",
            "fields": {
                "description": {"value": "Consulting", "confidence": 0.95},
                "quantity": {"value": 10, "confidence": 0.9},
            },
        }
    ],
    "duplicate_of": None,
}
ERROR = {
    "error": {
        "code": "invalid_schema",
        "message": "schema must be one of invoice_v2, receipt_v1, contract_v1",
        "request_id": "req_01jpwqkshg6x8j9k9j29m8n0n4",
    }
}
DOCUMENT_EVENT_DATA = {
    "document_id": "doc_01jpwq8x4r2m3n",
    "schema": "invoice_v2",
    "status": "reviewed",
    "external_id": "erp-4711",
}
PUSH_DATA = {
    "document_id": "doc_01jpwq8x4r2m3n",
    "provider": "dynamics365",
    "execution_id": "exec_42",
    "external_record_id": "inv-0001",
    "error_code": None,
    "error_message": None,
}
RUN_FAILED_DATA = {
    "run_id": "run_01jq",
    "workflow_id": "wf_01jq",
    "document_id": "doc_01jpwq8x4r2m3n",
    "error": {"code": "provider_error", "message": "Dataverse answered 503"},
}
WORKFLOWS = {
    "data": [
        {
            "id": "wf_01jq",
            "name": "Invoices to Dynamics",
            "status": "active",
            "version": 3,
            "binding_count": 2,
            "updated_at": "2026-03-21T14:20:00.000Z",
        }
    ],
    "next_cursor": "cur_01jpwqv8k0fbbbx7k2y7w1v7r7",
}
WORKFLOW_DISPATCH = {
    "run_id": "run_01jq",
    "workflow_id": "wf_01jq",
    "status": "queued",
    "execution_mode": "queued",
}
DOCUMENT_DISPATCH = {
    "document_id": "doc_01jpwq8x4r2m3n",
    "status": "push_pending",
    "route": "n8n_executor",
    "run_id": None,
}
DESTINATION = {
    "id": "dst_01jq",
    "provider": "dynamics365",
    "display_name": "Contoso Dynamics",
    "status": "connected",
    "has_credentials": True,
    "created_at": "2026-03-21T14:20:00.000Z",
    "updated_at": "2026-03-21T14:20:00.000Z",
}
SCHEMAS = {
    "data": [
        {"id": "invoice_v2", "label": "Invoice", "status": "active"},
        {"id": "receipt_v1", "label": "Receipt", "status": "active"},
        {"id": "contract_v1", "label": "Contract", "status": "active"},
    ]
}
OUTBOX = {
    "data": [
        {
            "document_id": "doc_01jpwq8x4r2m3n",
            "schema": "invoice_v2",
            "status": "reviewed",
            "external_id": None,
            "metadata": {},
            "result_url": "/v1/documents/doc_01jpwq8x4r2m3n/result",
            "dispatch_url": "/v1/documents/doc_01jpwq8x4r2m3n/dispatch",
            "updated_at": "2026-03-21T14:24:11.000Z",
        }
    ],
    "meta": {"next_cursor": "cur_01jpwqv8k0fbbbx7k2y7w1v7r7"},
}
ATTEMPT = {
    "id": "att_01jq",
    "execution_id": "exec_42",
    "provider": "dynamics365",
    "status": "succeeded",
    "external_record_id": "inv-0001",
    "external_url": "https://contoso.crm.dynamics.com/main.aspx?id=inv-0001",
    "error_code": None,
    "error_message": None,
    "attempted_at": "2026-03-21T14:24:11Z",
    "recorded_at": "2026-03-21T14:24:12.000Z",
}


def envelope(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "evt_01jq",
        "type": event_type,
        "created_at": "2026-03-21T14:24:11Z",
        "data": data,
    }


EVENTS: list[tuple[type[NumoraModel], str, dict[str, Any], type[NumoraModel]]] = [
    (
        types.DocumentProcessingEvent,
        "document.processing",
        DOCUMENT_EVENT_DATA,
        types.DocumentEventData,
    ),
    (
        types.DocumentReviewRequiredEvent,
        "document.review_required",
        DOCUMENT_EVENT_DATA,
        types.DocumentEventData,
    ),
    (
        types.DocumentReviewedEvent,
        "document.reviewed",
        DOCUMENT_EVENT_DATA,
        types.DocumentEventData,
    ),
    (types.PushSucceededEvent, "push.succeeded", PUSH_DATA, types.PushEventData),
    (
        types.PushFailedEvent,
        "push.failed",
        {**PUSH_DATA, "error_code": "401", "error_message": "token expired"},
        types.PushEventData,
    ),
    (types.RunFailedEvent, "run.failed", RUN_FAILED_DATA, types.RunFailedEventData),
]


def test_document_parses_with_typed_fields() -> None:
    doc = types.Document.from_json(json.dumps(DOCUMENT))
    assert doc.id == "doc_01jpwq8x4r2m3n"
    assert doc.schema == "invoice_v2"
    assert doc.status == "review_required"
    assert doc.metadata == {"cost_center": "CC-12", "priority": 2, "urgent": True}
    assert doc.created_at == dt.datetime(2026, 3, 21, 14, 20, tzinfo=UTC)
    assert doc.review_state is None
    assert doc.failure is None
    assert doc.rejection_reason is None


@pytest.mark.parametrize("parse", ["from_json", "from_dict"])
def test_metadata_values_keep_their_json_type(parse: str) -> None:
    metadata = {"s": "1", "i": 2, "f": 2.5, "whole": 5.0, "t": True, "n": False, "zero": 0}
    data = {**DOCUMENT, "metadata": metadata}

    parsed = getattr(types.Document, parse)(json.dumps(data) if parse == "from_json" else data)

    assert {k: (v, type(v)) for k, v in parsed.metadata.items()} == {
        k: (v, type(v)) for k, v in metadata.items()
    }
    for wrong in (None, [1], {"nested": 1}):
        with pytest.raises(pydantic.ValidationError):
            types.Document.from_dict({**DOCUMENT, "metadata": {"k": wrong}})


def test_failed_document_carries_its_failure() -> None:
    data = {**DOCUMENT, "status": "failed", "failure": {"code": "unreadable", "message": "blank"}}
    doc = types.Document.from_dict(data)
    assert isinstance(doc.failure, types.DocumentFailure)
    assert doc.failure.code == "unreadable"


def test_create_response_parses() -> None:
    accepted = types.CreatedDocument.from_dict(ACCEPTED)
    assert (accepted.status, accepted.schema) == ("processing", "invoice_v2")
    assert accepted.result_url == "/v1/documents/doc_01jpwq8x4r2m3n/result"


def test_result_parses_fields_and_line_items() -> None:
    result = types.DocumentResult.from_json(json.dumps(RESULT).encode())
    assert result.fields["total"] == {"value": 1190.5, "confidence": 0.97}
    assert result.fields["due_date"]["value"] is None
    assert isinstance(result.fields["invoice_number"], dict)
    item = result.line_items[0]
    assert isinstance(item, types.LineItem)
    assert item.id == "li_1"
    assert item.fields["quantity"]["value"] == 10
    assert isinstance(result.review_state, types.ReviewState)
    assert result.review_state.confirmed_line_item_ids == ["li_1"]
    assert result.confidence == 0.94


def test_review_state_parses() -> None:
    state = types.ReviewState.from_dict(REVIEW_STATE)
    assert state.version == 1
    assert state.confirmed_general_field_names == ["invoice_number", "total"]


def test_error_body_parses() -> None:
    body = types.ErrorResponse.from_dict(ERROR)
    assert isinstance(body.error, types.ErrorDetail)
    assert body.error.code == "invalid_schema"
    assert body.error.request_id == "req_01jpwqkshg6x8j9k9j29m8n0n4"


@pytest.mark.parametrize(("model", "event_type", "data", "data_model"), EVENTS)
def test_each_webhook_event_parses_as_its_type_and_as_the_envelope(
    model: type[NumoraModel], event_type: str, data: dict[str, Any], data_model: type[NumoraModel]
) -> None:
    raw = json.dumps(envelope(event_type, data))
    event: Any = model.from_json(raw)
    assert event.type == event_type
    assert isinstance(event.data, data_model)
    assert event.created_at == dt.datetime(2026, 3, 21, 14, 24, 11, tzinfo=UTC)
    generic = types.WebhookEvent.from_json(raw)
    assert (generic.type, generic.data) == (event_type, data)


def test_a_typed_event_rejects_another_type_but_the_envelope_takes_any() -> None:
    with pytest.raises(pydantic.ValidationError):
        types.PushFailedEvent.from_dict(envelope("push.succeeded", PUSH_DATA))
    unknown = types.WebhookEvent.from_dict(envelope("invoice.paid", {"amount": 3}))
    assert unknown.type == "invoice.paid"
    assert unknown.data == {"amount": 3}


def test_run_failed_event_data_has_a_typed_error() -> None:
    event = types.RunFailedEvent.from_dict(envelope("run.failed", RUN_FAILED_DATA))
    assert isinstance(event.data.error, types.RunError)
    assert event.data.error.code == "provider_error"


def test_workflow_list_and_dispatch_parse() -> None:
    page = types.WorkflowPage.from_dict(WORKFLOWS)
    assert page.next_cursor == "cur_01jpwqv8k0fbbbx7k2y7w1v7r7"
    assert isinstance(page.data[0], types.Workflow)
    assert (page.data[0].version, page.data[0].binding_count) == (3, 2)
    run = types.WorkflowDispatch.from_dict(WORKFLOW_DISPATCH)
    assert (run.run_id, run.status, run.execution_mode) == ("run_01jq", "queued", "queued")


def test_document_dispatch_parses() -> None:
    dispatch = types.DocumentDispatch.from_dict(DOCUMENT_DISPATCH)
    assert (dispatch.route, dispatch.run_id, dispatch.status) == (
        "n8n_executor",
        None,
        "push_pending",
    )


def test_destination_and_schema_list_parse() -> None:
    destination = types.Destination.from_dict(DESTINATION)
    assert destination.has_credentials is True
    assert destination.updated_at.tzinfo is not None
    schemas = types.SchemaPage.from_dict(SCHEMAS)
    assert [s.id for s in schemas.data] == ["invoice_v2", "receipt_v1", "contract_v1"]
    assert schemas.next_cursor is None


def test_outbox_page_reads_meta_next_cursor() -> None:
    page = types.OutboxPage.from_dict(OUTBOX)
    assert isinstance(page.meta, types.PageMeta)
    assert page.meta.next_cursor == "cur_01jpwqv8k0fbbbx7k2y7w1v7r7"
    assert page.data[0].dispatch_url == "/v1/documents/doc_01jpwq8x4r2m3n/dispatch"


def test_delivery_attempt_parses() -> None:
    attempt = types.DeliveryAttempt.from_dict(ATTEMPT)
    assert attempt.status == "succeeded"
    assert attempt.attempted_at == dt.datetime(2026, 3, 21, 14, 24, 11, tzinfo=UTC)
    delivery = types.DocumentDelivery.from_dict(
        {"document_id": "doc_1", "status": "push_succeeded", "attempts": [ATTEMPT]}
    )
    assert delivery.attempts == [attempt]


def test_extra_field_and_unknown_status_are_kept() -> None:
    data = {**DOCUMENT, "status": "archived", "pages": 3, "ocr": {"engine": "v9"}}
    doc = types.Document.from_json(json.dumps(data))
    assert doc.status == "archived"
    extra: Any = doc
    assert extra.pages == 3
    assert extra.ocr == {"engine": "v9"}
    assert doc.to_dict()["pages"] == 3
    assert json.loads(doc.to_json())["ocr"] == {"engine": "v9"}


# Every open enum keeps a value it does not know.
@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (types.ErrorDetail, {"code": "quota_exceeded", "message": "m"}, "code"),
        (types.DocumentDispatch, {**DOCUMENT_DISPATCH, "route": "zapier"}, "route"),
        (types.DeliveryAttempt, {**ATTEMPT, "status": "partial"}, "status"),
        (
            types.WorkflowDispatch,
            {**WORKFLOW_DISPATCH, "execution_mode": "inline"},
            "execution_mode",
        ),
        (types.WorkflowDispatch, {**WORKFLOW_DISPATCH, "status": "paused"}, "status"),
        (types.DocumentEventData, {**DOCUMENT_EVENT_DATA, "status": "for_review"}, "status"),
    ],
)
def test_open_enums_keep_unknown_values(
    model: type[NumoraModel], data: dict[str, Any], field: str
) -> None:
    parsed = model.from_dict(data)
    assert getattr(parsed, field) == data[field]


def test_open_enum_lists_keep_unknown_values() -> None:
    key = types.ApiKey.from_dict(
        {
            "id": "key_1",
            "name": "ci",
            "scopes": ["documents:read", "billing:read"],
            "prefix": "sk_live_ab12",
            "created_at": "2026-03-21T14:20:00.000Z",
        }
    )
    assert key.scopes == ["documents:read", "billing:read"]


@pytest.mark.parametrize(
    "stamp", ["2026-03-21T14:20:00.000Z", "2026-03-21T14:20:00Z", "2026-03-21T16:20:00+02:00"]
)
def test_timestamps_are_timezone_aware_with_or_without_milliseconds(stamp: str) -> None:
    doc = types.Document.from_dict({**DOCUMENT, "created_at": stamp})
    assert doc.created_at.utcoffset() is not None
    assert doc.created_at == dt.datetime(2026, 3, 21, 14, 20, tzinfo=UTC)


def test_to_dict_and_to_json_use_wire_names() -> None:
    doc = types.Document.from_dict(DOCUMENT)
    wire = doc.to_dict()
    assert wire["schema"] == "invoice_v2"
    assert "schema_" not in wire
    assert at(wire["created_at"]) == doc.created_at
    assert json.loads(doc.to_json())["schema"] == "invoice_v2"
    assert types.Document.from_json(doc.to_json()) == doc


def test_models_read_and_write_wire_names() -> None:
    built = types.DocumentCreateRequest(schema="invoice_v2", file_url="https://x.example/a.pdf")
    parsed = types.DocumentCreateRequest.from_dict(
        {"schema": "invoice_v2", "file_url": "https://x.example/a.pdf"}
    )
    assert built == parsed
    assert built.schema == "invoice_v2"  # the value, not pydantic's deprecated schema() method
    assert built.to_dict()["schema"] == "invoice_v2"
    assert built.model_dump()["schema"] == "invoice_v2"
    assert json.loads(built.model_dump_json())["schema"] == "invoice_v2"
    assert "schema_" not in built.model_dump_json()


def test_importing_the_models_warns_about_nothing() -> None:
    code = "import warnings; warnings.simplefilter('error'); import numora.types"
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_models_pickle_and_compare_by_value() -> None:
    result = types.DocumentResult.from_dict(RESULT)
    assert pickle.loads(pickle.dumps(result)) == result
    assert types.DocumentResult.from_dict(RESULT) == result
    assert types.DocumentResult.from_dict({**RESULT, "confidence": 0.5}) != result
    doc = types.Document.from_dict({**DOCUMENT, "surprise": [1, 2]})
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_field_value_is_a_checked_dict_that_keeps_unknown_keys() -> None:
    item = types.LineItem.from_dict(
        {"id": "li_1", "fields": {"a": {"value": "x", "confidence": 0.5, "bbox": [1, 2, 3, 4]}}}
    )
    value = item.fields["a"]
    assert type(value) is dict
    assert cast("dict[str, Any]", value)["bbox"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "bad",
    [
        "x",
        1,
        None,
        ["value", 1],
        {"confidence": 0.5},  # no value
        {"value": 1, "confidence": "hi"},
        {"value": 1, "confidence": "0.9"},  # a number as text is not a number
        {"value": 1, "confidence": True},
        {"value": 1, "confidence": 1.5},
        {"value": 1, "confidence": -0.1},
    ],
)
def test_a_field_value_that_breaks_its_type_is_refused(bad: object) -> None:
    with pytest.raises(pydantic.ValidationError):
        types.LineItem.from_dict({"id": "li_1", "fields": {"a": bad}})
    body = json.dumps({"id": "li_1", "fields": {"a": bad}})
    with pytest.raises(pydantic.ValidationError):
        types.LineItem.from_json(body)


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ({"value": "12.50", "confidence": 0.98}, {"value": "12.50", "confidence": 0.98}),
        ({"value": None, "confidence": None}, {"value": None, "confidence": None}),
        ({"value": {"amount": 1}}, {"value": {"amount": 1}, "confidence": None}),
        ({"value": [1, "a"], "confidence": 1}, {"value": [1, "a"], "confidence": 1.0}),
        ({"value": True, "confidence": 0}, {"value": True, "confidence": 0.0}),
    ],
)
def test_field_values_read_as_their_type_promises(
    sent: dict[str, Any], read: dict[str, Any]
) -> None:
    result = types.DocumentResult.from_json(
        json.dumps(
            {
                "id": "doc_1",
                "schema": "invoice_v2",
                "status": "review_required",
                "fields": {"total": sent},
                "line_items": [{"id": "li_1", "fields": {"total": sent}}],
            }
        )
    )
    assert result.fields["total"] == read
    assert result.line_items[0].fields["total"] == read
    confidence = result.fields["total"]["confidence"]  # never a KeyError
    assert confidence is None or 0 <= confidence <= 1


@pytest.mark.parametrize(
    ("model", "data", "secret"),
    [
        (
            types.ApiKeyWithSecret,
            {
                "id": "key_1",
                "name": "ci",
                "scopes": [],
                "prefix": "sk_live_ab12",
                "created_at": "2026-03-21T14:20:00.000Z",
                "secret": "sk_live_ab12supersecret",
            },
            "sk_live_ab12supersecret",
        ),
        (
            types.WebhookEndpointWithSecret,
            {
                "id": "whe_1",
                "url": "https://example.com/hooks",
                "events": ["push.failed"],
                "status": "enabled",
                "created_at": "2026-03-21T14:20:00.000Z",
                "updated_at": "2026-03-21T14:20:00.000Z",
                "secret": "whsec_topsecretvalue",
            },
            "whsec_topsecretvalue",
        ),
        (
            types.WebhookSecretRotation,
            {
                "secret": "whsec_newsecretvalue",
                "previous_secret_expires_at": "2026-03-22T14:20:00Z",
            },
            "whsec_newsecretvalue",
        ),
    ],
)
def test_revealed_secrets_never_show_in_repr_or_to_dict(
    model: type[NumoraModel], data: dict[str, Any], secret: str
) -> None:
    parsed: Any = model.from_dict(data)
    assert secret not in repr(parsed)
    assert secret not in str(parsed.to_dict())
    assert secret not in parsed.to_json()
    assert parsed.secret.get_secret_value() == secret


def test_dynamics_token_and_destination_credentials_are_secret() -> None:
    session = types.DynamicsSession.from_dict(
        {
            "access_token": "eyJ.token.value",
            "expires_at": "2026-03-21T15:20:00Z",
            "instance_url": "https://contoso.crm.dynamics.com",
        }
    )
    assert "eyJ.token.value" not in repr(session)
    assert session.access_token.get_secret_value() == "eyJ.token.value"
    request = types.DestinationCreateRequest(
        provider="dynamics365", display_name="Contoso", credentials={"client_secret": "hunter2"}
    )
    assert "hunter2" not in repr(request)
    assert request.credentials is not None
    assert request.credentials["client_secret"].get_secret_value() == "hunter2"


def test_request_models_enforce_the_contract_limits() -> None:
    with pytest.raises(pydantic.ValidationError):
        types.DocumentCreateRequest(
            schema_="invoice_v2", file_url="https://x", external_id="x" * 256
        )
    with pytest.raises(pydantic.ValidationError):
        types.DocumentCreateRequest(
            schema_="invoice_v2", file_url="https://x", metadata={str(i): i for i in range(51)}
        )
    with pytest.raises(pydantic.ValidationError):
        types.DeliveryCallbackRequest(
            provider="dynamics365",
            status="maybe",
            execution_id="exec_1",
            attempted_at=dt.datetime(2026, 3, 21, tzinfo=UTC),
        )
    assert types.WorkflowDispatchRequest(document_id="doc_1").execution_mode == "queued"
    assert types.ApiKeyRotateRequest().expire_previous_in_seconds == 0


def test_every_exported_name_is_importable_and_models_share_the_base() -> None:
    for name in types.__all__:
        value = getattr(types, name)
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
            assert issubclass(value, NumoraModel), name


# --- the generator ----------------------------------------------------------------------------


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate_models", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_typeddict_post_processing_makes_checked_typeddicts() -> None:
    generator = _load_generator()
    source = (
        "from __future__ import annotations\n\n"
        "class V(NumoraModel):\n"
        "    a: int\n"
        "    b: Annotated[float | None, Field(ge=0.0)] = None\n"
    )
    out = generator.to_typeddicts(source, ["V"])
    # A real TypedDict at run time too, which pydantic checks; defaults fill missing keys.
    assert "class V(TypedDict):\n    a: int\n" in out
    assert "    b: Annotated[float | None, Field(ge=0.0, default=None)]" in out
    assert "@with_config(ConfigDict(extra='allow', strict=True, allow_inf_nan=False))" in out


def _run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(root / "scripts" / "generate_models.py"),
            "--check",
            "--root",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_committed_models_match_the_spec() -> None:
    result = _run_check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_drift_check_fails_on_a_hand_edited_model(tmp_path: Path) -> None:
    for part in ("spec", "scripts", "src/numora/types"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _run_check(tmp_path).returncode == 0

    generated = tmp_path / "src" / "numora" / "types" / "_documents.py"
    text = generated.read_text(encoding="utf-8")
    generated.write_text(text.replace("    rejection_reason:", "    rejection_reasons:"), "utf-8")
    result = _run_check(tmp_path)
    assert result.returncode != 0
    assert "differs" in result.stdout
    assert "rejection_reasons" in result.stdout


def test_drift_check_names_a_generated_file_that_is_missing_or_left_over(tmp_path: Path) -> None:
    for part in ("spec", "scripts", "src/numora/types"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    out = tmp_path / "src" / "numora" / "types"
    (out / "_runs.py").rename(out / "_old_runs.py")
    result = _run_check(tmp_path)
    assert result.returncode != 0
    assert "missing: src/numora/types/_runs.py" in result.stdout
    assert "not generated (remove it): src/numora/types/_old_runs.py" in result.stdout


def test_models_are_grouped_by_the_resource_whose_answers_carry_them() -> None:
    generator = _load_generator()
    ok = {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}
    spec = {
        "paths": {
            "/a": {
                "get": {"operationId": "alpha.retrieve", "responses": ok},
                "post": {
                    "operationId": "alpha.create",
                    "requestBody": {"$ref": "#/components/requestBodies/NewA"},
                    "responses": {
                        "202": {"$ref": "#/components/responses/Both"},
                        "400": {"$ref": "#/components/responses/Error"},
                    },
                },
            },
            "/b": {
                "get": {
                    "operationId": "beta.sub.list",
                    "responses": {"200": {"$ref": "#/components/responses/Both"}},
                }
            },
        },
        "webhooks": {
            "e": {
                "post": {
                    "operationId": "events.e",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Ev"}}
                        }
                    },
                }
            }
        },
        "components": {
            "requestBodies": {
                "NewA": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewA"}}
                    }
                }
            },
            "responses": {
                "Both": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}
                },
                "Error": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Err"}}
                    }
                },
            },
            "schemas": {
                "A": {"properties": {"s": {"$ref": "#/components/schemas/Status"}}},
                "B": {"properties": {"s": {"$ref": "#/components/schemas/Status"}}},
                "Status": {"type": "string"},
                "NewA": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
                "Ev": {"type": "object"},
                "Err": {"type": "object"},
                "Loose": {"type": "object"},
            },
        },
    }
    assert generator.schema_modules(spec) == {
        "A": "_alpha",  # answers of one resource only
        "B": "_shared",  # answers of alpha and beta
        "Status": "_shared",
        "NewA": "_requests",  # only sent
        "Ev": "_events",  # a webhook's body is what you receive
        "Err": "_other",  # error bodies and anything no operation reaches
        "Loose": "_other",
    }


# --- loaded on first use (start-up time, issue 16) --------------------------------------------


def _fresh(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def test_importing_numora_types_builds_no_model_until_a_name_is_used() -> None:
    loaded = (
        "import sys; import numora.types; "
        "print(sorted(m for m in sys.modules if m.startswith('numora.types.')), "
        "'pydantic.fields' in sys.modules)"
    )
    assert _fresh(loaded) == "[] False"


def test_a_resource_loads_its_own_models_only() -> None:
    code = (
        "import sys; import numora.resources.documents; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('numora.types.'))), "
        "'numora._bulk' in sys.modules)"
    )
    assert _fresh(code) == "numora.types._documents numora.types._shared False"


def test_every_name_has_numora_types_as_its_home() -> None:
    assert sorted(dir(types)) == sorted(types.__all__)
    for name in types.__all__:
        value = getattr(types, name)
        if isinstance(value, type):
            assert value.__module__ == "numora.types", name
            assert value.__qualname__ == name
    assert repr(types.Document) == "<class 'numora.types.Document'>"
    misspelt = "Documnet"  # a type checker flags `types.Documnet`; at run time:
    with pytest.raises(AttributeError, match=misspelt):
        getattr(types, misspelt)


def test_a_pickled_model_loads_in_a_process_that_never_imported_it() -> None:
    doc = types.Document.from_dict(DOCUMENT)
    code = (
        "import pickle, sys; "
        f"doc = pickle.loads({pickle.dumps(doc)!r}); "
        "print(type(doc).__name__, doc.id, doc.created_at.tzinfo is not None)"
    )
    assert _fresh(code) == f"Document {doc.id} True"


def test_type_hints_resolve_without_the_defining_module() -> None:
    hints = get_type_hints(types.Document)
    assert hints["review_state"] == types.ReviewState | None
    assert "confidence" in get_type_hints(types.FieldValue, include_extras=True)

    class Mine(pydantic.BaseModel):  # a user's own model built on the generated types
        value: types.FieldValue
        doc: types.Document | None = None

    assert Mine.model_validate({"value": {"value": 1}}).value == {"value": 1, "confidence": None}
