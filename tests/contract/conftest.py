"""Stoplight Prism serving spec/numora-v1.openapi.yaml, for the contract suite.

Prism (``@stoplight/prism-cli``, pinned in package.json) is installed by ``npm ci`` at the
repository root. One ``prism mock --errors`` process serves the whole session on a free
loopback port and is stopped at the end whatever happens. Without Node.js or Prism the
suite is skipped with a message that says so, except on CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "numora-v1.openapi.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
START_TIMEOUT = 60.0  # seconds; Prism takes 2-5 s to load the spec on a quiet machine


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (the contract suite runs Stoplight Prism on it)"
    if not PRISM.exists():
        return f"Prism is not installed: run `npm ci` in {ROOT} (installs package-lock.json)"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the test process dies.

    A ``finally`` does not run when pytest itself is killed (SIGTERM, SIGKILL); the kernel
    then still ends Prism (Linux's PR_SET_PDEATHSIG), so no orphan keeps the port.
    """
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End Prism and anything it started: its own process group, started for this purpose."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a Prism mock of the spec that rejects requests the spec does not allow."""
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; on CI the contract suite must run", pytrace=False)
        pytest.skip(f"{missing}; skipping the Prism contract suite")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("prism") / "prism.log"
    # Only loopback: no proxy, and nothing in the spec is fetched (all $refs are local).
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(log_path.parent), "NO_PROXY": "*"}
    command = [str(PRISM), "mock", str(SPEC), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--errors"]  # a request the spec does not allow gets an error answer
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group, so _stop reaches every child
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads run Popen here
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"Prism did not start listening on port {port}:\n{tail}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
