"""``numora sandbox``: the in-memory fake Numora served on localhost until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
import time
from types import FrameType

from . import EXIT_API, EXIT_OK
from ._output import CLIError, out

_LOG_EVERY = 0.1  # seconds between looks at the fake's request log


def _stop_on_signals(stop: threading.Event) -> None:
    # Ctrl-C (SIGINT) and a process manager's SIGTERM both end the sandbox cleanly. SIGINT
    # is set explicitly: a shell starts background jobs with it ignored.
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


def sandbox(args: argparse.Namespace) -> int:
    from numora.testing import FakeNumora

    fake = FakeNumora(processing_delay=args.processing_delay, dispatch_route=args.dispatch_route)
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
        seen = 0
        try:
            while not stop.wait(_LOG_EVERY):
                requests = fake.requests
                if not args.quiet:
                    for request in requests[seen:]:
                        _log(request.method, request.path, request.status, request.request_id)
                seen = len(requests)
        except KeyboardInterrupt:
            pass  # Ctrl-C is how a sandbox ends: exit 0
    out("sandbox stopped")
    return EXIT_OK


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
