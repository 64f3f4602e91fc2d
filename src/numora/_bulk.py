"""``documents.create_many``: bulk ingestion, written once for both clients.

Everything here except the two drivers at the end does no I/O:

* :func:`plan` turns one entry (a path, an ``https://`` URL or a mapping of
  ``documents.create()`` arguments) into a job, or into the outcome that says why it cannot be
  one;
* :func:`_item` is one job as a generator of calls (hash the file, create, wait) that a driver
  executes, sending back each call's result or throwing in its exception;
* :class:`Pacer` decides how many jobs may be in flight and until when nothing may be sent
  (additive increase, multiplicative decrease on 429);
* :func:`_schedule` is the whole batch as a generator of commands (pull an entry, launch a
  job, collect finished jobs, pause, emit an outcome).

The sync driver runs jobs on a thread pool (a client is thread-safe); the async driver runs
them as asyncio tasks and hashes files in a worker thread. Each request is made by the public
``documents.create()`` and ``documents.wait()``, so retries and idempotency are the SDK's own.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ._bulk_types import EXTERNAL_ID_PREFIX, BulkItem, BulkOptions, BulkOutcome
from ._exceptions import RateLimitError
from ._files import MAX_UPLOAD_BYTES
from ._observe import Operation, operation

if TYPE_CHECKING:
    from .resources.documents import Documents
    from .types import CreatedDocument, Document

__all__ = [
    "BulkItem",
    "BulkOptions",
    "BulkOutcome",
    "EXTERNAL_ID_PREFIX",
    "Pacer",
    "content_external_id",
    "create_many",
    "plan",
]

MAX_CONCURRENCY = 100  # httpx's default pool size: more would only queue for a connection
MAX_THROTTLED_ROUNDS = 10  # times one entry is submitted again after a 429 before it fails
DEFAULT_PAUSE = 1.0  # seconds the batch waits after a 429 that did not say how long
_CHUNK = 1 << 20  # files are hashed 1 MiB at a time
# Files up to this size are read once, hashed, and uploaded from those same bytes: one file
# read and (on the async client) one worker-thread hand-off per document instead of one for
# the hash and four for the upload. Larger files are hashed in chunks and streamed from disk,
# so a batch holds at most ``concurrency`` times this much file content in memory.
_READ_ONCE = 256 * 1024

_OPTIONS = ("timeout", "max_retries", "extra_headers", "extra_query", "extra_body")
_ENTRY_KEYS = ("schema", "file", "file_url", "external_id", "metadata", *_OPTIONS, "request_id")
_WAIT_OPTIONS = ("timeout", "max_retries", "extra_headers", "extra_query")


# --- content-derived external ids ---------------------------------------------------------


def content_external_id(content: bytes | str | os.PathLike[str]) -> str:
    """The ``external_id`` ``create_many`` gives a file: ``"sha256:"`` and the SHA-256 hex
    digest of its bytes (71 characters).

    It depends on the bytes only (not the name, path, machine or time), so the same file
    gets the same id on every run and Numora answers a second upload with the first
    document. ``content`` is the bytes or a path (read in chunks).
    """
    digest = hashlib.sha256()
    if isinstance(content, (bytes, bytearray, memoryview)):
        digest.update(content)
    else:
        with open(os.fspath(content), "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    return EXTERNAL_ID_PREFIX + digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _Identify:
    """Derive the external id of ``source``: a path or bytes. ``loose``: the entry was a
    plain string, which may also have been meant as a URL."""

    source: str | bytes
    loose: bool = False
    label: str = "the entry"  # how errors name the entry, e.g. items[3]


def identify(call: _Identify) -> tuple[str | None, bytes | None]:
    """Run an :class:`_Identify` (file I/O: the async driver runs it in a worker thread).

    Returns the external id, and the file's bytes when it is small enough to be uploaded
    from memory (then the id is the hash of exactly the bytes sent). The id is ``None`` for a
    file beyond the upload limit: ``create()`` then refuses it, unsent.
    """
    source = call.source
    if isinstance(source, bytes):
        return content_external_id(source), None
    if not os.path.isfile(source):
        if call.loose:
            what = "a directory (the CLI walks directories)" if os.path.isdir(source) else None
            raise ValueError(
                f"{call.label}: {source!r} is "
                + (what or "neither an existing file nor an https:// URL")
                + "; an entry is a file path, an https:// URL or a mapping of "
                "documents.create() arguments"
            )
        raise FileNotFoundError(f"{call.label}: no file to upload at {source!r}. Nothing was sent.")
    with open(source, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_UPLOAD_BYTES:
            return None, None
        if size <= _READ_ONCE:
            content = fh.read(_READ_ONCE + 1)
            if len(content) <= _READ_ONCE:  # else it grew meanwhile: hashed and sent as a file
                return content_external_id(content), content
    return content_external_id(source), None


def _with_content(file: Any, content: bytes) -> tuple[str, bytes] | tuple[str, bytes, Any]:
    """A path's ``file=`` value with the bytes read from it: the same name (and so the same
    content type) in the multipart body, the same bytes, no second read."""
    if isinstance(file, tuple):  # (filename, path[, content_type])
        return (file[0], content, *file[2:])
    return (os.path.basename(os.fspath(file)), content)


# --- entries ------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Job:
    """One entry on its way: the ``create()`` arguments, and what is left to derive."""

    index: int
    item: object
    kwargs: dict[str, Any]
    identify: _Identify | None = None
    throttled: int = 0  # 429s create() gave up on, after which the batch submitted it again
    epoch: int = 0  # the pacer's epoch when it was launched

    def outcome(
        self,
        *,
        result: CreatedDocument | None = None,
        document: Document | None = None,
        error: Exception | None = None,
    ) -> BulkOutcome:
        return BulkOutcome(
            index=self.index,
            item=self.item,
            external_id=self.kwargs.get("external_id"),
            result=result,
            document=document,
            error=error,
        )


def _closest(name: str, valid: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _derivable(file: Any) -> str | bytes | None:
    """What a mapping's ``file`` gives to derive an id from: a path or bytes; not a stream."""
    if isinstance(file, tuple) and len(file) in (2, 3):
        file = file[1]
    if isinstance(file, (str, os.PathLike)):
        return os.fspath(file)
    if isinstance(file, (bytes, bytearray, memoryview)):
        return bytes(file)
    return None


