"""Measure ``DocumentResult.from_json`` against ``json.loads`` on a large, realistic result.

Usage::

    python scripts/bench_result_parse.py [--line-items 1000] [--rounds 30]

The body is ``benchmarks/_payloads.py``'s: 10 document-level fields and N line items of 8
``{value, confidence}`` fields whose values and confidences vary from line to line (some
confidences ``null``), as real extractions do. Repeating one line N times, as this script
used to, flatters pydantic-core, whose string cache then serves every value.

Rounds alternate (model first, then ``json.loads`` first, ...) with a garbage collection
before each; the ratio reported is the median of the per-round ratios, the figure
``benchmarks/run.py`` reports. The best-of ratio is printed as well: it is steadier on a busy
machine but hides the garbage collector's share, so it is lower. Target (issues 11 and 16):
1.10x with every ``FieldValue`` checked at run time.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import _payloads

from numora.types import DocumentResult


def field_values_checked() -> bool:
    """Whether a ``FieldValue`` with a confidence of "hi" is refused."""
    bad = _payloads.result(1)
    bad["fields"] = {"total": {"value": 1, "confidence": "hi"}}
    try:
        DocumentResult.from_json(_payloads.dumps(bad))
    except ValueError:
        return True
    return False


def timed(fn: Callable[[], object], loops: int) -> float:
    gc.collect()
    started = time.perf_counter()
    for _ in range(loops):
        fn()
    return (time.perf_counter() - started) / loops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--line-items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    raw = _payloads.dumps(_payloads.result(args.line_items))
    model, baseline = lambda: DocumentResult.from_json(raw), lambda: json.loads(raw)
    model()
    baseline()
    a: list[float] = []
    b: list[float] = []
    for i in range(args.rounds):
        pair = ((model, a), (baseline, b))
        for fn, out in pair if i % 2 == 0 else pair[::-1]:
            out.append(timed(fn, 5))
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    checked = "checked" if field_values_checked() else "NOT checked"
    print(f"payload: {len(raw) / 1024:.0f} KiB, {args.line_items} line items, FieldValue {checked}")
    print(f"json.loads:               {statistics.median(b) * 1e3:7.2f} ms (median)")
    print(f"DocumentResult.from_json: {statistics.median(a) * 1e3:7.2f} ms (median)")
    print(f"ratio:                    {statistics.median(ratios):7.2f}x (median of paired rounds)")
    print(f"best-of ratio:            {min(a) / min(b):7.2f}x")


if __name__ == "__main__":
    main()
