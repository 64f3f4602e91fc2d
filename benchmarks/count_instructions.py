"""numora against raw httpx in CPU instructions: a measure other processes cannot disturb.

``python benchmarks/count_instructions.py [get aget iterate parse startup]`` (needs valgrind)

On a shared machine wall-clock figures move with other processes' work; the number of
instructions the client executes does not. Each workload runs in a fresh interpreter under
``valgrind --tool=cachegrind --cache-sim=no`` twice, with a small and a large number of
operations; the difference divided by the difference in operations is the client's
instructions per operation, start-up and warm-up excluded. The server (uvicorn, as in
``run.py``) runs outside valgrind. ``startup`` counts the instructions of the import
statements of ``run.py``'s start-up rows, minus those of ``pass``, with compiled bytecode and
without httpx's command-line extras (``run.WITHOUT_HTTPX_CLI``), in a fresh venv holding only
numora and its runtime dependencies (``run.plain_install``), as ``run.py`` runs them.

Instructions are not time: a cache miss or a system call costs more than an instruction,
and the server's share of a call is not counted, so wall-time ratios (``run.py``) are
closer to 1 than these. Use this to compare numora with raw httpx and one numora change
with another when no quiet machine is at hand; report ``run.py``'s figures.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _payloads  # noqa: E402
import run  # noqa: E402
from _load import CpuMeter  # noqa: E402

# workload -> (small, large) operation counts, and operations per unit reported
SIZES = {"get": (20, 120, 1), "aget": (20, 120, 1), "iterate": (2, 12, 100), "parse": (1, 4, 1)}


def work(name: str, n: int, base: str) -> None:
    """Run ``n`` operations of one workload (``sdk_get``, ``raw_parse``, ...), after warm-up."""
    from numora import AsyncNumora, Numora
    from numora.types import DocumentResult

    url = f"{base}/v1/documents/{run.DOC_ID}"
    side, what = name.split("_", 1)
    if what == "aget":

        async def main() -> None:
            async with (
                AsyncNumora(api_key=run.API_KEY, base_url=base) as client,
                run.raw_async_client() as http,
            ):
                for _ in range(3 + n):
                    if side == "sdk":
                        await client.documents.retrieve(run.DOC_ID)
                    else:
                        response = await http.get(url, headers={"x-request-id": run.request_id()})
                        response.raise_for_status()
                        response.json()

        asyncio.run(main())
        return
    client = Numora(api_key=run.API_KEY, base_url=base)
    http = run.raw_client()
    if what == "iterate":
        # run.py's walk: one iteration over distinct pages of 100 items, cursor to cursor (a
        # page fetched again would let pydantic-core's string cache hit on every value).
        if side == "sdk":
            run.sdk_walk(client, (3 + n) * 100)
        else:
            run.raw_walk(http, base, (3 + n) * 100)
        return
    body = _payloads.dumps(_payloads.result(1_000))
    for _ in range(3 + n):
        if what == "get" and side == "sdk":
            client.documents.retrieve(run.DOC_ID)
        elif what == "get":
            response = http.get(url, headers={"x-request-id": run.request_id()})
            response.raise_for_status()
            response.json()
        elif side == "sdk":
            DocumentResult.from_json(body)
        else:
            json.loads(body)


def instructions(args: list[str], env: dict[str, str], python: str = sys.executable) -> int:
    out = subprocess.run(  # noqa: S603
        [  # noqa: S607  (valgrind from PATH)
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            python,
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if not found:
        raise SystemExit(f"valgrind failed:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_operation(name: str, base: str, env: dict[str, str]) -> float:
    small, large, unit = SIZES[name.split("_", 1)[1]]
    script = [str(Path(__file__).resolve()), "--work", name]
    low = instructions([*script, str(small), base], env)
    high = instructions([*script, str(large), base], env)
    return (high - low) / (large - small) / unit


def startup(env: dict[str, str], base: str, python: str) -> None:
    pairs = run.startup_statements(base, python)
    rows = {
        "ready for the first call (vs `import httpx, pydantic.main`)": pairs["ready"],
        "import, client and a first retrieve() end to end (vs raw httpx)": pairs["first_call"],
        "`from numora import Numora` (lazy)": pairs["lazy"],
    }
    statements = sorted({s for pair in rows.values() for s in pair})
    plain = {s: f"{run.WITHOUT_HTTPX_CLI}; {s}" for s in [*statements, "pass"]}
    for statement in plain.values():  # compile the bytecode once
        subprocess.run([python, "-c", statement], env=env, check=True)  # noqa: S603
    empty = instructions(["-c", plain["pass"]], env, python)
    counts = {s: instructions(["-c", plain[s]], env, python) - empty for s in statements}
    for name, (sdk, raw) in rows.items():
        a, b = counts[sdk], counts[raw]
        row = f"| start-up: {name} | {a / 1e6:,.0f} M | {b / 1e6:,.0f} M | {a / b:.3f}x |"
        print(row, flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--work":
        work(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    wanted = sys.argv[1:] or ["get", "aget", "iterate", "parse", "startup"]
    env = dict(os.environ, PYTHONHASHSEED="0")
    print("| measure | numora | raw httpx | ratio |\n|---|---|---|---|", flush=True)
    with run.server("uvicorn", CpuMeter()) as base:
        for name in wanted:
            if name == "startup":
                continue
            sdk = per_operation(f"sdk_{name}", base, env)
            raw = per_operation(f"raw_{name}", base, env)
            unit = "item" if name == "iterate" else "call"
            print(
                f"| {name} (per {unit}) | {sdk:,.0f} | {raw:,.0f} | {sdk / raw:.3f}x |", flush=True
            )
        if "startup" in wanted:
            with (
                run.plain_install() as python,
                tempfile.TemporaryDirectory(prefix="numora-bench-pyc-") as pycache,
            ):
                startup({**run._fresh_env(pycache), "PYTHONHASHSEED": "0"}, base, python)


if __name__ == "__main__":
    main()