def plan(index: int, entry: Any, schema: str, options: Mapping[str, Any]) -> _Job | BulkOutcome:
    """One entry as a job, or as the failed outcome that says why it cannot be one."""
    base: dict[str, Any] = {"schema": schema, **options}
    if isinstance(entry, str) and entry.startswith("https://"):
        return _Job(index, entry, {**base, "file_url": entry})
    if isinstance(entry, (str, os.PathLike)):
        path = os.fspath(entry)
        if not isinstance(path, str):
            return _Job(index, entry, base).outcome(
                error=TypeError(f"items[{index}]: a path must be text, got bytes {path!r}")
            )
        job = _Job(index, entry, {**base, "file": path})
        job.identify = _Identify(path, loose=isinstance(entry, str), label=f"items[{index}]")
        return job
    if isinstance(entry, Mapping):
        unknown = [key for key in entry if key not in _ENTRY_KEYS]
        if unknown:
            name = unknown[0]
            hint = _closest(name, _ENTRY_KEYS) if isinstance(name, str) else ""
            return _Job(index, entry, base).outcome(
                error=TypeError(
                    f"items[{index}]: {name!r} is not an argument of documents.create(){hint}"
                )
            )
        job = _Job(index, entry, {**base, **entry})
        if "external_id" not in entry and entry.get("file") is not None:
            source = _derivable(entry["file"])
            if source is not None:
                job.identify = _Identify(source, label=f"items[{index}]")
        return job
    return _Job(index, entry, base).outcome(
        error=TypeError(
            f"items[{index}] must be a file path, an https:// URL or a mapping of "
            f"documents.create() arguments, got {type(entry).__name__}"
        )
    )


# --- one job: hash, create, wait ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Create:
    kwargs: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Wait:
    document_id: str
    kwargs: dict[str, Any]


