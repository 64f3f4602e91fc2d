"""The webhook receiver examples, exercised with each framework's own test client."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from numora import webhooks

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECRET = "whsec_recipes_test_secret"
EVENT = {
    "id": "evt_recipe_1",
    "type": "document.reviewed",
    "created_at": "2026-03-21T14:24:11Z",
    "data": {"document_id": "doc_1", "schema": "invoice_v2", "status": "reviewed"},
}
BODY = json.dumps(EVENT).encode()

# (status, json) of one POST of `content` with `headers` to /webhooks/numora.
Post = Callable[[bytes, dict[str, str]], tuple[int, Any]]


def load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Django resolves ROOT_URLCONF by module name
    spec.loader.exec_module(module)
    return module


def fastapi_post(module: ModuleType) -> Post:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Starlette's httpx2 notice
        from fastapi.testclient import TestClient

    http = TestClient(module.app)

    def post(content: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        response = http.post("/webhooks/numora", content=content, headers=headers)
        return response.status_code, response.json()

    return post


def flask_post(module: ModuleType) -> Post:
    http = module.app.test_client()

    def post(content: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        response = http.post("/webhooks/numora", data=content, headers=headers)
        return response.status_code, response.get_json()

    return post


def django_post(module: ModuleType) -> Post:
    from django.test import Client  # type: ignore[import-untyped]  # no stubs

    http = Client()

    def post(content: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        response = http.post(
            "/webhooks/numora", data=content, content_type="application/json", headers=headers
        )
        return response.status_code, response.json()

    return post


RECIPES: dict[str, Callable[[ModuleType], Post]] = {
    "webhook_fastapi": fastapi_post,
    "webhook_flask": flask_post,
    "webhook_django": django_post,
}


@pytest.fixture(params=sorted(RECIPES))
def recipe(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ModuleType, Post]]:
    monkeypatch.setenv("NUMORA_WEBHOOK_SECRET", SECRET)
    module = load(request.param)
    module.SEEN_EVENT_IDS.clear()
    while not module.JOBS.empty():
        module.JOBS.get_nowait()
    if request.param == "webhook_django":
        from django.test import override_settings

        with override_settings(ROOT_URLCONF=request.param):
            yield module, RECIPES[request.param](module)
    else:
        yield module, RECIPES[request.param](module)


def test_signed_delivery_is_accepted_and_queued(recipe: tuple[ModuleType, Post]) -> None:
    module, post = recipe
    assert post(BODY, webhooks.sign(BODY, SECRET)) == (200, {"received": True})
    job = module.JOBS.get_nowait()
    assert job.id == "evt_recipe_1"
    assert job.data.document_id == "doc_1"


def test_redelivery_is_acknowledged_once(recipe: tuple[ModuleType, Post]) -> None:
    module, post = recipe
    headers = webhooks.sign(BODY, SECRET)
    assert post(BODY, headers)[0] == 200
    assert post(BODY, headers) == (200, {"received": True, "duplicate": True})
    assert module.JOBS.qsize() == 1


# Each bad delivery is signed when its test runs, never at collection: a signature made at
# collection ages with the suite, and after 300 s it fails as out of tolerance instead.
BAD_DELIVERIES: dict[str, tuple[Callable[[], tuple[bytes, dict[str, str]]], str]] = {
    "tampered": (lambda: (BODY + b" ", webhooks.sign(BODY, SECRET)), "no_matching_signature"),
    "wrong secret": (
        lambda: (BODY, webhooks.sign(BODY, "whsec_someone_else")),
        "no_matching_signature",
    ),
    "unsigned": (lambda: (BODY, {}), "missing_header"),
    "replayed": (
        lambda: (BODY, webhooks.sign(BODY, SECRET, timestamp="2020-01-01T00:00:00Z")),
        "timestamp_out_of_tolerance",
    ),
}


@pytest.mark.parametrize(("deliver", "reason"), BAD_DELIVERIES.values(), ids=BAD_DELIVERIES.keys())
def test_bad_delivery_is_refused_with_400(
    recipe: tuple[ModuleType, Post],
    deliver: Callable[[], tuple[bytes, dict[str, str]]],
    reason: str,
) -> None:
    module, post = recipe
    content, headers = deliver()
    assert post(content, headers) == (400, {"error": reason})
    assert module.JOBS.empty()


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_example_runs_as_a_script(name: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMORA_WEBHOOK_SECRET"}
    src = str(EXAMPLES.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    lines = out.stdout.splitlines()
    assert lines[0].startswith("signed: 200")
    assert lines[1].startswith("again: 200") and "duplicate" in lines[1]
    assert lines[2] == "tampered: 400 {'error': 'no_matching_signature'}"
    assert lines[3] == "queued: ['evt_demo_1']"
    assert "whsec_demo" not in out.stdout + out.stderr


def test_docs_recipes_are_copied_from_the_examples() -> None:
    docs = (EXAMPLES.parent / "docs" / "webhooks.md").read_text()
    blocks = re.findall(r"<!-- from (examples/\S+) -->\n```python\n(.*?)```", docs, re.S)
    assert {path for path, _ in blocks} == {f"examples/{name}.py" for name in RECIPES}
    for path, code in blocks:
        assert code in (EXAMPLES.parent / path).read_text(), f"docs drifted from {path}"
