"""``numora documents upload``, run as users run it (``python -m numora`` in a subprocess)
against a fake Numora served on 127.0.0.1; progress output through a pseudo-terminal."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from _clock import FakeClock
from numora._cli._upload import PlainProgress, collect
from numora.testing import FakeNumora

PDF = b"%PDF-1.7\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMORA_")}
    env.update(extra)
    return env


def upload(*args: str, env: dict[str, str], prelude: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(args, prelude), capture_output=True, text=True, env=env, timeout=180, check=False
    )


def cli(args: Sequence[str], prelude: str = "") -> list[str]:
    """The command line of ``numora documents upload ARGS``, after ``prelude`` code if any
    (e.g. hiding tqdm)."""
    if not prelude:
        return [sys.executable, "-m", "numora", "documents", "upload", *args]
    script = (
        f"{prelude}\nimport sys\nfrom numora.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    )
    return [sys.executable, "-c", script, "documents", "upload", *args]


@pytest.fixture
def fake() -> FakeNumora:
    return FakeNumora()


@pytest.fixture
def api_env(fake: FakeNumora) -> Iterator[dict[str, str]]:
    with fake.serve() as base_url:
        yield _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """scans/: two PDFs and a PNG (one in a subfolder), a text file and a file without
    extension."""
    root = tmp_path / "scans"
    (root / "2026" / "march").mkdir(parents=True)
    (root / "a.pdf").write_bytes(PDF + b"a")
    (root / "2026" / "b.PDF").write_bytes(PDF + b"b")
    (root / "2026" / "march" / "c.png").write_bytes(PNG)
    (root / "notes.txt").write_text("not a document")
    (root / "README").write_text("no extension")
    return root


def posts(fake: FakeNumora) -> int:
    return sum(1 for r in fake.requests if r.method == "POST")


def test_a_folder_is_walked_and_a_second_run_creates_nothing(
    folder: Path, api_env: dict[str, str], fake: FakeNumora
) -> None:
    first = upload(str(folder), "--schema", "invoice_v2", env=api_env)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("created 3, already existed 0, skipped 2, failed 0 (3 files")
    assert lines[1].startswith("skipped (not an accepted format; the API accepts PDF")
    assert sorted(lines[2:]) == sorted(f"  {folder / n}" for n in ("README", "notes.txt"))
    assert len(fake.requests) == 3

    again = upload(str(folder), "--schema", "invoice_v2", env=api_env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("created 0, already existed 3, skipped 2, failed 0")
    with fake.client() as client:
        assert len(list(client.documents.list())) == 3


def test_json_prints_one_object_per_item(folder: Path, api_env: dict[str, str]) -> None:
    extra = folder.parent / "extra.png"
    extra.write_bytes(PNG + b"x")
    run = upload(str(folder), str(extra), "--schema", "invoice_v2", "--json", env=api_env)
    assert run.returncode == 0, run.stderr

    records = [json.loads(line) for line in run.stdout.splitlines()]
    by_path = {r["path"]: r for r in records}
    assert len(records) == len(by_path) == 6
    assert by_path[str(folder / "notes.txt")]["outcome"] == "skipped"
    uploaded = [r for r in records if r["outcome"] != "skipped"]
    assert {r["outcome"] for r in uploaded} == {"created"}
    assert all(r["external_id"].startswith("sha256:") and r["document_id"] for r in uploaded)
    assert "created 4, already existed 0, skipped 2, failed 0" in run.stderr  # stdout: JSON only


def test_failures_are_listed_with_their_reason_and_exit_1(folder: Path, tmp_path: Path) -> None:
    fake = FakeNumora(credits=2)
    with fake.serve() as base_url:
        env = _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)
        run = upload(str(folder), "--schema", "invoice_v2", "--concurrency", "1", env=env)
    assert run.returncode == 1
    assert run.stdout.startswith("created 2, already existed 0, skipped 2, failed 1")
    failed = run.stdout.split("failed:\n", 1)[1]
    assert ": insufficient_credits " in failed and "(request id: req_" in failed


def test_wait_reports_where_each_document_ended(folder: Path) -> None:
    fake = FakeNumora(processing_delay=0.05)
    with fake.serve() as base_url:
        env = _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)
        run = upload(str(folder / "a.pdf"), "--schema", "invoice_v2", "--wait", "--json", env=env)
    assert run.returncode == 0, run.stderr
    (record,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert record["document_status"] == "review_required"
    assert "after waiting: 1 review_required" in run.stderr


def test_a_refused_key_stops_the_batch(
    folder: Path, fake: FakeNumora, api_env: dict[str, str]
) -> None:
    many = folder / "many"
    many.mkdir()
    for i in range(40):
        (many / f"{i}.pdf").write_bytes(PDF + str(i).encode())
    env = {**api_env, "NUMORA_API_KEY": "sk_test_not_a_real_key_000000"}
    run = upload(str(many), "--schema", "invoice_v2", "--concurrency", "2", env=env)
    assert run.returncode == 1
    assert "error: unauthorized" in run.stderr
    assert posts(fake) <= 4  # not 40: the rest would fail the same way


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["missing-folder"], "no such file or folder: missing-folder"),
        (["{folder}", "--concurrency", "0"], "concurrency must be from 1 to 100"),
    ],
)
def test_usage_errors_exit_2_before_sending(
    args: list[str], says: str, folder: Path, api_env: dict[str, str], fake: FakeNumora
) -> None:
    argv = [a.format(folder=folder) for a in args]
    run = upload(*argv, "--schema", "invoice_v2", env=api_env)
    assert run.returncode == 2
    assert says in run.stderr
    assert posts(fake) == 0


# --- progress -----------------------------------------------------------------------------


def run_on_pty(
    args: list[str], env: dict[str, str], prelude: str = "", columns: int = 100
) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal of ``columns`` (stdout piped);
    (exit code, stdout, what the terminal showed)."""
    import fcntl
    import pty
    import struct
    import termios

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    with subprocess.Popen(
        cli(args, prelude), stdout=subprocess.PIPE, stderr=secondary, env=env
    ) as proc:
        os.close(secondary)
        seen = bytearray()
        while True:
            ready, _, _ = select.select([primary], [], [], 60)
            if not ready:
                proc.kill()
                break
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        code = proc.wait(timeout=120)
    os.close(primary)
    return code, out, seen.decode(errors="replace")