_Call = _Identify | _Create | _Wait


@dataclass(frozen=True, slots=True)
class _Finished:
    """A finished job: its outcome, or the 429 ``create()`` gave up on (to be paced)."""

    job: _Job
    outcome: BulkOutcome | None = None
    throttled: RateLimitError | None = None


def _item(job: _Job, wait: dict[str, Any] | None) -> Generator[_Call, Any, _Finished]:
    """One job as calls for a driver: each call's result is sent back, or its exception
    thrown in. A 429 ends the job as ``throttled``: nothing was created, the batch decides."""
    if job.identify is not None:
        try:
            external_id, content = yield job.identify
        except Exception as exc:
            return _Finished(job, job.outcome(error=exc))
        job.identify = None  # a job submitted again after a 429 is not hashed twice
        if external_id is not None:
            job.kwargs["external_id"] = external_id
        if content is not None:
            job.kwargs["file"] = _with_content(job.kwargs["file"], content)
    try:
        created: CreatedDocument = yield _Create(job.kwargs)
    except RateLimitError as exc:
        return _Finished(job, throttled=exc)
    except Exception as exc:
        return _Finished(job, job.outcome(error=exc))
    if wait is None:
        return _Finished(job, job.outcome(result=created))
    try:
        document: Document = yield _Wait(created.id, wait)
    except Exception as exc:
        return _Finished(job, job.outcome(result=created, error=exc))
    return _Finished(job, job.outcome(result=created, document=document))


# --- pacing -------------------------------------------------------------------------------


class Pacer:
    """How many jobs may be in flight, and until when nothing may be sent.

    Additive increase, multiplicative decrease: every success widens the window by
    ``1/window`` (about one more job per round trip) up to ``concurrency``; a 429 halves it
    (once per burst: the jobs launched before the halving all met the same limit) and stops
    every launch until the ``retry-after`` has passed. A ``retry-after`` longer than the
    client's ``retry_after_cap`` stops the batch: what is left is reported, not sent.
    """

    def __init__(
        self,
        concurrency: int,
        *,
        clock: Any,
        retry_after_cap: float,
    ) -> None:
        self.limit = concurrency
        self.window = float(concurrency)
        self.in_flight = 0
        self.resume_at = -math.inf
        self.epoch = 0
        self.given_up: RateLimitError | None = None
        self._clock = clock
        self._cap = retry_after_cap

    def wait_time(self) -> float | None:
        """``0``: launch a job now; ``> 0``: seconds until sending may resume; ``None``: the
        window is full, wait for a job to finish."""
        remaining: float = self.resume_at - self._clock()
        if remaining > 0:
            return remaining
        if self.in_flight >= int(self.window):
            return None
        return 0.0

    def launched(self) -> int:
        """A job was launched; returns the epoch to hand back with its end."""
        self.in_flight += 1
        return self.epoch

    def finished(self, *, ok: bool) -> None:
        """A job ended (a success widens the window; any other failure is neutral)."""
        self.in_flight -= 1
        if ok:
            self.window = min(float(self.limit), self.window + 1.0 / self.window)

    def throttled(self, epoch: int, error: RateLimitError) -> bool:
        """A ``create()`` ended in 429 after its own retries; whether to submit it again."""
        self.in_flight -= 1
        delay = error.retry_after
        if delay is not None and delay > self._cap:
            self.given_up = error
            return False
        if epoch == self.epoch:
            self.window = max(1.0, self.window / 2)
            self.epoch += 1
        pause = delay if delay is not None else DEFAULT_PAUSE
        self.resume_at = max(self.resume_at, self._clock() + pause)
        return True

    def not_sent(self) -> RateLimitError:
        """The error of an entry left unsent once the batch gave up on a long retry-after."""
        given_up = self.given_up
        assert given_up is not None
        wait = given_up.retry_after or 0.0
        return RateLimitError(
            f"Not sent: Numora asked to wait {wait:g}s, longer than the client's "
            f"retry_after_cap ({self._cap:g}s), so the batch stopped sending. Run it again "
            "later: what was created is found, not duplicated.",
            status_code=429,
            code="rate_limited",
            retry_after=given_up.retry_after,
        )


