"""What observability costs per call: ``python benchmarks/observe.py [--server] [--modes ...]``.

Times ``documents.retrieve`` on ``Numora`` and ``AsyncNumora`` in each mode, interleaved
round by round (A, B, C, A, B, C, ...), and prints the median microseconds per call:

* ``off``: nothing switched on (the default; ``opentelemetry-api`` may be installed, it is
  never imported);
* ``on_retry``: a client with an ``on_retry`` callback (no retry happens);
* ``otel_api``: ``numora.otel.instrument()`` with OpenTelemetry's default no-op providers
  (the API without the SDK);
* ``otel_sdk``: ``numora.otel.instrument()`` with the SDK's providers, spans going to an
  exporter that drops them and the histogram to an in-memory reader.

By default the calls go to an in-process ``httpx.MockTransport``, so the figure is numora's
own work per call, without sockets (the most sensitive view of any added cost); ``--server``
uses the keep-alive server of ``benchmarks/run.py`` instead. Only ``off`` works on a tree
without ``numora.otel``: to compare two trees, run ``--modes off`` with ``PYTHONPATH`` set to
each one's ``src``, alternately. The machine's load average is printed: figures taken while
other processes used the CPU are noisy, compare medians of several runs.

On a busy machine, count instructions instead of time (they do not depend on the load)::

    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        python benchmarks/observe.py --rounds 1 --only sync --modes off --calls 1100

and the same with ``--calls 100``: the difference divided by 1,000 is the count per call.
Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import httpx

import numora
from numora import AsyncNumora, Numora

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

API_KEY = "sk_test_benchmark_key_0123456789"
DOC_ID = "doc_00000001"
DOCUMENT = json.dumps(
    {
        "id": DOC_ID,
        "schema": "invoice_v2",
        "status": "review_required",
        "external_id": "inv-1",
        "metadata": {},
        "created_at": "2026-03-21T14:20:00.000Z",
        "updated_at": "2026-03-21T14:20:00.000Z",
    }
).encode()
MODES = ("off", "on_retry", "otel_api", "otel_sdk")


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        content=DOCUMENT,
        headers={
            "content-type": "application/json",
            "x-request-id": request.headers["x-request-id"],
        },
    )


@contextmanager
def switched_on(mode: str) -> Iterator[dict[str, Any]]:
    """Switch ``mode`` on for the block; yields the extra client arguments it needs."""
    if mode in ("off", "on_retry"):
        yield {"on_retry": lambda info: None} if mode == "on_retry" else {}
        return
    import numora.otel

    providers: dict[str, Any] = {}
    if mode == "otel_sdk":
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            SimpleSpanProcessor,
            SpanExporter,
            SpanExportResult,
        )

        class Drop(SpanExporter):
            def export(self, spans: Any) -> SpanExportResult:
                return SpanExportResult.SUCCESS

        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(Drop()))
        providers = {
            "tracer_provider": tracer_provider,
            "meter_provider": MeterProvider(metric_readers=[InMemoryMetricReader()]),
        }
    numora.otel.instrument(**providers)
    try:
        yield {}
    finally:
        numora.otel.uninstrument()


def transport(base: str | None, *, for_async: bool) -> dict[str, Any]:
    """Client arguments: the local server's URL, or an in-process mock transport."""
    if base is not None:
        return {"base_url": base}
    mock = httpx.MockTransport(answer)
    http = httpx.AsyncClient(transport=mock) if for_async else httpx.Client(transport=mock)
    return {"base_url": "https://api.numora.example", "http_client": http}


def time_sync(mode: str, base: str | None, calls: int) -> float:
    with (
        switched_on(mode) as extra,
        Numora(api_key=API_KEY, **transport(base, for_async=False), **extra) as client,
    ):
        retrieve = client.documents.retrieve
        retrieve(DOC_ID)  # warm up
        gc.collect()
        started = time.perf_counter()
        for _ in range(calls):
            retrieve(DOC_ID)
        return (time.perf_counter() - started) / calls


def time_async(mode: str, base: str | None, calls: int) -> float:
    async def main() -> float:
        with switched_on(mode) as extra:
            async with AsyncNumora(
                api_key=API_KEY, **transport(base, for_async=True), **extra
            ) as client:
                retrieve = client.documents.retrieve
                await retrieve(DOC_ID)
                gc.collect()
                started = time.perf_counter()
                for _ in range(calls):
                    await retrieve(DOC_ID)
                return (time.perf_counter() - started) / calls

    return asyncio.run(main())


def server(enabled: bool) -> AbstractContextManager[str | None]:
    if not enabled:
        return nullcontext(None)
    from _load import CpuMeter
    from run import server as start  # benchmarks/run.py's keep-alive server (uvicorn)

    return start("uvicorn", CpuMeter())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated")
    parser.add_argument("--calls", type=int, default=2_000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--server", action="store_true", help="the local server, not a mock")
    parser.add_argument("--only", choices=("sync", "async"), help="one client only")
    args = parser.parse_args()
    modes = args.modes.split(",")
    kinds = [args.only] if args.only else ["sync", "async"]
    print(
        f"numora {numora.__version__} from {Path(numora.__file__).parent}, "
        f"{'local server' if args.server else 'mock transport'}, {args.calls} calls x "
        f"{args.rounds} rounds; load average before: {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    timings: dict[tuple[str, str], list[float]] = {(k, m): [] for k in kinds for m in modes}
    measure: dict[str, Callable[[str, str | None, int], float]] = {
        "sync": time_sync,
        "async": time_async,
    }
    with ExitStack() as stack:
        base = stack.enter_context(server(args.server))
        for _ in range(args.rounds):
            for kind in kinds:
                for mode in modes:
                    timings[kind, mode].append(measure[kind](mode, base, args.calls))
    for kind in kinds:
        off = statistics.median(timings[kind, modes[0]])
        for mode in modes:
            median = statistics.median(timings[kind, mode])
            spread = min(timings[kind, mode]), max(timings[kind, mode])
            print(
                f"{kind:5} {mode:9} {median * 1e6:8.2f} µs/call  "
                f"({median / off:5.3f}x {modes[0]}; rounds {spread[0] * 1e6:.1f}-"
                f"{spread[1] * 1e6:.1f})"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
