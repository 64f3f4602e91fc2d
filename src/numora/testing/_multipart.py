"""A small ``multipart/form-data`` reader (the stdlib has none since ``cgi`` was removed)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str | None
    content: bytes


def header_params(value: str, param: str) -> str | None:
    """One parameter of a header value such as ``form-data; name="file"``."""
    message = Message()
    message["x"] = value
    found = message.get_param(param, header="x")
    return found if isinstance(found, str) else None


def parse(body: bytes, content_type: str) -> list[Part]:
    """The parts of a form body; raises ValueError when it is not well formed."""
    boundary = header_params(content_type, "boundary")
    if not boundary:
        raise ValueError("multipart body without a boundary")
    sections = body.split(b"--" + boundary.encode("latin-1"))
    if len(sections) < 3 or not sections[-1].startswith(b"--"):
        raise ValueError("multipart body is not terminated")
    parts = []
    for section in sections[1:-1]:
        if not section.startswith(b"\r\n"):
            raise ValueError("malformed multipart section")
        head, sep, content = section[2:].partition(b"\r\n\r\n")
        if not sep or not content.endswith(b"\r\n"):
            raise ValueError("malformed multipart section")
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        field_name = header_params(disposition, "name")
        if field_name is None:
            raise ValueError("multipart part without a name")
        parts.append(
            Part(
                name=field_name,
                filename=header_params(disposition, "filename"),
                content_type=headers.get("content-type"),
                content=content[:-2],
            )
        )
    return parts
