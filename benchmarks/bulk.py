"""Bulk ingestion against a hand-written asyncio + httpx loop: ``python benchmarks/bulk.py``.

Uploads ``--items`` small PDFs (default 5,000) at concurrency 16 to the sandbox server
(``numora sandbox``, i.e. ``FakeNumora`` served over HTTP, in its own process so that it never
shares the client's interpreter), first with ``AsyncNumora.documents.create_many`` and then
with the loop a careful user would write without it: 16 workers taking paths from one
iterator, each hashing the file for the same content-derived ``external_id`` and posting the
same multipart body (``schema``, ``external_id``, the file as ``application/pdf``). Rounds
alternate SDK, raw, SDK, raw, ...; every round gets a fresh server and fresh files, so each
upload creates a document. Reports the median throughput of each and their ratio (target:
numora at least 0.9x), the client's CPU time per upload of each (``process_time`` of this
process, threads included; the servers are other processes), and numora's peak traced
memory (``tracemalloc``) for a batch of 1,000 and of 5,000 entries fed from a generator, each
in a fresh process, median of three (target: flat, at most 1.2x). pydantic-core keeps a
bounded process-wide cache of parsed strings; every answer brings new ones (the id and two
URLs), so the first ~20,000 parsed answers of any process grow it, to about 1.4 MiB, and then
it stays put (measured: 200,000 answers, same 1.39 MiB). The flat-memory row fills that
cache first; the cold row shows the same batches without it.

A second row sends the same uploads to ``_server.py`` (canned answers, as ``run.py`` uses):
without the sandbox's own work, what is left is each client's cost.

The loop does what ``create_many``'s promise needs and no more: numora keeps no journal (a
re-run is made safe by the content-derived ``external_id``, which the server deduplicates),
so neither side writes one. The loop reads each file on the event loop; numora reads it in a
worker thread (its rule: no file I/O on the event loop), one hand-off per upload.

Run by hand; it is not a test. ``run.py`` can add these rows with
``from bulk import measure; rows += [Row(**vars(r)) for r in measure(quick=args.quick)]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

import numora
from numora import AsyncNumora

HERE = Path(__file__).resolve().parent
CONCURRENCY = 16
SCHEMA = "invoice_v2"
FILE_SIZE = 2_048  # bytes: "small uploads"


@dataclass
class BulkRow:
    """One line of the report (the same fields as ``run.py``'s ``Row``)."""

    measure: str
    sdk: str
    raw: str
    ratio: float | None
    target: str
    ok: bool
    note: str = ""
    cpu_ratio: float | None = None  # median per-round ratio of the client's CPU per upload


# --- the server and the files -------------------------------------------------------------


@contextmanager
def sandbox() -> Iterator[tuple[str, str]]:
    """``numora sandbox`` on a free port in its own process; yields (base URL, API key)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "numora", "sandbox", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = api_key = ""
        for line in proc.stdout:
            if "export NUMORA_BASE_URL=" in line:
                base_url = line.split("=", 1)[1].strip()
            elif "export NUMORA_API_KEY=" in line:
                api_key = line.split("=", 1)[1].strip()
            if base_url and api_key:
                break
        yield base_url, api_key
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def canned() -> Iterator[tuple[str, str]]:
    """``_server.py`` (canned answers, its own process): what is left is the client's cost."""
    proc = subprocess.Popen(  # noqa: S603  (this interpreter, our own script)
        [sys.executable, str(HERE / "_server.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}", "sk_test_benchmark_key_0123"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


SERVERS = {"sandbox": sandbox, "canned": canned}


def make_files(folder: Path, count: int, salt: str) -> list[Path]:
    """``count`` distinct small PDFs (``salt`` makes each round's files new to the server)."""
    folder.mkdir(parents=True, exist_ok=True)
    padding = b"0" * FILE_SIZE
    paths = []
    for i in range(count):
        path = folder / f"scan-{i:05d}.pdf"
        path.write_bytes(b"%PDF-1.7\n% " + f"{salt} {i}\n".encode() + padding)
        paths.append(path)
    return paths


# --- the two contestants ------------------------------------------------------------------


async def with_numora(base_url: str, api_key: str, paths: Iterator[Path]) -> int:
    created = 0
    async with AsyncNumora(api_key=api_key, base_url=base_url) as client:
        batch = client.documents.create_many(paths, schema=SCHEMA, concurrency=CONCURRENCY)
        async for outcome in batch:
            if outcome.error is not None:
                raise outcome.error
            created += outcome.created
    return created


async def by_hand(base_url: str, api_key: str, paths: Iterator[Path]) -> int:
    """What a user writes without create_many: workers sharing one iterator of paths."""
    created = 0
    headers = {"authorization": f"Bearer {api_key}", "user-agent": "my-integration/1.0"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:

        async def worker() -> None:
            nonlocal created
            for path in paths:
                data = path.read_bytes()
                external_id = "sha256:" + hashlib.sha256(data).hexdigest()
                response = await http.post(
                    "/v1/documents",
                    data={"schema": SCHEMA, "external_id": external_id},
                    files={"file": (path.name, data, "application/pdf")},
                    headers={"x-request-id": "req_" + os.urandom(12).hex()},
                )
                response.raise_for_status()
                response.json()
                created += response.status_code == 202

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return created


def one_round(
    contestant: str, workdir: Path, count: int, salt: str, server: str
) -> tuple[float, float]:
    """Documents per second for one fresh server and fresh files, and the client's CPU time
    per document (this process only, its threads included: the server is another process)."""
    paths = make_files(workdir / salt, count, salt)
    run = with_numora if contestant == "sdk" else by_hand
    with SERVERS[server]() as (base_url, api_key):
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        created = asyncio.run(run(base_url, api_key, iter(paths)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert created == count, f"{contestant}: created {created} of {count}"
    return count / elapsed, cpu / count


def throughput(workdir: Path, count: int, rounds: int, server: str) -> BulkRow:
    sdk: list[float] = []
    raw: list[float] = []
    cpu: dict[str, list[float]] = {"sdk": [], "raw": []}
    for n in range(rounds):
        for contestant, out in (("sdk", sdk), ("raw", raw)):
            rate, cpu_per_doc = one_round(
                contestant, workdir, count, f"{server}{contestant}{n}", server
            )
            out.append(rate)
            cpu[contestant].append(cpu_per_doc)
            print(
                f"  {server} {contestant} round {n + 1}: {rate:.0f} docs/s, "
                f"client CPU {cpu_per_doc * 1e6:.0f} µs/doc",
                file=sys.stderr,
            )
    sdk_rate, raw_rate = statistics.median(sdk), statistics.median(raw)
    ratio = sdk_rate / raw_rate
    cpu_ratio = statistics.median(a / b for a, b in zip(cpu["sdk"], cpu["raw"], strict=True))
    sdk_cpu, raw_cpu = statistics.median(cpu["sdk"]), statistics.median(cpu["raw"])
    if server == "sandbox":
        what, target, ok = "to the sandbox", "≥ 0.90x", ratio >= 0.9
    else:
        what, target, ok = "to canned answers (client cost)", "info", True
    return BulkRow(
        f"create_many, {count:,} uploads at concurrency {CONCURRENCY} {what}",
        f"{sdk_rate:.0f} docs/s",
        f"{raw_rate:.0f} docs/s",
        ratio,
        target,
        ok,
        f"median of {rounds} rounds each; client CPU per upload {sdk_cpu * 1e6:.0f} µs "
        f"(numora) and {raw_cpu * 1e6:.0f} µs (raw)",
        cpu_ratio,
    )


def fill_string_cache() -> None:
    """Fill pydantic-core's process-wide string cache (bounded: it stops growing at about
    1.4 MiB, after some 20,000 parsed answers with new ids) as a long-running process has."""
    from numora.types import CreatedDocument

    for i in range(30_000):
        doc_id = f"doc_{i:024x}"  # as long as the sandbox's ids: same-sized cache entries
        CreatedDocument.model_validate_json(
            f'{{"id":"{doc_id}","status":"processing","schema":"invoice_v2",'
            f'"status_url":"/v1/documents/{doc_id}",'
            f'"result_url":"/v1/documents/{doc_id}/result"}}'
        )


def child_peak(count: int, folder: str, warm: bool) -> None:
    """In a fresh process: numora's peak traced memory for one batch of ``count`` entries
    fed from a generator; prints it in bytes."""
    base = Path(folder)
    from numora import _bulk, types  # noqa: F401  (imports and model classes: not the batch's)
    from numora.resources import documents  # noqa: F401

    if warm:
        fill_string_cache()

    def entries() -> Iterator[Path]:
        for i in range(count):
            yield base / f"scan-{i:05d}.pdf"

    with sandbox() as (base_url, api_key):
        gc.collect()
        tracemalloc.start()
        asyncio.run(with_numora(base_url, api_key, entries()))
        print(tracemalloc.get_traced_memory()[1])


def peak_memory(workdir: Path, counts: tuple[int, int], *, warm: bool, repeats: int = 3) -> BulkRow:
    """Peak traced memory of a batch of each size: the median of ``repeats`` fresh processes
    (a peak moves by up to a MiB with how many answers happen to be in flight at once)."""
    peaks: list[float] = []
    for count in counts:
        folder = workdir / f"mem{count}"
        if not folder.exists():
            make_files(folder, count, f"mem{count}")
        runs = []
        for _ in range(repeats):
            child = subprocess.run(  # noqa: S603  (this interpreter, this script)
                [sys.executable, __file__, "--peak-of", str(count), str(folder), str(warm)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(int(child.stdout.split()[-1]))
        print(f"  peak of {count:,} ({'warm' if warm else 'cold'}): {runs}", file=sys.stderr)
        peaks.append(statistics.median(runs))
    ratio = peaks[1] / peaks[0]
    if warm:
        what, target, ok = "after warm-up", "≤ 1.20x (flat)", ratio <= 1.2
        note = "pydantic-core's bounded string cache filled first"
    else:
        what, target, ok = "cold", "info", True
        note = "includes the growth of pydantic-core's string cache (bounded)"
    return BulkRow(
        f"create_many peak memory {what}, {counts[0]:,} → {counts[1]:,} entries",
        f"{peaks[1] / 1024 / 1024:.1f} MiB",
        f"{peaks[0] / 1024 / 1024:.1f} MiB",
        ratio,
        target,
        ok,
        f"median tracemalloc peak of 3 fresh client processes; 'raw' column: {counts[0]:,} "
        f"entries; {note}",
    )


def measure(*, quick: bool = False, items: int = 5_000, rounds: int = 3) -> list[BulkRow]:
    """The rows of this benchmark (``quick``: 1,000 uploads, one round)."""
    if quick:
        items, rounds = 1_000, 1
    with tempfile.TemporaryDirectory(prefix="numora-bulk-") as tmp:
        workdir = Path(tmp)
        rows = [throughput(workdir, items, rounds, "sandbox")]
        rows.append(throughput(workdir, items, rounds, "canned"))
        sizes = (1_000, max(items, 2_000))
        repeats = 1 if quick else 3
        rows.append(peak_memory(workdir, sizes, warm=True, repeats=repeats))
        rows.append(peak_memory(workdir, sizes, warm=False, repeats=repeats))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="create_many against a hand-written loop.")
    parser.add_argument("--items", type=int, default=5_000, help="uploads per round (5,000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (3)")
    parser.add_argument("--quick", action="store_true", help="1,000 uploads, one round")
    parser.add_argument(
        "--peak-of", nargs=3, metavar=("N", "FOLDER", "WARM"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.peak_of:
        count, folder, warm = args.peak_of
        child_peak(int(count), folder, warm == "True")
        return 0
    print(
        f"numora {numora.__version__}, httpx {httpx.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at start",
        flush=True,
    )
    started = time.perf_counter()
    rows = measure(quick=args.quick, items=args.items, rounds=args.rounds)
    width = max(len(r.measure) for r in rows)
    print(f"{'measure':<{width}}  {'numora':>12}  {'raw':>12}  ratio   target")
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        mark = "ok" if r.ok else "MISS"
        print(
            f"{r.measure:<{width}}  {r.sdk:>12}  {r.raw:>12}  {ratio:<6}  {r.target} {mark}"
            f"  ({r.note})"
        )
    print(
        f"\n({time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f} at end)"
    )
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
