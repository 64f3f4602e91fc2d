"""numora against raw httpx, in one run: ``python benchmarks/run.py [--quick]``.

A local HTTP/1.1 server with canned keep-alive answers runs in a separate process
(``benchmarks/_server.py``). Each measure runs numora and the equivalent raw httpx code a user
would write without the SDK (same URL and headers - Authorization, User-Agent, a fresh
x-request-id - then ``response.json()``) in interleaved rounds, and reports the median per
call of the rounds and the ratio of the medians, with pass or miss against the targets of
issue 8. Run by hand; it is not a test. The figures are in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import hmac
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import numora
from numora import AsyncNumora, Numora, webhooks
from numora.types import DocumentResult

HERE = Path(__file__).resolve().parent
API_KEY = "sk_test_benchmark_key_0123456789"
USER_AGENT = "my-integration/1.0"
DOC_ID = "doc_00000001"
CREATE = {"schema": "invoice_v2", "file_url": "https://files.example/a.pdf", "external_id": "e-1"}


def request_id() -> str:
    """A fresh id per call, as both the SDK and a careful raw-httpx user send."""
    return "req_" + os.urandom(12).hex()


@dataclass
class Row:
    """One line of the report."""

    measure: str
    sdk: str
    raw: str
    ratio: float | None
    target: str
    ok: bool
    note: str = ""


@dataclass(frozen=True)
class Sizes:
    """How much work each measure does (``--quick`` divides it)."""

    rounds: int
    get_calls: int
    post_calls: int
    async_calls: int
    concurrent_calls: int
    items: int
    imports: int
    verifies: int


FULL = Sizes(
    rounds=7,
    get_calls=2_000,
    post_calls=1_000,
    async_calls=2_000,
    concurrent_calls=1_000,
    items=20_000,
    imports=15,
    verifies=20_000,
)
QUICK = Sizes(
    rounds=3,
    get_calls=300,
    post_calls=200,
    async_calls=300,
    concurrent_calls=1_000,
    items=20_000,
    imports=5,
    verifies=5_000,
)


# --- the server ---------------------------------------------------------------------------


@contextmanager
def server() -> Iterator[str]:
    """Start ``_server.py`` in its own process; yield its base URL (the host, no /v1)."""
    proc = subprocess.Popen(  # noqa: S603  (this interpreter, our own script)
        [sys.executable, str(HERE / "_server.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- timing helpers -----------------------------------------------------------------------


def interleave(
    sdk: Callable[[], None], raw: Callable[[], None], *, rounds: int, per_round: int
) -> tuple[float, float]:
    """Median seconds per operation of numora and raw, in rounds A, B, A, B, ..."""
    sdk()  # warm up: connections, imports, caches
    raw()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        for fn, out in ((sdk, a), (raw, b)):
            gc.collect()
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) / per_round)
    return statistics.median(a), statistics.median(b)


async def ainterleave(
    sdk: Callable[[], Awaitable[None]],
    raw: Callable[[], Awaitable[None]],
    *,
    rounds: int,
    per_round: int,
) -> tuple[float, float]:
    """The async twin of :func:`interleave`."""
    await sdk()
    await raw()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        for fn, out in ((sdk, a), (raw, b)):
            gc.collect()
            started = time.perf_counter()
            await fn()
            out.append((time.perf_counter() - started) / per_round)
    return statistics.median(a), statistics.median(b)


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def ratio_row(
    measure: str, sdk: float, raw: float, limit: float, fmt: Callable[[float], str] = us
) -> Row:
    ratio = sdk / raw
    return Row(measure, fmt(sdk), fmt(raw), ratio, f"≤ {limit:.2f}x", ratio <= limit)


def raw_client(base: str) -> httpx.Client:
    return httpx.Client(
        base_url=base,
        headers={"Authorization": f"Bearer {API_KEY}", "User-Agent": USER_AGENT},
    )


def raw_async_client(base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base,
        headers={"Authorization": f"Bearer {API_KEY}", "User-Agent": USER_AGENT},
    )


# --- the measures -------------------------------------------------------------------------


def sync_get(base: str, size: Sizes) -> Row:
    n = size.get_calls
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client(base) as http:
        retrieve = client.documents.retrieve
        url = f"/v1/documents/{DOC_ID}"

        def sdk() -> None:
            for _ in range(n):
                retrieve(DOC_ID)

        def raw() -> None:
            for _ in range(n):
                response = http.get(url, headers={"x-request-id": request_id()})
                response.raise_for_status()
                response.json()

        a, b = interleave(sdk, raw, rounds=size.rounds, per_round=n)
    return ratio_row(f"sync GET one object, keep-alive ({n:,} calls)", a, b, 1.10)


def sync_post(base: str, size: Sizes) -> Row:
    n = size.post_calls
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client(base) as http:
        create = client.documents.create

        def sdk() -> None:
            for _ in range(n):
                create(
                    schema=CREATE["schema"],
                    file_url=CREATE["file_url"],
                    external_id=CREATE["external_id"],
                )

        def raw() -> None:
            for _ in range(n):
                response = http.post(
                    "/v1/documents", json=CREATE, headers={"x-request-id": request_id()}
                )
                response.raise_for_status()
                response.json()

        a, b = interleave(sdk, raw, rounds=size.rounds, per_round=n)
    return ratio_row(f"sync POST create ({n:,} calls)", a, b, 1.15)


def async_get(base: str, size: Sizes) -> Row:
    n = size.async_calls

    async def main() -> tuple[float, float]:
        async with (
            AsyncNumora(api_key=API_KEY, base_url=base) as client,
            raw_async_client(base) as http,
        ):
            retrieve = client.documents.retrieve
            url = f"/v1/documents/{DOC_ID}"

            async def sdk() -> None:
                for _ in range(n):
                    await retrieve(DOC_ID)

            async def raw() -> None:
                for _ in range(n):
                    response = await http.get(url, headers={"x-request-id": request_id()})
                    response.raise_for_status()
                    response.json()

            return await ainterleave(sdk, raw, rounds=size.rounds, per_round=n)

    a, b = asyncio.run(main())
    return ratio_row(f"async GET, sequential awaits ({n:,} calls)", a, b, 1.10)


def async_concurrent(base: str, size: Sizes) -> Row:
    n, workers = size.concurrent_calls, 100
    errors = {"sdk": 0, "raw": 0}

    async def spread(call: Callable[[], Awaitable[object]], who: str) -> None:
        async def worker() -> None:
            for _ in range(n // workers):
                try:
                    await call()
                except Exception:
                    errors[who] += 1

        await asyncio.gather(*(worker() for _ in range(workers)))

    async def main() -> tuple[float, float]:
        async with (
            AsyncNumora(api_key=API_KEY, base_url=base) as client,
            raw_async_client(base) as http,
        ):
            url = f"/v1/documents/{DOC_ID}"

            async def raw_call() -> None:
                response = await http.get(url, headers={"x-request-id": request_id()})
                response.raise_for_status()
                response.json()

            async def sdk() -> None:
                await spread(lambda: client.documents.retrieve(DOC_ID), "sdk")

            async def raw() -> None:
                await spread(raw_call, "raw")

            return await ainterleave(sdk, raw, rounds=size.rounds, per_round=n)

    a, b = asyncio.run(main())
    row = ratio_row(f"async {n:,} calls, {workers} concurrent", a, b, 1.05)
    row.target += ", 0 errors"
    row.note = f"errors: numora {errors['sdk']}, raw {errors['raw']}"
    row.ok = row.ok and errors["sdk"] == 0
    return row


def iterate(base: str, size: Sizes) -> list[Row]:
    total = size.items
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client(base) as http:

        def sdk_walk(limit: int) -> int:
            # A negative limit: the same walk, collecting garbage at each page boundary.
            collect, limit = limit < 0, abs(limit)
            seen = 0
            for _doc in client.documents.list(limit=100):
                seen += 1
                if collect and seen % 100 == 0:
                    gc.collect()
                if seen == limit:
                    break
            return seen

        def raw_walk(limit: int) -> int:
            seen = 0
            params: dict[str, Any] = {"limit": 100}
            while True:
                response = http.get(
                    "/v1/documents", params=params, headers={"x-request-id": request_id()}
                )
                response.raise_for_status()
                page = response.json()
                for _item in page["data"]:
                    seen += 1
                    if seen == limit:
                        return seen
                cursor = page.get("next_cursor")
                if not cursor:
                    return seen
                params = {"limit": 100, "cursor": cursor}

        assert sdk_walk(total) == raw_walk(total) == total

        def sdk_all() -> None:
            sdk_walk(total)

        def raw_all() -> None:
            raw_walk(total)

        a, b = interleave(sdk_all, raw_all, rounds=size.rounds, per_round=1)
        peaks = {}
        for limit in (total // 10, total):
            peaks[limit] = peak_memory(sdk_walk, limit)
    timing = ratio_row(f"iterate {total:,} items, page size 100", a, b, 1.5, ms)
    small, large = peaks[total // 10], peaks[total]
    growth = large - small
    memory = Row(
        f"  memory: peak while iterating {total // 10:,} → {total:,} items",
        f"{small / 1024:,.0f} → {large / 1024:,.0f} KiB",
        "",
        None,
        "flat (+≤ 1 MiB)",
        growth <= 1024 * 1024,
        f"numora, traced peak: +{growth / 1024:,.0f} KiB for 10x the items "
        "(pydantic-core's string cache, bounded at 16,384 strings; see docs/performance.md)",
    )
    return [timing, memory]


def peak_memory(walk: Callable[[int], int], limit: int) -> int:
    """Peak traced memory (bytes) while ``walk`` iterates ``limit`` items.

    A collection runs at each page boundary: every httpx response sits in a reference cycle
    (response and its stream) and would otherwise linger until the cyclic collector runs,
    with raw httpx too. What is left is what the iterator itself keeps alive.
    """
    gc.collect()
    tracemalloc.start()
    try:
        walk(-limit)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def import_time(size: Sizes) -> list[Row]:
    def seconds(statement: str) -> float:
        code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
        out = subprocess.run(  # noqa: S603  (this interpreter, fixed statements)
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return float(out.stdout)

    statements = {
        "base": "import httpx; from pydantic import BaseModel",
        "lazy_base": "import httpx, pydantic",
        "import": "import numora",
        "client": "from numora import Numora",
        "ready": (
            "from numora import Numora; "
            "Numora(api_key='sk_test_x', base_url='https://api.numora.example').documents"
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in statements}
    for _ in range(size.imports):
        for name, statement in statements.items():
            times[name].append(seconds(statement))
    median = {name: statistics.median(values) for name, values in times.items()}
    base = median["base"]
    rows = [
        ratio_row(
            "import: `from numora import Numora` (fresh process)", median["client"], base, 1.15, ms
        ),
        Row(
            "  `import numora` alone (lazy)",
            ms(median["import"]),
            ms(base),
            median["import"] / base,
            "info",
            True,
        ),
        Row(
            "  + a client and `client.documents` (types loaded)",
            ms(median["ready"]),
            ms(base),
            median["ready"] / base,
            "info",
            True,
        ),
    ]
    rows[0].raw += " (httpx + pydantic.BaseModel)"
    rows.append(
        Row(
            "  baseline `import httpx, pydantic` (pydantic loads BaseModel lazily)",
            "",
            ms(median["lazy_base"]),
            None,
            "info",
            True,
        )
    )
    return rows


def webhook_verify(size: Sizes) -> Row:
    secret = "whsec_" + "k" * 32
    body = json.dumps(
        {
            "id": "evt_1",
            "type": "document.reviewed",
            "created_at": "2026-03-21T14:24:11Z",
            "data": {"document_id": "doc_1", "padding": "x" * 1_900},
        }
    ).encode()
    assert 2_000 <= len(body) <= 2_100
    headers = webhooks.sign(body, secret, timestamp="2026-03-21T14:24:11Z")
    now = 1_774_103_051.0  # the timestamp above, as Unix seconds
    webhooks.verify(body, headers, secret, now=now)
    t, expected = headers["X-Numora-Webhook-Signature"].split(",")
    t_value, v1 = t.removeprefix("t="), expected.removeprefix("v1=")
    n = size.verifies
    verify = webhooks.verify

    def sdk() -> None:
        for _ in range(n):
            verify(body, headers, secret, now=now)

    key = secret.encode()

    def bare() -> None:
        for _ in range(n):
            mac = hmac.new(key, t_value.encode() + b"." + body, hashlib.sha256).hexdigest()
            assert hmac.compare_digest(mac, v1)

    a, b = interleave(sdk, bare, rounds=size.rounds, per_round=1)
    rate, bare_rate = n / a, n / b
    return Row(
        "webhook verify, 2 KB body",
        f"{rate:,.0f}/s",
        f"{bare_rate:,.0f}/s (bare hmac)",
        a / b,
        "≥ 70,000/s",
        rate >= 70_000,
    )


def result_parse(size: Sizes) -> Row:
    spec = importlib.util.spec_from_file_location(
        "bench_result_parse", HERE.parent / "scripts" / "bench_result_parse.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    raw_body: bytes = module.payload(1_000)
    loops = 5

    def sdk() -> None:
        for _ in range(loops):
            DocumentResult.from_json(raw_body)

    def baseline() -> None:
        for _ in range(loops):
            json.loads(raw_body)

    a, b = interleave(sdk, baseline, rounds=size.rounds * 3, per_round=loops)
    row = ratio_row("parse a document result, 1,000 line items", a, b, 1.2, ms)
    row.raw += " (json.loads)"
    return row


# --- the report ---------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    header = ("measure", "numora", "raw httpx", "ratio", "target", "result")
    lines = [
        (
            r.measure,
            r.sdk,
            r.raw,
            f"{r.ratio:.2f}x" if r.ratio is not None else "",
            r.target,
            ("pass" if r.ok else "MISS") if r.target != "info" else "",
        )
        for r in rows
    ]
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cells) + " |" for cells in lines]
    notes = [f"- {r.measure.strip()}: {r.note}" for r in rows if r.note]
    return "\n".join(out + (["", *notes] if notes else []))


def main() -> int:
    parser = argparse.ArgumentParser(description="numora against raw httpx (issue 8).")
    parser.add_argument("--quick", action="store_true", help="a short run (about 30 s)")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    print(
        f"numora {numora.__version__}, httpx {httpx.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.platform()}"
        f"{' (quick run)' if args.quick else ''}",
        flush=True,
    )
    started = time.perf_counter()
    rows: list[Row] = []
    with server() as base:
        for measure in (sync_get, sync_post, async_get, async_concurrent):
            rows.append(measure(base, size))
            print(f"  done: {rows[-1].measure}", file=sys.stderr, flush=True)
        rows += iterate(base, size)
        print("  done: iteration", file=sys.stderr, flush=True)
    rows += import_time(size)
    rows.append(webhook_verify(size))
    rows.append(result_parse(size))
    print(table(rows))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
