"""Why the earlier ``run.py`` flattered numora: change its setup one factor at a time.

``python benchmarks/compare_setups.py [--rounds 8] [--calls 1000]``

Starting from the earlier benchmark (canned in-process server, small repetitive documents,
a raw-httpx baseline using ``base_url`` with fewer headers, rounds always in the order numora
then raw, ratio of the medians), each step changes one thing towards the current
``run.py``, keeping the earlier ones:

1. ``payload``: realistic 15-field documents with varied values (``_payloads.py``);
2. ``server``: uvicorn in its own process instead of the canned server;
3. ``baseline``: raw httpx with the absolute URL and the same headers as numora;
4. ``timing``: alternating order, median of the per-round ratios (= the current ``run.py``).

The result parse and the start-up rows have their own steps. Run it on a quiet machine: it
prints other processes' CPU use for every figure, as ``run.py`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _payloads  # noqa: E402
import run  # noqa: E402
from _load import CpuMeter, Load, load_average  # noqa: E402

from numora import AsyncNumora, Numora  # noqa: E402
from numora.types import DocumentResult  # noqa: E402

API_KEY = run.API_KEY
OLD_HEADERS = {"Authorization": f"Bearer {API_KEY}", "User-Agent": "my-integration/1.0"}


@dataclass(frozen=True)
class Setup:
    name: str
    server: str  # "canned-small", "canned-realistic" or "uvicorn"
    fair_baseline: bool
    new_timing: bool


GET_SETUPS = [
    Setup("0 earlier run.py", "canned-small", fair_baseline=False, new_timing=False),
    Setup("1 + realistic payload", "canned-realistic", fair_baseline=False, new_timing=False),
    Setup("2 + uvicorn server", "uvicorn", fair_baseline=False, new_timing=False),
    Setup("3 + same-work baseline", "uvicorn", fair_baseline=True, new_timing=False),
    Setup("4 + alternating, paired (= run.py)", "uvicorn", fair_baseline=True, new_timing=True),
]


@contextmanager
def server(kind: str, meter: CpuMeter) -> Iterator[str]:
    args = {
        "canned-small": ["_server.py"],
        "canned-realistic": ["_server.py", "--payload", "realistic"],
        "uvicorn": ["_asgi_server.py"],
    }[kind]
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, *args], cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    meter.server_pids.append(proc.pid)
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}"
    finally:
        meter.server_pids.remove(proc.pid)
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def old_ratio(timing: run.Timing) -> float:
    """The earlier method: the ratio of the two medians."""
    return statistics.median(timing.a) / statistics.median(timing.b)


def cpu_ratio(timing: run.Timing) -> float:
    """The client's CPU time, numora over raw (median of the rounds' ratios)."""
    value = timing.cpu_ratio
    return float("nan") if value is None else value


def timed(
    setup: Setup, sdk: Callable[[], object], raw: Callable[[], object], rounds: int, per: int
) -> tuple[run.Timing, float]:
    if setup.new_timing:
        timing = run.paired(sdk, raw, rounds=rounds, per_round=per)
        return timing, statistics.median(timing.ratios)
    sdk()
    raw()
    timing = run.Timing()
    for _ in range(rounds):  # always numora first, as the earlier script did
        for fn, (wall, cpu) in zip((sdk, raw), timing.sides(True), strict=True):
            gc.collect()
            started, cpu_started = time.perf_counter(), time.process_time()
            fn()
            cpu.append((time.process_time() - cpu_started) / per)
            wall.append((time.perf_counter() - started) / per)
    return timing, old_ratio(timing)


async def atimed(
    setup: Setup,
    sdk: Callable[[], Awaitable[object]],
    raw: Callable[[], Awaitable[object]],
    rounds: int,
    per: int,
) -> tuple[run.Timing, float]:
    if setup.new_timing:
        timing = await run.apaired(sdk, raw, rounds=rounds, per_round=per)
        return timing, statistics.median(timing.ratios)
    await sdk()
    await raw()
    timing = run.Timing()
    for _ in range(rounds):
        for fn, (wall, cpu) in zip((sdk, raw), timing.sides(True), strict=True):
            gc.collect()
            started, cpu_started = time.perf_counter(), time.process_time()
            await fn()
            cpu.append((time.process_time() - cpu_started) / per)
            wall.append((time.perf_counter() - started) / per)
    return timing, old_ratio(timing)


def raw_kwargs(setup: Setup, base: str) -> tuple[dict[str, Any], str]:
    """Client arguments and the URL prefix of the raw side for this setup."""
    if setup.fair_baseline:
        return {"headers": run.RAW_HEADERS, "timeout": run.TIMEOUT}, base
    return {"base_url": base, "headers": OLD_HEADERS}, ""


def sync_get(setup: Setup, base: str, rounds: int, n: int) -> tuple[run.Timing, float]:
    kwargs, prefix = raw_kwargs(setup, base)
    url = f"{prefix}/v1/documents/{_payloads.DOC_ID}"
    with Numora(api_key=API_KEY, base_url=base) as client, httpx.Client(**kwargs) as http:
        retrieve = client.documents.retrieve

        def sdk() -> None:
            for _ in range(n):
                retrieve(_payloads.DOC_ID)

        def raw() -> None:
            for _ in range(n):
                response = http.get(url, headers={"x-request-id": run.request_id()})
                response.raise_for_status()
                response.json()

        return timed(setup, sdk, raw, rounds, n)


def async_get(setup: Setup, base: str, rounds: int, n: int) -> tuple[run.Timing, float]:
    kwargs, prefix = raw_kwargs(setup, base)
    url = f"{prefix}/v1/documents/{_payloads.DOC_ID}"

    async def main() -> tuple[run.Timing, float]:
        async with (
            AsyncNumora(api_key=API_KEY, base_url=base) as client,
            httpx.AsyncClient(**kwargs) as http,
        ):
            retrieve = client.documents.retrieve

            async def sdk() -> None:
                for _ in range(n):
                    await retrieve(_payloads.DOC_ID)

            async def raw() -> None:
                for _ in range(n):
                    response = await http.get(url, headers={"x-request-id": run.request_id()})
                    response.raise_for_status()
                    response.json()

            return await atimed(setup, sdk, raw, rounds, n)

    return asyncio.run(main())


def paging(setup: Setup, base: str, rounds: int, n: int) -> tuple[run.Timing, float]:
    kwargs, prefix = raw_kwargs(setup, base)
    url = f"{prefix}/v1/documents"
    with Numora(api_key=API_KEY, base_url=base) as client, httpx.Client(**kwargs) as http:

        def sdk() -> None:
            for _doc in client.documents.list(limit=100):
                pass

        def raw() -> None:
            params: dict[str, Any] = {"limit": 100}
            while True:
                response = http.get(url, params=params, headers={"x-request-id": run.request_id()})
                response.raise_for_status()
                page = response.json()
                for _item in page["data"]:
                    pass
                if not page.get("next_cursor"):
                    return
                params = {"limit": 100, "cursor": page["next_cursor"]}

        return timed(setup, sdk, raw, max(rounds // 2, 3), 1)


def old_result_body() -> bytes:
    """The earlier ``scripts/bench_result_parse.py`` payload: the same values on every line."""
    line = {
        "description": "Consulting services, March",
        "quantity": 3,
        "unit_price": 12.5,
        "amount": 37.5,
        "sku": "SKU-0042",
        "tax_rate": 0.19,
        "unit": "hours",
        "discount": None,
    }
    fields = {k: {"value": v, "confidence": 0.93} for k, v in line.items()}
    body = {
        "id": "doc_01jpwq8x4r2m3n",
        "schema": "invoice_v2",
        "status": "review_required",
        "review_state": None,
        "confidence": 0.91,
        "fields": {f"field_{i}": {"value": f"v{i}", "confidence": 0.93} for i in range(10)},
        "line_items": [{"id": f"li_{i}", "fields": fields} for i in range(1, 1001)],
        "duplicate_of": None,
    }
    return json.dumps(body).encode()


def parse_rows(rounds: int) -> list[tuple[str, float, float, float, float]]:
    out = []
    for name, body, new in (
        ("0 earlier payload (repeated values), earlier timing", old_result_body(), False),
        ("1 + varied values", _payloads.dumps(_payloads.result(1000)), False),
        ("2 + alternating, paired (= run.py)", _payloads.dumps(_payloads.result(1000)), True),
    ):
        setup = Setup(name, "", fair_baseline=True, new_timing=new)

        def sdk(body: bytes = body) -> None:
            for _ in range(5):
                DocumentResult.from_json(body)

        def raw(body: bytes = body) -> None:
            for _ in range(5):
                json.loads(body)

        timing, ratio = timed(setup, sdk, raw, rounds * 3, 5)
        a, b = statistics.median(timing.a), statistics.median(timing.b)
        out.append((name, a, b, ratio, cpu_ratio(timing)))
    return out


def import_rows(runs: int, ready: str) -> list[tuple[str, float, float, float, float]]:
    cases = [
        (
            "0 earlier: `from numora import Numora` vs httpx + BaseModel, no bytecode cache",
            "from numora import Numora",
            "import httpx; from pydantic import BaseModel",
            False,
        ),
        (
            "1 + what the first retrieve() needs (ready), no bytecode cache",
            f"import {ready}",
            f"import {run.READY_BASE}",
            False,
        ),
        (
            "2 + compiled bytecode, as installed from a wheel (= run.py)",
            f"import {ready}",
            f"import {run.READY_BASE}",
            True,
        ),
    ]
    out = []
    with tempfile.TemporaryDirectory() as pycache:
        compiled = run._fresh_env(pycache)
        plain = dict(os.environ)
        for name, sdk, raw, use_cache in cases:
            env = compiled if use_cache else plain
            run._fresh_seconds(sdk, env)
            run._fresh_seconds(raw, env)
            timing = run.Timing()
            for sdk_first in run._order(runs):
                statements = (sdk, raw) if sdk_first else (raw, sdk)
                for statement, (wall, cpu) in zip(statements, timing.sides(sdk_first), strict=True):
                    seconds, cpu_seconds = run._fresh_seconds(statement, env)
                    wall.append(seconds)
                    cpu.append(cpu_seconds)
            a, b = statistics.median(timing.a), statistics.median(timing.b)
            out.append((name, a, b, statistics.median(timing.ratios), cpu_ratio(timing)))
    return out


def share(load: Load) -> str:
    value = load.share
    return "unknown" if value is None else f"{value:.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--only", nargs="+", choices=("get", "paging", "parse", "import"))
    args = parser.parse_args()
    which = args.only or ["get", "paging", "parse", "import"]
    print(f"at start: {load_average()}")
    meter = CpuMeter()
    print(
        "| measure | setup | numora | raw | ratio | client CPU ratio | other CPU |\n"
        "|---|---|---|---|---|---|---|"
    )
    for setup in GET_SETUPS:
        if not {"get", "paging"} & set(which):
            break
        with server(setup.server, meter) as base:
            measures: list[tuple[str, Callable[..., tuple[run.Timing, float]], Callable]] = []
            if "get" in which:
                measures += [("sync GET", sync_get, run.us), ("async GET", async_get, run.us)]
            if "paging" in which:
                measures.append(("iterate 20,000", paging, run.ms))
            for label, fn, fmt in measures:
                meter.start()
                timing, ratio = fn(setup, base, args.rounds, args.calls)
                load = meter.stop()
                print(
                    f"| {label} | {setup.name} | {fmt(statistics.median(timing.a))} | "
                    f"{fmt(statistics.median(timing.b))} | {ratio:.2f}x | "
                    f"{cpu_ratio(timing):.2f}x | {share(load)} |",
                    flush=True,
                )
    if "parse" in which:
        meter.start()
        rows = parse_rows(args.rounds)
        load = meter.stop()
        for name, a, b, ratio, cpu in rows:
            print(
                f"| parse result | {name} | {run.ms(a)} | {run.ms(b)} | {ratio:.2f}x | "
                f"{cpu:.2f}x | {share(load)} |"
            )
    if "import" in which:
        meter.start()
        with server("uvicorn", CpuMeter()) as base:
            ready = run.ready_modules(base)
        rows = import_rows(max(args.rounds, 5), ready)
        load = meter.stop()
        for name, a, b, ratio, cpu in rows:
            print(
                f"| start-up | {name} | {run.ms(a)} | {run.ms(b)} | {ratio:.2f}x | "
                f"{cpu:.2f}x | {share(load)} |"
            )
    print(f"at end: {load_average()}")


if __name__ == "__main__":
    main()
