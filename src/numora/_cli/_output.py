"""What every command shares: the client from flags and env, printing, errors to exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import EXIT_API, EXIT_TIMEOUT, EXIT_USAGE

if TYPE_CHECKING:
    from numora import Numora

__all__ = ["CLIError", "client_from", "emit_json", "error", "guarded", "out", "table"]


class CLIError(Exception):
    """A failure the command explains itself: ``message`` goes to stderr, ``code`` is the exit."""

    def __init__(self, message: str, code: int = EXIT_API) -> None:
        super().__init__(message)
        self.code = code


def out(line: str = "") -> None:
    """One line of human output on stdout, flushed (the sandbox is often read through a pipe)."""
    print(line, flush=True)


def error(line: str) -> None:
    """One line on stderr."""
    print(line, file=sys.stderr, flush=True)


def emit_json(value: Any) -> None:
    """``value`` as indented JSON on stdout (models through their wire names)."""
    out(json.dumps(_plain(value), indent=2, ensure_ascii=False))


def _plain(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    """Left-aligned columns, two spaces apart; ``None`` prints as ``-``."""
    cells = [[_cell(value) for value in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        out(
            "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        )


def fields(pairs: Iterable[tuple[str, object]], indent: str = "  ") -> None:
    """``name  value`` lines, names aligned; ``None`` values are skipped."""
    shown = [(name, _cell(value)) for name, value in pairs if value is not None]
    width = max((len(name) for name, _ in shown), default=0)
    for name, value in shown:
        out(f"{indent}{name.ljust(width)}  {value}")


def _cell(value: object) -> str:
    if value is None:
        return "-"
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return str(isoformat()).replace("+00:00", "Z")
    return str(value)


def client_from(args: argparse.Namespace) -> Numora:
    """A client from ``--api-key``/``--base-url`` or ``NUMORA_API_KEY``/``NUMORA_BASE_URL``."""
    from numora import Numora

    try:
        return Numora(api_key=args.api_key, base_url=args.base_url)
    except ValueError as exc:  # missing or malformed settings: say which, exit 2
        raise CLIError(str(exc), code=EXIT_USAGE) from None


def guarded(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; turn the SDK's exceptions into a one-line error and an exit code."""
    from numora._exceptions import (
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        WaitTimeoutError,
    )

    try:
        return handler(args)
    except CLIError as exc:
        error(f"error: {exc}")
        return exc.code
    except APIStatusError as exc:
        code = exc.code or f"http_{exc.status_code}"
        request_id = exc.request_id or "none"
        error(f"error: {code} {exc.message} (request id: {request_id})")
        return EXIT_API
    except APITimeoutError as exc:
        error(f"error: timeout {exc.message}")
        return EXIT_API
    except APIConnectionError as exc:
        error(f"error: connection_error {exc.message}")
        return EXIT_API
    except APIError as exc:  # e.g. a 2xx whose body is not what the API documents
        error(f"error: invalid_response {exc.message}")
        return EXIT_API
    except WaitTimeoutError as exc:
        error(f"error: wait_timeout {exc}")
        return EXIT_TIMEOUT
    except ValueError as exc:  # the SDK's argument checks: a bad flag value
        error(f"error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # the reader of stdout left: handled by run()
    except OSError as exc:  # e.g. --file that cannot be read
        error(f"error: {exc}")
        return EXIT_USAGE