# --- the batch as commands ----------------------------------------------------------------


class _Pull:
    """Command: send back the next entry, or :data:`END`."""


PULL = _Pull()
END: Any = object()


@dataclass(frozen=True, slots=True)
class _Launch:
    job: _Job


@dataclass(frozen=True, slots=True)
class _Collect:
    """Send back the jobs that finished (a list of :class:`_Finished`, at least one unless
    ``timeout`` seconds passed; ``None``: no timeout)."""

    timeout: float | None


@dataclass(frozen=True, slots=True)
class _Pause:
    seconds: float


@dataclass(frozen=True, slots=True)
class _Emit:
    outcome: BulkOutcome


_Command = _Pull | _Launch | _Collect | _Pause | _Emit


@dataclass(frozen=True)
class _Spec:
    """``create_many``'s checked arguments."""

    schema: str
    concurrency: int
    options: dict[str, Any]
    wait: dict[str, Any] | None  # wait() keyword arguments, or None without wait=True


def _schedule(spec: _Spec, pacer: Pacer) -> Generator[_Command, Any, None]:
    """The batch: entries pulled only when a job may start, so memory stays flat."""
    index = 0
    again: deque[_Job] = deque()  # throttled jobs, submitted again before new entries
    exhausted = False
    while True:
        pause: float | None = 0.0
        while again or not exhausted:
            if pacer.given_up is None:
                pause = pacer.wait_time()
                if pause != 0:
                    break
            if again:
                job = again.popleft()
            else:
                entry = yield PULL
                if entry is END:
                    exhausted = True
                    continue
                planned = plan(index, entry, spec.schema, spec.options)
                index += 1
                if isinstance(planned, BulkOutcome):
                    yield _Emit(planned)
                    continue
                job = planned
            if pacer.given_up is not None:
                yield _Emit(job.outcome(error=pacer.not_sent()))
                continue
            job.epoch = pacer.launched()
            yield _Launch(job)
        if pacer.in_flight == 0:
            if exhausted and not again:
                return
            yield _Pause(pause or DEFAULT_PAUSE)  # paused, nothing in flight
            continue
        finished: list[_Finished] = yield _Collect(pause or None)
        for done in finished:
            job = done.job
            if done.throttled is None:
                assert done.outcome is not None
                pacer.finished(ok=done.outcome.ok)
                yield _Emit(done.outcome)
            elif pacer.throttled(job.epoch, done.throttled) and (
                job.throttled < MAX_THROTTLED_ROUNDS
            ):
                job.throttled += 1
                again.append(job)
            else:
                yield _Emit(job.outcome(error=done.throttled))


# --- arguments ----------------------------------------------------------------------------


