"""Uploads replayed over real sockets (issue 12): the same bytes on every attempt, even from a
pipe, which httpx alone sizes as empty (and h11 then refuses to send)."""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

import anyio
import pytest

from numora import AsyncNumora, Numora
from numora.testing import FakeNumora
from numora.testing._multipart import parse

UPLOAD = b"%PDF-1.7\n" + os.urandom(200_000)


def through_a_pipe(send: Any) -> Any:
    """Call ``send(reader)`` with the read end of a pipe a thread writes UPLOAD into."""
    read_fd, write_fd = os.pipe()

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), os.fdopen(write_fd, "wb") as writer:
            writer.write(UPLOAD)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with os.fdopen(read_fd, "rb") as reader:
        result = send(reader)
    writer.join(timeout=5)
    return result


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_piped_upload_survives_429_and_503(
    kind: str, fake: FakeNumora, base_url: str, clock: Any
) -> None:
    fake.fail_next(1, method="POST", path="/v1/documents", status=429, retry_after=0.1)
    fake.fail_next(1, method="POST", path="/v1/documents", status=503)
    arguments: dict[str, Any] = {"schema": "invoice_v2", "external_id": f"pipe-{kind}"}

    def send(reader: Any) -> Any:
        if kind == "sync":
            with clock.install(Numora(api_key=fake.api_key, base_url=base_url)) as client:
                return client.documents.create(file=("scan.pdf", reader), **arguments)

        async def main() -> Any:
            client = clock.install(AsyncNumora(api_key=fake.api_key, base_url=base_url))
            async with client:
                return await client.documents.create(file=("scan.pdf", reader), **arguments)

        return anyio.run(main)

    created = through_a_pipe(send)

    assert created.created is True
    posts = [r for r in fake.requests if r.method == "POST" and r.path == "/v1/documents"]
    assert [r.status for r in posts] == [429, 503, 202]
    for post in posts:
        (upload,) = [p for p in parse(post.body, post.headers["content-type"]) if p.filename]
        assert upload.content == UPLOAD
