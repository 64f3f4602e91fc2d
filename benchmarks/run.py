"""numora against raw httpx, in one run: ``python benchmarks/run.py [--quick]``.

Needs the ``bench`` extra (``pip install -e ".[bench]"``: uvicorn, httptools, uvloop).

* **Server**: uvicorn in its own process (``_asgi_server.py``) serving realistic bodies
  (``_payloads.py``: 15-field documents with varied values, pages of 100, a result with
  1,000 varied line items), with the headers the API sends (request id echoed, rate limits,
  date, server).
* **Raw httpx does the same work**: one ``httpx.Client`` with the same pool settings (httpx's
  defaults, the same timeout, no redirects), the same ``Authorization``, ``User-Agent`` and
  ``Accept`` headers, a fresh ``x-request-id`` per call, the absolute URL, then
  ``raise_for_status()`` and ``response.json()``. numora returns typed models where raw httpx
  returns plain dicts and lists: building those models is part of numora's cost, and so is
  the one header it adds (``x-numora-retry-count``).
* **Timing**: rounds of N calls, numora and raw httpx alternating A B B A A B ..., a garbage
  collection before each round. Reported: the median time per call of each side and the
  median of the per-round ratios (with their range), so slow drift of the machine cancels.
  The client's CPU time is measured too: its ratio ("client CPU") is numora's own work
  against raw httpx's, without the server's share, and moves much less when other processes
  compete for the CPU; the targets apply to the wall-time ratio, what users feel.
* **Start-up**: a fresh process per measurement, timing the import statement inside it
  (interpreter start excluded), with compiled bytecode as an installed wheel has it, and
  without httpx's command-line extras (click, pygments, rich), as beside a plain install.
* **Load**: other processes' CPU use is measured during every row (``_load.py``); a row
  taken while they used more than 10% of a core is marked not reportable.

Run by hand; it is not a test. Exits 1 when a reportable figure misses its target.
The figures are in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import hmac
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import tracemalloc
import venv
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pydantic

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _payloads  # noqa: E402  (a sibling module of this script)
from _load import QUIET_LIMIT, CpuMeter, Load, load_average  # noqa: E402

import numora  # noqa: E402
from numora import AsyncNumora, Numora, webhooks  # noqa: E402
from numora._config import POOL_LIMITS, USER_AGENT  # noqa: E402
from numora.types import DocumentResult  # noqa: E402

API_KEY = "sk_test_benchmark_key_0123456789"
DOC_ID = _payloads.DOC_ID
CREATE = {"schema": "invoice_v2", "file_url": "https://files.example/a.pdf", "external_id": "e-1"}
TIMEOUT = httpx.Timeout(60.0, connect=5.0)  # numora's default, given to raw httpx too

# What a first `client.documents.retrieve(...)` needs loaded (issue 16's list); any other
# numora module a first call loads, and any model validator it builds, is found and added by
# first_call_needs().
READY_MODULES = "numora, numora._client, numora.types, numora.resources, numora.resources.documents"
READY_BASE = "httpx, pydantic.main"

# Run in a fresh process: import READY_MODULES, make a first retrieve(), print the numora
# modules it loaded and the numora models whose validators it built (pydantic builds a
# model deferred with `defer_build` on its first validation).
_NEEDS = """\
import sys
import {modules}
from numora._models import NumoraModel


def built():
    found, todo = set(), [NumoraModel]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__dict__.get("__pydantic_complete__"):
            found.add(f"{{cls.__module__}}.{{cls.__qualname__}}")
    return found


modules, models = set(sys.modules), built()
from numora import Numora