@pytest.mark.parametrize("columns", [100, 0])  # 0: a terminal that reports no size
def test_on_a_terminal_with_tqdm_a_live_bar(folder: Path, columns: int) -> None:
    pytest.importorskip("tqdm")
    fake = FakeNumora(credits=2)  # the third upload fails: the bar counts it
    with fake.serve() as base_url:
        env = _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)
        args = [str(folder), "--schema", "invoice_v2", "--concurrency", "1"]
        code, out, err = run_on_pty(args, env, columns=columns)
    assert code == 1
    assert "uploading: 100%|" in err and "3/3 [" in err and "doc/s, failed=1]" in err
    assert out.startswith("created 2, already existed 0, skipped 2, failed 1")


def test_on_a_terminal_without_tqdm_plain_lines(folder: Path, api_env: dict[str, str]) -> None:
    hide = "import sys; sys.modules['tqdm'] = None  # as if numora[cli] were not installed"
    code, out, err = run_on_pty([str(folder), "--schema", "invoice_v2"], api_env, prelude=hide)
    assert code == 0, err
    assert "uploaded 3/3 (100%), 0 failed" in err and "|" not in err
    assert out.startswith("created 3,")


def test_not_on_a_terminal_plain_lines(folder: Path, api_env: dict[str, str]) -> None:
    run = upload(str(folder), "--schema", "invoice_v2", env=api_env)
    assert run.returncode == 0
    assert run.stderr.splitlines()[-1].startswith("uploaded 3/3 (100%), 0 failed")


def test_plain_progress_prints_at_intervals_and_at_the_end() -> None:
    clock = FakeClock(start=0.0)
    stream = io.StringIO()
    progress = PlainProgress(10, stream, interval=2.0, clock=clock)
    for i in range(10):
        clock.advance(0.5)
        progress.update(failed=i == 3)
    progress.close()

    lines = stream.getvalue().splitlines()
    assert lines == [
        "uploaded 4/10 (40%), 1 failed, 2.0/s, ETA 3s",
        "uploaded 8/10 (80%), 1 failed, 2.0/s, ETA 1s",
        "uploaded 10/10 (100%), 1 failed, 2.0/s",
    ]


def test_collect_walks_folders_in_order_and_uses_the_sdk_formats(folder: Path) -> None:
    files, skipped = collect([str(folder)])
    assert files == [
        str(folder / "a.pdf"),
        str(folder / "2026" / "b.PDF"),
        str(folder / "2026" / "march" / "c.png"),
    ]
    assert sorted(skipped) == [str(folder / "README"), str(folder / "notes.txt")]
    from numora._files import _TYPES_BY_EXTENSION

    for extension in _TYPES_BY_EXTENSION:
        (folder / f"x{extension}").write_bytes(PDF)
    assert len(collect([str(folder)])[0]) == 3 + len(_TYPES_BY_EXTENSION)


def test_ctrl_c_stops_at_once_and_says_how_to_go_on(folder: Path) -> None:
    import signal
    import time

    for i in range(30):
        (folder / f"more-{i}.pdf").write_bytes(PDF + str(i).encode())
    fake = FakeNumora()  # documents never leave processing: --wait would poll for 300 s
    with fake.serve() as base_url:
        env = _env(NUMORA_API_KEY=fake.api_key, NUMORA_BASE_URL=base_url)
        args = [str(folder), "--schema", "invoice_v2", "--wait", "--concurrency", "4"]
        # Ctrl-C reaches the CLI as it does from a terminal, even when this test runs where
        # SIGINT is ignored (a CI job started in the background): Python keeps an inherited
        # "ignore" and would never raise KeyboardInterrupt.
        as_from_a_terminal = (
            "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)"
        )
        with subprocess.Popen(
            cli(args, as_from_a_terminal),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        ) as proc:
            # Bounds for a very busy machine, not expectations: on a quiet one the four
            # uploads are in flight within a second and Ctrl-C ends the run at once.
            deadline = time.monotonic() + 120
            while posts(fake) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)  # until four uploads are in flight (waiting)
            assert posts(fake) == 4, "the CLI did not start its four uploads within 120 s"
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=120)  # not the 300 s of the waits
    assert proc.returncode == 130, err
    assert "interrupted after 0 of 33 files: run the same command again" in out
    assert "Traceback" not in err
    assert posts(fake) == 4  # nothing sent after Ctrl-C