def _positive(name: str, value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def check_arguments(
    *,
    schema: str,
    concurrency: int,
    wait: bool,
    deadline: float,
    poll_interval: float,
    options: Mapping[str, Any],
) -> _Spec:
    """Check the values of ``create_many``'s arguments (their types were checked against the
    signature by :mod:`numora._arguments` before this runs), and plan what each call gets."""
    from ._config import check_max_retries, to_timeout

    if not schema.strip():
        raise ValueError("schema must be a non-empty schema id such as 'invoice_v2'")
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(
            f"concurrency must be from 1 to {MAX_CONCURRENCY} (requests in flight), "
            f"got {concurrency}"
        )
    deadline = _positive("deadline", deadline)
    poll_interval = _positive("poll_interval", poll_interval)
    checked: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    if "timeout" in checked:
        to_timeout(checked["timeout"])
    if "max_retries" in checked:
        check_max_retries(checked["max_retries"])
    waits: dict[str, Any] | None = None
    if wait:
        waits = {"deadline": deadline, "poll_interval": poll_interval}
        waits.update((k, v) for k, v in checked.items() if k in _WAIT_OPTIONS)
    return _Spec(schema=schema, concurrency=concurrency, options=checked, wait=waits)


def _check_items(items: Any, *, allow_async: bool) -> None:
    if isinstance(items, (str, bytes, bytearray, os.PathLike, Mapping)):
        raise TypeError(
            "items must be an iterable of entries (paths, https:// URLs or mappings), got "
            f"one {type(items).__name__}; wrap a single entry in a list: [entry]"
        )
    if isinstance(items, AsyncIterable) and not isinstance(items, Iterable):
        if allow_async:
            return
        raise TypeError(
            "items is an async iterable: use AsyncNumora's documents.create_many with "
            "`async for`, or pass a plain iterable"
        )
    if not isinstance(items, Iterable):
        raise TypeError(
            f"items must be an iterable of entries (e.g. a list or a generator), got "
            f"{type(items).__name__}"
        )


def create_many(
    documents: Documents[Any],
    items: Any,
    *,
    schema: str,
    concurrency: int,
    wait: bool,
    deadline: float,
    poll_interval: float,
    options: Mapping[str, Any],
) -> Generator[BulkOutcome, None, None] | AsyncGenerator[BulkOutcome, None]:
    """Check the arguments, then hand the batch to the driver of the resource's client."""
    from ._client import AsyncNumora, Numora

    spec = check_arguments(
        schema=schema,
        concurrency=concurrency,
        wait=wait,
        deadline=deadline,
        poll_interval=poll_interval,
        options=options,
    )
    client = documents._client
    if not isinstance(client, (Numora, AsyncNumora)):
        raise TypeError(
            "create_many() is not available on with_raw_response: call it on the client "
            "(client.documents.create_many(...))"
        )
    pacer = Pacer(
        spec.concurrency, clock=client._clock, retry_after_cap=client._config.retry_after_cap
    )
    # One parent span for the batch when tracing is on (numora._observe.operation); each job's
    # calls are made its children where they run (op.run in a thread, op.activate in a task).
    op = operation(documents, "Documents.create_many")
    if isinstance(client, AsyncNumora):
        _check_items(items, allow_async=True)
        return _within_async(op, _run_async(documents, items, spec, pacer, op))
    _check_items(items, allow_async=False)
    return _within(op, _run_sync(documents, iter(items), spec, pacer, op))


def _within(
    op: Operation, outcomes: Generator[BulkOutcome, None, None]
) -> Generator[BulkOutcome, None, None]:
    with op:
        yield from outcomes


async def _within_async(
    op: Operation, outcomes: AsyncGenerator[BulkOutcome, None]
) -> AsyncGenerator[BulkOutcome, None]:
    with op:
        try:
            async for outcome in outcomes:
                yield outcome
        finally:
            await outcomes.aclose()


async def _activated(op: Operation, job: Awaitable[_Finished]) -> _Finished:
    with op.activate():
        return await job


# --- the drivers: the only code that sends, sleeps or waits -------------------------------
# ``documents`` is typed Any below: one driver serves only one kind of client.


def _resume(
    steps: Generator[_Call, Any, _Finished], result: Any, error: Exception | None
) -> _Call | _Finished:
    """Hand a call's result (or exception) back to a job; its next call, or its end."""
    try:
        return steps.throw(error) if error is not None else steps.send(result)
    except StopIteration as stop:
        finished: _Finished = stop.value
        return finished


def _drive_sync(documents: Any, job: _Job, wait: dict[str, Any] | None) -> _Finished:
    steps = _item(job, wait)
    step: _Call | _Finished = next(steps)
    while not isinstance(step, _Finished):
        result: Any = None
        error: Exception | None = None
        try:
            if isinstance(step, _Create):
                result = documents.create(**step.kwargs)
            elif isinstance(step, _Wait):
                result = documents.wait(step.document_id, **step.kwargs)
            else:
                result = identify(step)
        except Exception as exc:
            error = exc
        step = _resume(steps, result, error)
    return step


class _Stopped(Exception):
    """The batch was left early: a job that was going to sleep gives up instead."""


def _stoppable(sleep: Callable[[float], None], stop: threading.Event) -> Callable[[float], None]:
    """``sleep`` that ends (raising :class:`_Stopped`) as soon as ``stop`` is set, so that a
    batch left early does not wait for its jobs' retry waits and polls to run out."""
    if sleep is time.sleep:

        def sleep_unless_stopped(seconds: float) -> None:
            if stop.wait(seconds):
                raise _Stopped

        return sleep_unless_stopped

    def sleep_then_check(seconds: float) -> None:  # a test's clock: it does not block
        sleep(seconds)
        if stop.is_set():
            raise _Stopped

    return sleep_then_check


def _run_sync(
    documents: Any, entries: Iterator[Any], spec: _Spec, pacer: Pacer, op: Operation
) -> Generator[BulkOutcome, None, None]:
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
    from concurrent.futures import wait as wait_any

    client = documents._client
    sleep = client._sleep
    stop = threading.Event()
    # The jobs run on a copy of the client (same pool, same settings) whose sleeps end when
    # the batch does; calls themselves still go through documents.create() and wait().
    workers = client.with_options()
    workers._sleep = _stoppable(sleep, stop)
    documents = workers.documents
    commands = _schedule(spec, pacer)
    pool = ThreadPoolExecutor(spec.concurrency, thread_name_prefix="numora-create-many")
    running: set[Future[_Finished]] = set()
    reply: Any = None
    try:
        while True:
            try:
                command = commands.send(reply)
            except StopIteration:
                return
            reply = None
            if isinstance(command, _Emit):
                yield command.outcome
            elif isinstance(command, _Pull):
                reply = next(entries, END)
            elif isinstance(command, _Launch):
                running.add(pool.submit(op.run, _drive_sync, documents, command.job, spec.wait))
            elif isinstance(command, _Collect):
                done, _ = wait_any(running, command.timeout, FIRST_COMPLETED)
                running -= done
                reply = [future.result() for future in done]
            else:
                sleep(command.seconds)
    finally:
        commands.close()
        # Leaving early (break, an exception): nothing more is sent; requests in flight
        # finish, and jobs waiting (a retry-after, a poll of wait=True) stop at once.
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


async def _drive_async(documents: Any, job: _Job, wait: dict[str, Any] | None) -> _Finished:
    import asyncio

    steps = _item(job, wait)
    step: _Call | _Finished = next(steps)
    while not isinstance(step, _Finished):
        result: Any = None
        error: Exception | None = None
        try:
            if isinstance(step, _Create):
                result = await documents.create(**step.kwargs)
            elif isinstance(step, _Wait):
                result = await documents.wait(step.document_id, **step.kwargs)
            else:  # file I/O: off the event loop
                result = await asyncio.to_thread(identify, step)
        except Exception as exc:
            error = exc
        step = _resume(steps, result, error)
    return step


async def _run_async(
    documents: Any, items: Any, spec: _Spec, pacer: Pacer, op: Operation
) -> AsyncGenerator[BulkOutcome, None]:
    import asyncio

    entries: Iterator[Any] | None = None
    async_entries: AsyncIterator[Any] | None = None
    if isinstance(items, Iterable):
        entries = iter(items)
    else:
        async_entries = aiter(cast("AsyncIterable[Any]", items))
    sleep = documents._client._sleep_async
    commands = _schedule(spec, pacer)
    running: set[asyncio.Task[_Finished]] = set()
    reply: Any = None
    try:
        while True:
            try:
                command = commands.send(reply)
            except StopIteration:
                return
            reply = None
            if isinstance(command, _Emit):
                yield command.outcome
            elif isinstance(command, _Pull):
                if entries is not None:
                    reply = next(entries, END)
                else:
                    assert async_entries is not None
                    reply = await anext(async_entries, END)
            elif isinstance(command, _Launch):
                job = command.job
                drive = _drive_async(documents, job, spec.wait)
                running.add(asyncio.ensure_future(_activated(op, drive)))
            elif isinstance(command, _Collect):
                done, _ = await asyncio.wait(
                    running, timeout=command.timeout, return_when=asyncio.FIRST_COMPLETED
                )
                running -= done
                reply = [task.result() for task in done]
            else:
                await sleep(command.seconds)
    finally:
        commands.close()
        # Leaving early (break, cancellation): nothing more is sent; calls in flight are
        # cancelled, and awaited so that none outlives the batch.
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