Numora(api_key={key!r}, base_url={base!r}).documents.retrieve({doc!r})
print(" ".join(sorted(m for m in set(sys.modules) - modules if m.startswith("numora"))))
print(" ".join(sorted(built() - models)))
"""


def first_call_needs(base: str, python: str = sys.executable) -> tuple[str, list[str]]:
    """What a first ``retrieve()`` needs: the modules, and the models it builds.

    The modules are :data:`READY_MODULES` plus any numora module the call loads beyond them
    (e.g. ``numora._arguments``); the models (``numora.types.Document``) are those whose
    validators the call builds because their building was deferred. Checked in a fresh
    process against the server, so the start-up headline keeps covering everything the
    first call needs as the code changes.
    """
    code = _NEEDS.format(modules=READY_MODULES, key=API_KEY, base=base, doc=DOC_ID)
    out = subprocess.run(  # noqa: S603  (this interpreter, a fixed statement)
        [python, "-c", code], capture_output=True, text=True, check=True
    )
    loaded, models = [*out.stdout.splitlines(), "", ""][:2]
    return ", ".join([READY_MODULES, *loaded.split()]), models.split()


def ready_modules(base: str, python: str = sys.executable) -> str:
    """The modules of :func:`first_call_needs`, for ``import``."""
    return first_call_needs(base, python)[0]


def ready_statement(base: str, python: str = sys.executable) -> str:
    """Import what a first ``retrieve()`` loads and build the validators it builds.

    Work a first call does outside imports (a validator whose building was deferred, and
    pydantic's plugin discovery with the first one) is ready-for-the-first-call work too.
    """
    modules, models = first_call_needs(base, python)
    return "; ".join([f"import {modules}", *(f"{model}.model_rebuild()" for model in models)])


def request_id() -> str:
    """A fresh id per call, as numora and a careful raw-httpx user send."""
    return "req_" + os.urandom(12).hex()


# --- rows and the report ------------------------------------------------------------------


@dataclass
class Row:
    """One line of the report."""

    measure: str
    sdk: str
    raw: str
    ratio: float | None
    target: str  # "info" for rows without a target
    ok: bool | None  # None: not measured (yet)
    note: str = ""
    load: Load | None = None
    spread: tuple[float, float] | None = None  # range of the per-round ratios
    cpu_ratio: float | None = None  # median per-round ratio of the client's CPU time

    @property
    def reportable(self) -> bool | None:
        return None if self.load is None else self.load.quiet

    def result(self) -> str:
        if self.target == "info":
            return ""
        if self.ok is None:
            return "pending"
        verdict = "pass" if self.ok else "MISS" + self._missed_by()
        if self.reportable is False:
            return f"({verdict}) not reportable: busy"
        return verdict

    def _missed_by(self) -> str:
        """`` by 0.29x`` for a ratio row past its limit (the page must say by how much)."""
        limit = re.match(r"([≤≥]) ([0-9.]+)x", self.target)
        if self.ratio is None or limit is None:
            return ""
        return f" by {abs(self.ratio - float(limit[2])):.2f}x"


@dataclass(frozen=True)
class Sizes:
    """How much work each measure does (``--quick`` divides it)."""

    rounds: int
    get_calls: int
    post_calls: int
    async_calls: int
    concurrent_calls: int
    items: int
    page_rounds: int
    parse_rounds: int
    imports: int
    verifies: int


FULL = Sizes(
    rounds=10,
    get_calls=1_000,
    post_calls=500,
    async_calls=1_000,
    concurrent_calls=300,
    items=20_000,
    page_rounds=8,
    parse_rounds=30,
    imports=15,
    verifies=20_000,
)
QUICK = Sizes(
    rounds=4,
    get_calls=300,
    post_calls=200,
    async_calls=300,
    concurrent_calls=300,
    items=20_000,
    page_rounds=4,
    parse_rounds=10,
    imports=5,
    verifies=5_000,
)


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


@dataclass
class Timing:
    """Paired rounds of numora (a) and the baseline (b), seconds per operation."""

    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)
    a_cpu: list[float] = field(default_factory=list)  # the client's CPU time, same rounds
    b_cpu: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [x / y for x, y in zip(self.a, self.b, strict=True)]

    def sides(self, sdk_first: bool) -> tuple[tuple[list[float], list[float]], ...]:
        order = ((self.a, self.a_cpu), (self.b, self.b_cpu))
        return order if sdk_first else order[::-1]

    @property
    def cpu_ratio(self) -> float | None:
        if not self.a_cpu or not self.b_cpu:
            return None
        pairs = zip(self.a_cpu, self.b_cpu, strict=True)
        return statistics.median(x / y if y > 0 else float("nan") for x, y in pairs)

    def row(
        self,
        measure: str,
        limit: float,
        fmt: Callable[[float], str] = us,
        *,
        at_least: bool = False,
    ) -> Row:
        ratio = statistics.median(self.ratios)
        ok = ratio >= limit if at_least else ratio <= limit
        target = f"{'≥' if at_least else '≤'} {limit:.2f}x"
        spread = (min(self.ratios), max(self.ratios))
        return Row(
            measure,
            fmt(statistics.median(self.a)),
            fmt(statistics.median(self.b)),
            ratio,
            target,
            ok,
            spread=spread,
            cpu_ratio=self.cpu_ratio,
        )


def _order(rounds: int) -> Iterator[bool]:
    """True when numora goes first: A B, B A, A B, ... so neither side always leads."""
    for i in range(rounds):
        yield i % 2 == 0


def paired(
    sdk: Callable[[], object], raw: Callable[[], object], *, rounds: int, per_round: int
) -> Timing:
    """Time ``sdk`` and ``raw`` in alternating order; each call does ``per_round`` operations."""
    sdk()  # warm up: connections, imports, caches
    raw()
    timing = Timing()
    for sdk_first in _order(rounds):
        fns = (sdk, raw) if sdk_first else (raw, sdk)
        for fn, (wall, cpu) in zip(fns, timing.sides(sdk_first), strict=True):
            gc.collect()
            started, cpu_started = time.perf_counter(), time.process_time()
            fn()
            cpu.append((time.process_time() - cpu_started) / per_round)
            wall.append((time.perf_counter() - started) / per_round)
    return timing


async def apaired(
    sdk: Callable[[], Awaitable[object]],
    raw: Callable[[], Awaitable[object]],
    *,
    rounds: int,
    per_round: int,
) -> Timing:
    """The async twin of :func:`paired`."""
    await sdk()
    await raw()
    timing = Timing()
    for sdk_first in _order(rounds):
        fns = (sdk, raw) if sdk_first else (raw, sdk)
        for fn, (wall, cpu) in zip(fns, timing.sides(sdk_first), strict=True):
            gc.collect()
            started, cpu_started = time.perf_counter(), time.process_time()
            await fn()
            cpu.append((time.process_time() - cpu_started) / per_round)
            wall.append((time.perf_counter() - started) / per_round)
    return timing


# --- the server ---------------------------------------------------------------------------


@contextmanager
def server(kind: str, meter: CpuMeter) -> Iterator[str]:
    """Start the API server in its own process; yield its base URL (the host, no /v1)."""
    script = {"uvicorn": ["_asgi_server.py"], "canned": ["_server.py", "--payload", "realistic"]}
    proc = subprocess.Popen(  # noqa: S603  (this interpreter, our own script)
        [sys.executable, *script[kind]],
        cwd=HERE,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    meter.server_pids.append(proc.pid)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        meter.server_pids.remove(proc.pid)
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


RAW_HEADERS = {
    "Authorization": f"Bearer {API_KEY}",
    "User-Agent": USER_AGENT,
    "Accept": "application/json",
}


def raw_client() -> httpx.Client:
    """Raw httpx as numora configures its own pool: defaults, same timeout, no redirects."""
    return httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT, follow_redirects=False)


def raw_async_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT, follow_redirects=False)


# --- per call -----------------------------------------------------------------------------


def sync_get(base: str, size: Sizes) -> list[Row]:
    n = size.get_calls
    url = f"{base}/v1/documents/{DOC_ID}"
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client() as http:
        retrieve = client.documents.retrieve

        def sdk() -> None:
            for _ in range(n):
                retrieve(DOC_ID)

        def raw() -> None:
            for _ in range(n):
                response = http.get(url, headers={"x-request-id": request_id()})
                response.raise_for_status()
                response.json()

        timing = paired(sdk, raw, rounds=size.rounds, per_round=n)
    return [timing.row(f"sync GET one object, keep-alive ({n:,} calls)", 1.05)]


def sync_post(base: str, size: Sizes) -> list[Row]:
    n = size.post_calls
    url = f"{base}/v1/documents"
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client() as http:
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
                response = http.post(url, json=CREATE, headers={"x-request-id": request_id()})
                response.raise_for_status()
                response.json()

        timing = paired(sdk, raw, rounds=size.rounds, per_round=n)
    return [timing.row(f"sync POST create ({n:,} calls)", 1.15)]


def async_get(base: str, size: Sizes) -> list[Row]:
    n = size.async_calls
    url = f"{base}/v1/documents/{DOC_ID}"

    async def main() -> Timing:
        async with (
            AsyncNumora(api_key=API_KEY, base_url=base) as client,
            raw_async_client() as http,
        ):

            async def sdk() -> None:
                for _ in range(n):
                    await client.documents.retrieve(DOC_ID)

            async def raw() -> None:
                for _ in range(n):
                    response = await http.get(url, headers={"x-request-id": request_id()})
                    response.raise_for_status()
                    response.json()

            return await apaired(sdk, raw, rounds=size.rounds, per_round=n)

    timing = asyncio.run(main())
    return [timing.row(f"async GET, sequential awaits ({n:,} calls)", 1.05)]


def async_concurrent(base: str, size: Sizes) -> list[Row]:
    """100 tasks at once sharing one client, against raw httpx with the same pool.

    numora's pool keeps all of its 100 connections alive (``numora._config.POOL_LIMITS``),
    httpx's default keeps 20 and closes the others as they fall idle. At this concurrency the
    two policies cost differently inside httpcore (each request scans the pool, and each
    idle connection it finds scans it again), so the target row gives raw httpx numora's
    limits, and an info row shows raw httpx with its own defaults.

    A round is 300 calls (under a second), so neither pool sits idle for 5 s while the other
    side runs: past that, httpx's ``keepalive_expiry`` and uvicorn's keep-alive (5 s each)
    close its 100 connections, and reopening 100 at once cost ~4.5 s of client CPU per 1,000
    calls, on whichever side ran second in a round (rounds of 1,000 calls swung from 0.3x to
    4x with the order; with both keep-alives raised the swing went away).
    """
    n, workers = size.concurrent_calls, 100
    errors = {"sdk": 0, "raw": 0, "default": 0}
    url = f"{base}/v1/documents/{DOC_ID}"

    async def spread(call: Callable[[], Awaitable[object]], who: str) -> None:
        async def worker() -> None:
            for _ in range(n // workers):
                try:
                    await call()
                except Exception:
                    errors[who] += 1

        await asyncio.gather(*(worker() for _ in range(workers)))

    async def main() -> tuple[Timing, Timing]:
        async with (
            AsyncNumora(api_key=API_KEY, base_url=base) as client,
            httpx.AsyncClient(
                headers=RAW_HEADERS, timeout=TIMEOUT, follow_redirects=False, limits=POOL_LIMITS
            ) as http,
            raw_async_client() as default_http,
        ):

            def raw_call(pool: httpx.AsyncClient) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    response = await pool.get(url, headers={"x-request-id": request_id()})
                    response.raise_for_status()
                    response.json()

                return call

            async def sdk() -> None:
                await spread(lambda: client.documents.retrieve(DOC_ID), "sdk")

            async def raw() -> None:
                await spread(raw_call(http), "raw")

            async def raw_default() -> None:
                await spread(raw_call(default_http), "default")

            # Short rounds are noisier: three times as many of them.
            same = await apaired(sdk, raw, rounds=3 * size.rounds, per_round=n)
            default = await apaired(sdk, raw_default, rounds=max(2, size.rounds // 2), per_round=n)
            return same, default

    same, default = asyncio.run(main())
    row = same.row(f"async {n:,} calls, {workers} concurrent (same pool)", 1.05)
    row.target += ", 0 errors"
    row.note = f"errors: numora {errors['sdk']}, raw {errors['raw']}; both pools keep 100 alive"
    row.ok = bool(row.ok) and errors["sdk"] == 0
    info = default.row("  the same, raw httpx with its default pool (20 kept alive)", 1.05)
    info.target = "info"
    info.note = f"errors: raw {errors['default']}; fewer idle connections for httpcore to scan"
    return [row, info]


# --- per item -----------------------------------------------------------------------------


def sdk_walk(client: Numora, limit: int | None = None, *, collect: bool = False) -> int:
    """numora's paging: ``limit`` items (all without one) through ``documents.list()``.

    ``collect``: the same walk, collecting garbage at each page boundary (for peak memory).
    """
    seen = 0
    for _doc in client.documents.list(limit=100):
        seen += 1
        if collect and seen % 100 == 0:
            gc.collect()
        if seen == limit:
            break
    return seen


def raw_walk(http: httpx.Client, base: str, limit: int | None = None) -> int:
    """Raw httpx's paging: ``limit`` items (all without one), following ``next_cursor``."""
    url = f"{base}/v1/documents"
    seen = 0
    params: dict[str, Any] = {"limit": 100}
    while True:
        response = http.get(url, params=params, headers={"x-request-id": request_id()})
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


def iterate(base: str, size: Sizes) -> list[Row]:
    total = size.items
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client() as http:

        def sdk(limit: int) -> int:
            # A negative limit: the same walk, collecting garbage at each page boundary.
            return sdk_walk(client, abs(limit), collect=limit < 0)

        def raw(limit: int) -> int:
            return raw_walk(http, base, limit)

        assert sdk(total) == raw(total) == total
        timing = paired(
            lambda: sdk(total), lambda: raw(total), rounds=size.page_rounds, per_round=1
        )
        peaks = {limit: peak_memory(sdk, limit) for limit in (total // 10, total)}
    rows = [timing.row(f"iterate {total:,} items, page size 100", 1.25, ms)]
    small, large = peaks[total // 10], peaks[total]
    growth = large - small
    rows.append(
        Row(
            f"  memory: peak while iterating {total // 10:,} → {total:,} items",
            f"{small / 1024:,.0f} → {large / 1024:,.0f} KiB",
            "",
            None,
            "flat (+≤ 1 MiB)",
            growth <= 1024 * 1024,
            f"numora, traced peak: +{growth / 1024:,.0f} KiB for 10x the items",
        )
    )
    return rows


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


def field_values_checked() -> bool:
    """Whether ``FieldValue`` is checked at run time (a confidence of "hi" is refused)."""
    bad = dict(_payloads.result(1))
    bad["fields"] = {"total": {"value": 1, "confidence": "hi"}}
    try:
        DocumentResult.from_json(_payloads.dumps(bad))
    except ValueError:
        return True
    return False


def result_parse(size: Sizes) -> list[Row]:
    body = _payloads.dumps(_payloads.result(1_000))
    loops = 5
    checked = field_values_checked()

    def sdk() -> None:
        for _ in range(loops):
            DocumentResult.from_json(body)

    def baseline() -> None:
        for _ in range(loops):
            json.loads(body)

    timing = paired(sdk, baseline, rounds=size.parse_rounds, per_round=loops)
    label = "checked" if checked else "NOT checked yet"
    row = timing.row(f"parse a 1,000-line-item result, FieldValue {label}", 1.10, ms)
    row.raw += " (json.loads)"
    row.note = f"{len(body) / 1024:,.0f} KiB body, varied values; " + (
        "every FieldValue is checked at run time"
        if checked
        else "the target is for checked FieldValues (issue 11): pending until they are"
    )
    if not checked:
        row.ok = None
    return [row]


def result_over_http(base: str, size: Sizes) -> list[Row]:
    """The same result fetched and parsed through the client, as information."""
    url = f"{base}/v1/documents/{DOC_ID}/result"
    loops = 5
    with Numora(api_key=API_KEY, base_url=base) as client, raw_client() as http:
        fetch = client.documents.retrieve_result

        def sdk() -> None:
            for _ in range(loops):
                fetch(DOC_ID)

        def raw() -> None:
            for _ in range(loops):
                response = http.get(url, headers={"x-request-id": request_id()})
                response.raise_for_status()
                response.json()

        timing = paired(sdk, raw, rounds=size.rounds, per_round=loops)
    row = timing.row("  the same result through `retrieve_result()` over HTTP", 1.10, ms)
    row.target = "info"
    return [row]


# --- start-up -----------------------------------------------------------------------------


def _runtime_distributions() -> list[importlib.metadata.Distribution]:
    """numora's distribution and those ``pip install numora`` brings (its runtime deps)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, importlib.metadata.Distribution] = {}
    todo = ["numora"]
    while todo:
        name = canonicalize_name(todo.pop())
        if name not in found:
            found[name] = dist = importlib.metadata.distribution(name)
            for spec in dist.requires or ():
                requirement = Requirement(spec)
                if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                    todo.append(requirement.name)
    return list(found.values())


@contextmanager
def plain_install() -> Iterator[str]:
    """A fresh virtual environment as ``pip install numora`` leaves it; yields its python.

    The dev environment holds hundreds of distributions (mkdocs, schemathesis, ...), and
    pydantic's plugin discovery reads every one of them with the first validator it builds
    (``importlib.metadata``): a cost a user's application environment rarely has at that
    size. The start-up rows run in this one instead, on both sides: a new venv (no pip)
    holding numora and its runtime dependencies only, copied from this environment, so the
    versions are the ones measured everywhere else and no index is needed.
    """
    with tempfile.TemporaryDirectory(prefix="numora-bench-venv-") as root:
        venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(root)
        paths = {"base": root, "platbase": root}
        site = Path(sysconfig.get_path("purelib", vars=paths))
        for dist in _runtime_distributions():
            for file in dist.files or ():
                source = Path(str(dist.locate_file(file)))
                if ".." in file.parts or "__pycache__" in file.parts or file.suffix == ".pth":
                    continue  # scripts, bytecode, an editable install's path hook
                if source.is_file():
                    (site / file).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, site / file)
        # numora itself, also from an editable install (whose RECORD lists no module)
        package = Path(numora.__file__).parent
        shutil.copytree(
            package,
            site / "numora",
            ignore=shutil.ignore_patterns("__pycache__"),
            dirs_exist_ok=True,
        )
        yield str(Path(root) / ("Scripts" if os.name == "nt" else "bin") / "python")


def _fresh_env(pycache: str) -> dict[str, str]:
    # Bytecode compiled once into a private cache, as an installed wheel has it (an editable
    # install under PYTHONDONTWRITEBYTECODE would otherwise recompile numora every time).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


# httpx imports its command-line client (click, pygments, rich) whenever those are installed,
# as they are in numora's dev environment (mkdocs, fastapi), but not beside `pip install
# numora`: every fresh process of the start-up rows runs as a plain install would, without
# them (this first statement runs before the timed one, on both sides of every row).
WITHOUT_HTTPX_CLI = "import sys; sys.modules.update(dict.fromkeys(('click', 'pygments', 'rich')))"


def _fresh_seconds(
    statement: str, env: dict[str, str], python: str = sys.executable
) -> tuple[float, float]:
    """Wall and CPU seconds of ``statement`` in a fresh interpreter (its start excluded)."""
    code = (
        f"{WITHOUT_HTTPX_CLI}; "
        "import time; t, c = time.perf_counter(), time.process_time(); "
        f"{statement}; print(time.perf_counter() - t, time.process_time() - c)"
    )
    out = subprocess.run(  # noqa: S603  (this interpreter, fixed statements)
        [python, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def startup_statements(base: str, python: str = sys.executable) -> dict[str, tuple[str, str]]:
    """The start-up rows' statements: name -> (numora's, the baseline's).

    ``first_call`` is the whole first call in a fresh process (import, client, one
    ``retrieve()``) against raw httpx doing the same: work that moved from import time into
    the first call (deferred model building, plugin discovery) is counted there.

    Fairness: numora's side of ``ready`` builds the validator the first call needs, and with
    the first validator of a process pydantic discovers its plugins; the baseline builds
    none, as raw httpx's user parses with ``json.loads``. Both are what each side's user
    pays, so the discovery stays on numora's side, measured in :func:`plain_install`'s
    environment where it costs what it costs beside ``pip install numora``.
    """
    url = f"{base}/v1/documents/{DOC_ID}"
    headers = repr({**RAW_HEADERS, "x-request-id": "req_1"})
    return {
        "ready": (ready_statement(base, python), f"import {READY_BASE}"),
        "lazy": ("from numora import Numora", f"import {READY_BASE}"),
        "bare": ("import numora", "pass"),
        "first_call": (
            f"from numora import Numora; Numora(api_key={API_KEY!r}, base_url={base!r})"
            f".documents.retrieve({DOC_ID!r})",
            f"import httpx, pydantic.main; r = httpx.Client(headers={headers}).get({url!r}); "
            "r.raise_for_status(); r.json()",
        ),
    }


def startup(base: str, size: Sizes) -> list[Row]:
    with (
        plain_install() as python,
        tempfile.TemporaryDirectory(prefix="numora-bench-pyc-") as pycache,
    ):
        pairs = startup_statements(base, python)
        ready = pairs["ready"][0]
        timings = {name: Timing() for name in pairs}
        env = _fresh_env(pycache)
        for sdk, raw in pairs.values():  # compile the bytecode once
            _fresh_seconds(sdk, env, python)
            _fresh_seconds(raw, env, python)
        for sdk_first in _order(size.imports):
            for name, (sdk, raw) in pairs.items():
                statements = (sdk, raw) if sdk_first else (raw, sdk)
                sides = timings[name].sides(sdk_first)
                for statement, (wall, cpu) in zip(statements, sides, strict=True):
                    seconds, cpu_seconds = _fresh_seconds(statement, env, python)
                    wall.append(seconds)
                    cpu.append(cpu_seconds)
    rows = [timings["ready"].row("start-up: ready for the first call (fresh process)", 1.15, ms)]
    rows[0].raw += " (httpx, pydantic.main)"
    rows[0].note = (
        f"`{ready}` against `import {READY_BASE}`, both in a fresh venv holding only numora"
        " and its runtime dependencies"
    )
    for name, label in (
        ("first_call", "  import, client and a first retrieve() end to end (vs raw httpx)"),
        ("lazy", "  `from numora import Numora` alone (lazy; the earlier headline)"),
    ):
        row = timings[name].row(label, 1.0, ms)
        row.target, row.ok = "info", True
        rows.append(row)
    bare = statistics.median(timings["bare"].a)
    rows.append(
        Row("  `import numora` alone (loads nothing else)", ms(bare), "", None, "info", True)
    )
    return rows


# --- bulk (issue 14) ----------------------------------------------------------------------


def create_many(size: Sizes) -> list[Row]:
    """``create_many`` against a hand-written asyncio + httpx loop (``bulk.py``).

    ``bulk.py`` starts its own servers (the sandbox, and canned answers) in child processes,
    one per round; their CPU time counts as this benchmark's own, not as other processes'.
    """
    from bulk import measure  # a sibling module of this script

    return [Row(**vars(r)) for r in measure(quick=size is QUICK)]


# --- other measures (issue 8) -------------------------------------------------------------


def webhook_verify(size: Sizes) -> list[Row]:
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

    timing = paired(sdk, bare, rounds=size.rounds, per_round=1)
    rate, bare_rate = n / statistics.median(timing.a), n / statistics.median(timing.b)
    return [
        Row(
            "webhook verify, 2 KB body",
            f"{rate:,.0f}/s",
            f"{bare_rate:,.0f}/s (bare hmac)",
            statistics.median(timing.ratios),
            "≥ 70,000/s",
            rate >= 70_000,
        )
    ]


# --- the report ---------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    header = (
        "measure",
        "numora",
        "raw httpx",
        "ratio (range)",
        "target",
        "result",
        "client CPU ratio",
        "other CPU",
    )
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        if r.spread is not None and r.ratio is not None:
            ratio += f" ({r.spread[0]:.2f}-{r.spread[1]:.2f})"
        share = r.load.share if r.load is not None else None
        busy = "" if share is None else f"{share:.0%}"
        cpu = f"{r.cpu_ratio:.2f}x" if r.cpu_ratio is not None else ""
        cells = (r.measure, r.sdk, r.raw, ratio, r.target, r.result(), cpu, busy)
        out.append("| " + " | ".join(cells) + " |")
    notes = [f"- {r.measure.strip()}: {r.note}" for r in rows if r.note]
    return "\n".join(out + (["", *notes] if notes else []))


MEASURES: dict[str, Callable[..., list[Row]]] = {
    "startup": startup,
    "sync_get": sync_get,
    "async_get": async_get,
    "iterate": iterate,
    "parse": result_parse,
    "parse_http": result_over_http,
    "create_many": create_many,
    "sync_post": sync_post,
    "async_concurrent": async_concurrent,
    "webhook": webhook_verify,
}
NEEDS_SERVER = frozenset(
    {"startup", "sync_get", "async_get", "iterate", "parse_http", "sync_post", "async_concurrent"}
)


def main() -> int:
    parser = argparse.ArgumentParser(description="numora against raw httpx (issue 16).")
    parser.add_argument("--quick", action="store_true", help="a short run (about a minute)")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(MEASURES), help="run only these measures"
    )
    parser.add_argument(
        "--server",
        choices=("uvicorn", "canned"),
        default="uvicorn",
        help="canned: the earlier in-process-parsing server, to compare (not for reporting)",
    )
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    names = args.only or list(MEASURES)
    print(
        f"numora {numora.__version__}, httpx {httpx.__version__}, pydantic {pydantic.VERSION}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.platform()}; "
        f"server: {args.server}{'; quick run' if args.quick else ''}",
        flush=True,
    )
    print(f"at start: {load_average()}", flush=True)
    started = time.perf_counter()
    meter = CpuMeter()
    rows: list[Row] = []
    with server(args.server, meter) as base:
        for name in names:
            meter.start()
            measured = MEASURES[name](base, size) if name in NEEDS_SERVER else MEASURES[name](size)
            load = meter.stop()
            for row in measured:
                row.load = load
            rows += measured
            print(f"  done: {name} ({load.describe()})", file=sys.stderr, flush=True)
    print(table(rows))
    busy = [r for r in rows if r.reportable is False]
    print(f"\nat end: {load_average()}; the whole run took {time.perf_counter() - started:.0f} s")
    if busy:
        print(
            f"NOT REPORTABLE: {len(busy)} row(s) were measured while other processes used more "
            f"than {QUIET_LIMIT:.0%} of a core; run again on a quiet machine."
        )
    missed = [r for r in rows if r.ok is False and r.reportable is not False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
