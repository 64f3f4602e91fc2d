"""How busy the machine was while a figure was taken: CPU used by *other* processes.

On Linux, :class:`CpuMeter` reads the machine's busy CPU time from ``/proc/stat`` and
subtracts what the benchmark itself used (this process, its reaped children such as the
import probes, and the server process it started). What is left is other processes' work: a
figure taken while they used more than :data:`QUIET_LIMIT` of a core on average competed with
them for the CPU (on a 2-core machine, the client and the server already use both cores) and
is marked as not reportable. Elsewhere only the load average is known, and figures are marked
"unknown".
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

__all__ = ["QUIET_LIMIT", "CpuMeter", "Load", "load_average"]

QUIET_LIMIT = 0.10
"""Average share of one core other processes may use during a measure for it to count."""

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine_busy() -> float | None:
    """Seconds of CPU time the whole machine spent busy since boot (``None``: not Linux)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
    values = [int(v) for v in fields[1:9]]
    return (sum(values) - values[3] - values[4]) / _TICK


def _process_cpu(pid: int) -> float:
    """CPU seconds of a live process, threads included (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def load_average() -> str:
    """The 1/5/15-minute load averages, as text."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return "load average unknown"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


@dataclass(frozen=True)
class Load:
    """Other processes' CPU use during one measure."""

    seconds: float  # wall time of the measure
    other_cpu: float | None  # CPU seconds used by other processes; None when unknown

    @property
    def share(self) -> float | None:
        """Average share of one core used by other processes."""
        if self.other_cpu is None or self.seconds < 0.5:  # /proc/stat counts in 10 ms ticks
            return None
        return max(self.other_cpu, 0.0) / self.seconds

    @property
    def quiet(self) -> bool | None:
        """Whether the figure may be reported (``None``: unknown, not Linux)."""
        share = self.share
        return None if share is None else share <= QUIET_LIMIT

    def describe(self) -> str:
        share = self.share
        if share is None:
            return "other processes' CPU: unknown (not Linux, or too short to tell)"
        return f"other processes used {share:.0%} of a core"


class CpuMeter:
    """Measures other processes' CPU use between :meth:`start` and :meth:`stop`."""

    def __init__(self) -> None:
        self.server_pids: list[int] = []
        self._start: tuple[float, float | None, float, float] | None = None

    def _snapshot(self) -> tuple[float, float | None, float, float]:
        import time

        servers = sum(_process_cpu(pid) for pid in self.server_pids)
        return time.perf_counter(), _machine_busy(), _own_cpu(), servers

    def start(self) -> None:
        self._start = self._snapshot()

    def stop(self) -> Load:
        assert self._start is not None, "start() first"
        wall0, busy0, own0, servers0 = self._start
        wall1, busy1, own1, servers1 = self._snapshot()
        if busy0 is None or busy1 is None or not sys.platform.startswith("linux"):
            return Load(wall1 - wall0, None)
        ours = (own1 - own0) + (servers1 - servers0)
        return Load(wall1 - wall0, (busy1 - busy0) - ours)
