"""Where the time of one benchmark row goes, for numora and for raw httpx.

``python benchmarks/profile_rows.py ROW [--side sdk|raw|both] [--tool cprofile|pyinstrument]``

ROW is ``sync_get``, ``async_get``, ``async_concurrent`` (``--calls`` GETs spread over 100
tasks at once, as run.py's row), ``iterate``, ``parse`` or ``startup``. The per-call rows
run the same code as ``run.py`` against the same uvicorn server, under cProfile with a CPU-time
clock (so other processes on the machine do not inflate any function), and print the
functions by their own time in µs per operation (one call, one item, one parse). cProfile
slows Python code down, more so code made of many small calls: read the figures as shares,
and the benchmark for absolute times. ``--tool pyinstrument`` prints a sampled call tree
instead (needs the ``bench`` extra).

``startup`` runs ``python -X importtime`` in fresh processes (compiled bytecode, in a venv
holding only numora and its runtime dependencies, as run.py) and prints the median self time
per module, summed by package, for numora's ready-for-the-first-call imports and for
``import httpx, pydantic.main``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _payloads  # noqa: E402
import run  # noqa: E402
from _load import CpuMeter  # noqa: E402

from numora import AsyncNumora, Numora  # noqa: E402
from numora.types import DocumentResult  # noqa: E402

DOC_ID = _payloads.DOC_ID
WORKERS = 100  # async_concurrent's tasks at once


def workloads(base: str, calls: int) -> dict[str, tuple[Callable[[], Any], Callable[[], Any], int]]:
    """name -> (numora, raw httpx, operations per run)."""
    client = Numora(api_key=run.API_KEY, base_url=base)
    http = run.raw_client()
    url = f"{base}/v1/documents/{DOC_ID}"

    def sdk_get() -> None:
        for _ in range(calls):
            client.documents.retrieve(DOC_ID)

    def raw_get() -> None:
        for _ in range(calls):
            response = http.get(url, headers={"x-request-id": run.request_id()})
            response.raise_for_status()
            response.json()

    async def asdk_get() -> None:
        async with AsyncNumora(api_key=run.API_KEY, base_url=base) as aclient:
            for _ in range(calls):
                await aclient.documents.retrieve(DOC_ID)

    async def araw_get() -> None:
        async with run.raw_async_client() as ahttp:
            for _ in range(calls):
                response = await ahttp.get(url, headers={"x-request-id": run.request_id()})
                response.raise_for_status()
                response.json()

    async def concurrently(call: Callable[[], Any]) -> None:
        async def worker(calls: int) -> None:
            for _ in range(calls):
                await call()

        await asyncio.gather(*(worker(1) for _ in range(WORKERS)))  # the pool's connections
        await asyncio.gather(*(worker(calls // WORKERS) for _ in range(WORKERS)))

    async def asdk_concurrent() -> None:
        async with AsyncNumora(api_key=run.API_KEY, base_url=base) as aclient:
            await concurrently(lambda: aclient.documents.retrieve(DOC_ID))

    async def araw_concurrent() -> None:
        async with run.raw_async_client() as ahttp:

            async def call() -> None:
                response = await ahttp.get(url, headers={"x-request-id": run.request_id()})
                response.raise_for_status()
                response.json()

            await concurrently(call)

    def sdk_iterate() -> None:
        run.sdk_walk(client)

    def raw_iterate() -> None:
        run.raw_walk(http, base)

    body = _payloads.dumps(_payloads.result(1_000))

    def sdk_parse() -> None:
        for _ in range(20):
            DocumentResult.from_json(body)

    def raw_parse() -> None:
        for _ in range(20):
            json.loads(body)

    return {
        "sync_get": (sdk_get, raw_get, calls),
        "async_get": (lambda: asyncio.run(asdk_get()), lambda: asyncio.run(araw_get()), calls),
        "async_concurrent": (
            lambda: asyncio.run(asdk_concurrent()),
            lambda: asyncio.run(araw_concurrent()),
            calls + WORKERS,
        ),
        "iterate": (sdk_iterate, raw_iterate, 20_000),
        "parse": (sdk_parse, raw_parse, 20),
    }


Profile = dict[str, tuple[float, float, float]]  # function -> (own, cumulative, calls) per op


def cprofile(fn: Callable[[], Any], operations: int) -> Profile:
    """Run ``fn`` under cProfile (CPU-time clock); per-operation figures per function."""
    fn()  # warm up
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    fn()
    profile.disable()
    stats = pstats.Stats(profile)
    out: Profile = {}
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.split("site-packages/")[-1].split("/src/")[-1].split("/lib/python3")[-1]
        out[f"{where}:{line}({name})"] = (
            tottime / operations * 1e6,
            cumtime / operations * 1e6,
            ncalls / operations,
        )
    return out


def show(profile: Profile, top: int) -> None:
    total = sum(own for own, _, _ in profile.values())
    print(f"  total {total:,.1f} µs per operation (profiled, CPU time)")
    print(f"  {'own µs/op':>10} {'cum µs/op':>10} {'calls/op':>9}  function")
    for label, (own, cum, calls) in sorted(profile.items(), key=lambda kv: -kv[1][0])[:top]:
        print(f"  {own:10.2f} {cum:10.2f} {calls:9.2f}  {label}")


def show_difference(sdk: Profile, raw: Profile, top: int) -> None:
    """Functions by how much more own time (and calls) numora spends in them than raw."""
    total = sum(v[0] for v in sdk.values()) - sum(v[0] for v in raw.values())
    print(f"\n== numora minus raw httpx: {total:+,.1f} µs per operation (profiled)")
    print(f"  {'Δ own µs':>9} {'Δ calls':>8} {'numora cum':>10}  function")
    names = set(sdk) | set(raw)
    zero = (0.0, 0.0, 0.0)
    diff = [
        (sdk.get(n, zero)[0] - raw.get(n, zero)[0], sdk.get(n, zero)[2] - raw.get(n, zero)[2], n)
        for n in names
    ]
    for own, calls, name in sorted(diff, reverse=True)[:top]:
        print(f"  {own:+9.2f} {calls:+8.2f} {sdk.get(name, zero)[1]:10.2f}  {name}")


def instrument(fn: Callable[[], Any]) -> None:
    from pyinstrument import Profiler

    fn()
    profiler = Profiler(interval=0.0001)
    profiler.start()
    fn()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def importtime(
    statement: str, runs: int, env: dict[str, str], python: str = sys.executable
) -> dict[str, float]:
    """Median self time (s) per module over ``runs`` fresh processes."""
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs + 1):
        out = subprocess.run(  # noqa: S603
            [python, "-X", "importtime", "-c", f"{run.WITHOUT_HTTPX_CLI}; {statement}"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        seen = {}
        for line in out.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _cumulative, name = line.removeprefix("import time:").split("|")
            seen[name.strip()] = int(self_us) / 1e6
        for name, value in seen.items():
            samples[name].append(value)
    # the first run compiled the bytecode: drop it
    return {name: statistics.median(values[1:] or values) for name, values in samples.items()}


def package(module: str) -> str:
    top = module.split(".", maxsplit=1)[0]
    if module.startswith("numora."):
        return ".".join(module.split(".")[:2])
    return (
        top
        if top in ("numora", "pydantic", "pydantic_core", "httpx", "httpcore")
        else (
            top if top in sys.stdlib_module_names or top.startswith("_") else f"{top} (3rd party)"
        )
    )


def startup(runs: int, top: int) -> None:
    # in run.py's environment for the start-up rows: numora and its runtime dependencies only
    with run.plain_install() as python, tempfile.TemporaryDirectory() as pycache:
        with run.server("uvicorn", CpuMeter()) as base:
            ready = run.ready_statement(base, python)
        env = run._fresh_env(pycache)
        numora = importtime(ready, runs, env, python)
        base = importtime(f"import {run.READY_BASE}", runs, env, python)
    for label, times in (("numora ready", numora), ("httpx, pydantic.main", base)):
        total = sum(times.values())
        by_package: dict[str, float] = defaultdict(float)
        for name, value in times.items():
            by_package[package(name)] += value
        print(f"\n{label}: {total * 1e3:.1f} ms of imports (-X importtime, median self times)")
        for name, value in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
            print(f"  {value * 1e3:7.1f} ms  {name}")
    extra = {name: numora[name] - base.get(name, 0.0) for name in numora}
    print("\nmodules numora's ready set adds (self time):")
    for name, value in sorted(extra.items(), key=lambda kv: -kv[1])[:top]:
        if value > 0.0002:
            print(f"  {value * 1e3:7.2f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "row",
        choices=("sync_get", "async_get", "async_concurrent", "iterate", "parse", "startup"),
    )
    parser.add_argument("--side", choices=("sdk", "raw", "both"), default="both")
    parser.add_argument("--tool", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes for startup")
    args = parser.parse_args()
    if args.row == "startup":
        startup(args.runs, args.top)
        return
    meter = CpuMeter()
    with run.server("uvicorn", meter) as base:
        sdk, raw, operations = workloads(base, args.calls)[args.row]
        sides = {"sdk": [("numora", sdk)], "raw": [("raw httpx", raw)]}.get(
            args.side, [("numora", sdk), ("raw httpx", raw)]
        )
        profiles = []
        for label, fn in sides:
            print(f"\n== {args.row}, {label}")
            if args.tool == "cprofile":
                profiles.append(cprofile(fn, operations))
                show(profiles[-1], args.top)
            else:
                instrument(fn)
        if len(profiles) == 2:
            show_difference(*profiles, args.top)


if __name__ == "__main__":
    main()
