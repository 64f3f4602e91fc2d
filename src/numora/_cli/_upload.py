"""``numora documents upload PATH... --schema SCHEMA``: files and folders in one batch.

Folders are walked for the formats the API accepts (the SDK's own list); any other file is
listed as skipped. The batch is ``client.documents.create_many``: each file gets a
content-derived ``external_id``, so running the same command again creates nothing twice.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

from . import EXIT_API, EXIT_OK, EXIT_USAGE
from ._output import CLIError, client_from, out

if TYPE_CHECKING:
    from numora import BulkOutcome

__all__ = ["PlainProgress", "collect", "progress_for", "upload"]

PLAIN_INTERVAL = 2.0  # seconds between plain progress lines
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it


def collect(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """The files to upload and the files skipped (not an accepted format), in a stable
    order: each argument in turn, folders walked in sorted order."""
    from numora._files import _TYPES_BY_EXTENSION as accepted

    files: list[str] = []
    skipped: list[str] = []

    def add(path: str) -> None:
        (files if os.path.splitext(path)[1].lower() in accepted else skipped).append(path)

    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    add(os.path.join(root, name))
        elif os.path.isfile(path):
            add(path)
        else:
            raise CLIError(f"no such file or folder: {path}", code=EXIT_USAGE)
    return files, skipped


# --- progress -----------------------------------------------------------------------------


class PlainProgress:
    """A progress line on ``stream`` at most every ``interval`` seconds, and at the end."""

    def __init__(
        self,
        total: int,
        stream: IO[str],
        *,
        interval: float = PLAIN_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._started = self._last = clock()

    def update(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        if self._clock() - self._last >= self._interval:
            self._print()

    def close(self) -> None:
        if self.total:
            self._print()

    def _print(self) -> None:
        self._last = now = self._clock()
        elapsed = now - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        line = f"uploaded {self.done}/{self.total} ({self.done * 100 // max(self.total, 1)}%)"
        line += f", {self.failed} failed"
        if rate > 0:
            line += f", {rate:.1f}/s"
            if self.done < self.total:
                line += f", ETA {(self.total - self.done) / rate:.0f}s"
        print(line, file=self._stream, flush=True)


class _Bar:
    """tqdm's bar (``numora[cli]``): done / total, rate, ETA and failures so far."""

    def __init__(self, tqdm: Any, total: int, stream: IO[str]) -> None:
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            width = 0
        # A terminal that reports no size (some CI runners) would get an empty bar.
        self._bar = tqdm(
            total=total,
            file=stream,
            unit="doc",
            desc="uploading",
            ncols=None if width else 80,
            dynamic_ncols=bool(width),
        )
        self._failed = 0

    def update(self, failed: bool) -> None:
        if failed:
            self._failed += 1
            self._bar.set_postfix(failed=self._failed, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def progress_for(total: int, stream: IO[str]) -> PlainProgress | _Bar:
    """A live bar on a terminal when tqdm is installed (``pip install "numora[cli]"``);
    otherwise plain lines at intervals."""
    if stream.isatty():
        try:
            from importlib import import_module

            tqdm = import_module("tqdm").tqdm
        except ImportError:
            pass
        else:
            return _Bar(tqdm, total, stream)
    return PlainProgress(total, stream)


# --- the command --------------------------------------------------------------------------


def _reason(error: BaseException) -> str:
    from numora._exceptions import APIStatusError

    if isinstance(error, APIStatusError):
        code = error.code or f"http_{error.status_code}"
        text = f"{code} {error.message}"
        return text + (f" (request id: {error.request_id})" if error.request_id else "")
    return str(error) or type(error).__name__


def _record(path: str, outcome: BulkOutcome | None) -> dict[str, Any]:
    """One ``--json`` line: what happened to ``path``."""
    if outcome is None:
        return {"path": path, "outcome": "skipped", "reason": "not an accepted format"}
    record: dict[str, Any] = {
        "path": path,
        "outcome": outcome.status,
        "document_id": outcome.document_id,
        "external_id": outcome.external_id,
    }
    if outcome.document is not None:
        record["document_status"] = outcome.document.status
    if outcome.error is not None:
        error: Any = outcome.error
        record["error"] = {
            "type": type(error).__name__,
            "code": getattr(error, "code", None),
            "message": _reason(error),
            "request_id": getattr(error, "request_id", None),
        }
    return record


def _stop_early(outcome: BulkOutcome) -> None:
    """A refused key or an unknown schema fails every upload the same way: stop instead of
    sending the rest (what was sent is found again by the next run)."""
    from numora._exceptions import AuthenticationError, InvalidSchemaError, PermissionDeniedError

    if isinstance(outcome.error, (AuthenticationError, PermissionDeniedError, InvalidSchemaError)):
        raise outcome.error


def upload(args: argparse.Namespace) -> int:
    from numora._files import _ACCEPTED_TEXT

    files, skipped = collect(args.paths)
    started = time.monotonic()
    counts: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    emit = _json_line if args.json else None
    if emit:
        for path in skipped:
            emit(_record(path, None))
    with client_from(args) as client:
        outcomes = client.documents.create_many(
            files, schema=args.schema, concurrency=args.concurrency, wait=args.wait
        )
        progress = progress_for(len(files), sys.stderr)
        interrupted = False
        try:
            for outcome in outcomes:
                path = files[outcome.index]
                counts[outcome.status] += 1
                if outcome.document is not None:
                    statuses[outcome.document.status] += 1
                if outcome.error is not None:
                    failures.append((path, _reason(outcome.error)))
                progress.update(outcome.error is not None)
                if emit:
                    emit(_record(path, outcome))
                _stop_early(outcome)
        except KeyboardInterrupt:  # Ctrl-C: nothing more is sent; say where it stopped
            interrupted = True
        finally:
            progress.close()
    say: Callable[[str], None] = _stderr if args.json else out
    say(
        f"created {counts['created']}, already existed {counts['existed']}, "
        f"skipped {len(skipped)}, failed {counts['failed']} "
        f"({len(files)} files in {time.monotonic() - started:.1f} s)"
    )
    if statuses:
        say("after waiting: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    if skipped:
        say(f"skipped (not an accepted format; the API accepts {_ACCEPTED_TEXT}):")
        for path in skipped:
            say(f"  {path}")
    if failures:
        say("failed:")
        for path, reason in failures:
            say(f"  {path}: {reason}")
    if interrupted:
        done = sum(counts.values())
        say(
            f"interrupted after {done} of {len(files)} files: run the same command again to "
            "go on (what was uploaded is found, not duplicated)"
        )
        return EXIT_INTERRUPTED
    return EXIT_API if failures else EXIT_OK


def _json_line(record: dict[str, Any]) -> None:
    out(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
