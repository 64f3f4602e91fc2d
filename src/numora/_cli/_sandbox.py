"""``numora sandbox``: the in-memory fake Numora served on localhost until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import queue
import signal
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING

from . import EXIT_API, EXIT_OK
from ._output import CLIError, out

if TYPE_CHECKING:
    from numora.testing import RecordedRequest

_LOG_EVERY = 0.1  # seconds between prints of the requests answered meanwhile


def _stop_on_signals(stop: threading.Event) -> None:
    # Ctrl-C (SIGINT) and a process manager's SIGTERM both end the sandbox cleanly. SIGINT
    # is set explicitly: a shell starts background jobs with it ignored.
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


def sandbox(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve a fake until ``stop`` is set (by Ctrl-C or SIGTERM when not given)."""
    from numora.testing import FakeNumora

    # The fake keeps no request log here: each answered request is handed over once through
    # a queue and printed, so a sandbox left running for days does not grow with its traffic.
    answered: queue.SimpleQueue[RecordedRequest] = queue.SimpleQueue()
    fake = FakeNumora(
        processing_delay=args.processing_delay,
        dispatch_route=args.dispatch_route,
        request_log_size=0,
        on_request=None if args.quiet else answered.put,
    )
    if stop is None:
        stop = threading.Event()
        _stop_on_signals(stop)
    with contextlib.ExitStack() as stack:
        try:
            base_url = stack.enter_context(fake.serve(host=args.host, port=args.port))
        except OSError as exc:
            raise CLIError(
                f"cannot listen on {args.host}:{args.port}: {exc.strerror}", EXIT_API
            ) from None
        _banner(base_url, fake.api_key, args.processing_delay)
        try:
            while not stop.wait(_LOG_EVERY):
                _print_answered(answered)
        except KeyboardInterrupt:
            pass  # Ctrl-C is how a sandbox ends: exit 0
    _print_answered(answered)
    out("sandbox stopped")
    return EXIT_OK


def _print_answered(answered: queue.SimpleQueue[RecordedRequest]) -> None:
    with contextlib.suppress(queue.Empty):
        while True:
            request = answered.get_nowait()
            _log(request.method, request.path, request.status, request.request_id)


def _log(method: str, path: str, status: int | None, request_id: str) -> None:
    shown = "dropped" if status is None else str(status)
    out(f"{time.strftime('%H:%M:%S')}  {method:6} {path}  {shown}  {request_id}")


def _banner(base_url: str, api_key: str, processing_delay: float) -> None:
    out(f"Numora sandbox listening on {base_url} (in memory: everything is gone when it stops)")
    out()
    out("  export NUMORA_BASE_URL=" + base_url)
    out("  export NUMORA_API_KEY=" + api_key)
    out()
    out('Try: curl -s -H "Authorization: Bearer $NUMORA_API_KEY" $NUMORA_BASE_URL/v1/schemas')
    out(
        f"Documents leave processing after {processing_delay:g} s. "
        "Logging requests; Ctrl-C to stop."
    )
