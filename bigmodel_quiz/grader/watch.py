"""``quiz grade FILE --watch``: re-grade on every save, with a warm worker.

A grade's start-up is mostly the child's imports (PyTorch alone is over a second). In
watch mode a zygote (``zygote.py``) runs inside a sandbox, imports them once and forks
a fresh child per grade; each child is still its own session with its own folders,
environment, descriptors and limits, and, where namespaces can be made, its own PID,
mount, IPC and user namespaces: it cannot see the zygote, and nothing of one grade
survives into the next (the kernel ends a PID namespace with its first process, and
the zygote kills what a grade left behind). Under bwrap the grades' folders are made
inside one folder of the watch that the zygote's sandbox binds writable. :class:`ZygoteSandbox` is the runner's
``Sandbox`` with one change — ``spawn`` asks the zygote to fork instead of starting an
interpreter — so waiting, the memory/process guards, the timeout and the final kill
are the very same code as for a normal grade. When the exercise, device or limits
change, the zygote is restarted; when it cannot be used, the grade falls back to a
fresh interpreter. A save while a grade runs stops that grade at once (the sandbox's
guard, asked every few milliseconds, sees the newer save) and grades the new content.
Leaving :func:`watch` (Ctrl-C included) kills the zygote's sandbox and with it every
process it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bigmodel_quiz.grader.sandbox import Limits, Sandbox, child_env, remove_tree, tmpfs_mb

ZYGOTE = Path(__file__).resolve().parent / "zygote.py"
_READY_TIMEOUT_S = 120.0  # a cold torch import on a slow disk
_EXIT_REPORT_S = 5.0  # how long a killed grade's exit may take to be reported by the zygote
_IDLE_WAKE_MS = 200  # how often the idle watcher wakes (cheap; lets the first grade start once it watches)


class ZygoteError(Exception):
    """The zygote could not start or stopped answering (the grade falls back to a fresh process)."""


class _Channel:
    """The parent's end of the Unix socket to the zygote: JSON lines, descriptors attached."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = b""
        self.fds: list[int] = []  # descriptors that came with the messages, in order

    def send(self, doc: dict[str, Any], fds: list[int]) -> None:
        socket.send_fds(self.sock, [json.dumps(doc).encode() + b"\n"], fds)

    def receive(self, timeout: float | None) -> dict[str, Any] | None:
        """The next message; None when none came within ``timeout`` (0: do not block)."""
        import select

        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.sock], [], [], wait)
            if not ready:
                return None
            chunk, fds, _flags, _addr = socket.recv_fds(self.sock, 65536, 4)
            self.fds.extend(fds)
            if not chunk:
                raise ZygoteError("the warm worker stopped")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)


class Zygote:
    """A sandboxed, pre-imported worker for one exercise start document (see zygote.py)."""

    def __init__(self, start: dict[str, Any], limits: Limits, hide: tuple[Path, ...], cuda: bool,
                 files: tuple[Path, ...] = (), grades: Path | None = None) -> None:
        self.start = start
        self.limits = limits
        self.key = _key(start, limits, hide, cuda)
        # The zygote lives as long as the watch: no wall clock; CPU time is set per grade.
        self.sandbox = Sandbox(replace(limits, wall_s=24 * 3600.0, cpu_s=24 * 3600.0), hide=hide, cuda=cuda,
                               files=tuple(dict.fromkeys(files + (ZYGOTE,))), writable=(grades,) if grades else ())
        self.channel: _Channel | None = None
        # What a grade reads after the fork, kept when its fresh /tmp would cover it.
        self.keep = _needed_paths(self.sandbox.files)

    def __enter__(self) -> "Zygote":
        from bigmodel_quiz.grader import protocol

        self.sandbox.__enter__()
        try:
            (self.sandbox.inbox / protocol.START).write_text(json.dumps(self.start), encoding="utf-8")
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                argv = [sys.executable, "-I", "-u", "-X", "utf8", str(ZYGOTE), str(self.sandbox.root / "io"), str(theirs.fileno())]
                self.sandbox.spawn(argv, env=child_env(self.sandbox.workdir), pass_fds=(theirs.fileno(),))
            finally:
                theirs.close()
            self.channel = _Channel(ours)
            ready = self.channel.receive(_READY_TIMEOUT_S)
            if not ready or not ready.get("ready"):
                raise ZygoteError("the warm worker could not import the exercise's modules")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the zygote and everything it started (its whole sandbox)."""
        if self.channel is not None:
            with contextlib.suppress(OSError):
                self.channel.sock.close()
            self.channel = None
        self.sandbox.__exit__(None, None, None)

    @property
    def alive(self) -> bool:
        """True while the zygote process runs."""
        proc = self.sandbox.proc
        return self.channel is not None and proc is not None and proc.poll() is None

    def fork(self, request: dict[str, Any], fds: list[int]) -> "ForkedProcess":
        """Ask for a child running one grade; returns a Popen-like handle on it."""
        assert self.channel is not None
        self.channel.send(request, fds)
        reply = self.channel.receive(10.0)
        if not reply or "pid" not in reply:
            raise ZygoteError("the warm worker did not fork")
        theirs = pid = int(reply["pid"])
        if self.channel.fds:  # a pidfd: the keeper's pid as this process sees it
            pidfd = self.channel.fds.pop(0)
            try:
                pid = _pid_of(pidfd) or pid
            finally:
                os.close(pidfd)
        return ForkedProcess(pid, self.channel, theirs)


class ForkedProcess:
    """What ``Sandbox`` needs of a ``Popen`` for a child forked by the zygote (not ours to reap)."""

    def __init__(self, pid: int, channel: _Channel, zygote_pid: int | None = None) -> None:
        self.pid = pid  # as this process sees it
        self.returncode: int | None = None
        self._channel = channel
        self._zygote_pid = pid if zygote_pid is None else zygote_pid  # as the zygote (in its own namespace) names it

    def poll(self) -> int | None:
        """The exit status once the zygote reported it (negative: the signal)."""
        if self.returncode is None:
            self._read(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until the zygote reports the exit (it reports right after reaping); at most a few seconds."""
        deadline = time.monotonic() + (timeout if timeout is not None else _EXIT_REPORT_S)
        while self.returncode is None:
            left = deadline - time.monotonic()
            if left <= 0:
                if timeout is not None:
                    raise TimeoutError(f"process {self.pid} did not end")
                self.returncode = -9  # killed, and the zygote is silent: the sandbox's kill covers the rest
                break
            self._read(min(left, 1.0))
        return self.returncode

    def _read(self, timeout: float) -> None:
        try:
            msg = self._channel.receive(timeout)
        except ZygoteError:
            msg = {"exit": self._zygote_pid, "returncode": -9}  # the zygote died: so did its children (PDEATHSIG)
        if msg and msg.get("exit") == self._zygote_pid:
            self.returncode = int(msg["returncode"])


@dataclass
class ZygoteSandbox(Sandbox):
    """A ``Sandbox`` whose ``spawn`` forks the grade from the warm worker when it matches."""

    pool: "WorkerPool | None" = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.pool is not None:
            self.parent_dir = self.pool.grades

    def _wake_fd(self) -> int | None:
        # The zygote says when the grade ended (after reaping it and what it left): wake up
        # on its message, not on the keeper's pidfd, readable a moment before that message.
        channel = getattr(self.proc, "_channel", None)
        if isinstance(channel, _Channel):
            try:
                return os.dup(channel.sock.fileno())
            except OSError:
                return None
        return super()._wake_fd()

    def _check_cancelled(self) -> None:
        cancel = self.pool.cancel if self.pool is not None else None
        if cancel is not None and cancel.is_set():
            raise GradeCancelled("a newer save came")

    def _guard(self) -> str | None:
        # Asked every few milliseconds while the grade runs: a newer save ends it at once
        # (leaving the sandbox kills whatever it started).
        self._check_cancelled()
        return super()._guard()

    def _counted(self, tree: list[int]) -> list[int]:
        # The keeper is a fork of the warm worker that only waits: its pages are the worker's.
        if isinstance(self.proc, ForkedProcess) and tree and tree[0] == self.proc.pid:
            return tree[1:]
        return tree

    def spawn(self, argv: list[str], *, env: dict[str, str], pass_fds: tuple[int, ...] = ()) -> None:
        from bigmodel_quiz.grader import protocol

        self._check_cancelled()
        start = json.loads((self.inbox / protocol.START).read_text(encoding="utf-8"))
        zygote = self.pool.zygote_for(start, self.limits, self.hide, self.cuda, self.files) if self.pool else None
        if zygote is not None and zygote.sandbox.proc is not None:
            self._preexisting.add(zygote.sandbox.proc.pid)  # our child, but not this grade's: never kill it
        if zygote is None or len(pass_fds) != 1:
            return super().spawn(argv, env=env, pass_fds=pass_fds)
        cpu = self.limits.cpu_s if self.limits.cpu_s is not None else self.limits.wall_s * max(1, os.cpu_count() or 1) + 5
        request = {"io_dir": str(self.root / "io"), "workdir": str(self.workdir), "env": env, "cpu_s": int(cpu) + 1,
                   "tmp_mb": tmpfs_mb(self.limits), "keep": zygote.keep}
        with open(self.root / "io" / "stdout.txt", "wb") as out, open(self.root / "io" / "stderr.txt", "wb") as err:
            try:
                self.proc = zygote.fork(request, [out.fileno(), err.fileno(), pass_fds[0]])  # type: ignore[assignment]
            except (ZygoteError, OSError):
                self.pool.discard()  # type: ignore[union-attr]
                self.proc = None
        if self.proc is None:
            super().spawn(argv, env=env, pass_fds=pass_fds)


class WorkerPool:
    """At most one zygote, kept for as long as grades ask for the same start document."""

    def __init__(self) -> None:
        import tempfile

        self._zygote: Zygote | None = None
        self.cancel: Any = None  # an Event: once set, the running grade stops (GradeCancelled)
        # Every grade's folder is made in here: the one folder the zygote's sandbox may write.
        self.grades = Path(tempfile.mkdtemp(prefix="quiz-watch-")).resolve()

    def zygote_for(self, start: dict[str, Any], limits: Limits, hide: tuple[Path, ...], cuda: bool,
                   files: tuple[Path, ...] = ()) -> Zygote | None:
        """The warm worker for this start document, started (or restarted) as needed; None to fall back."""
        key = _key(start, limits, hide, cuda)
        if self._zygote is not None and (self._zygote.key != key or not self._zygote.alive):
            self.discard()
        if self._zygote is None:
            try:
                self._zygote = Zygote(start, limits, hide, cuda, files, self.grades).__enter__()
            except (ZygoteError, OSError):
                return None  # the grade runs in a fresh process instead
        return self._zygote

    def sandbox(self, limits: Limits, *, hide: tuple[Path, ...] = (), cuda: bool = False, files: tuple[Path, ...] = ()) -> ZygoteSandbox:
        """The runner's sandbox factory for grades that should use this pool."""
        return ZygoteSandbox(limits, hide=hide, cuda=cuda, files=files, pool=self)

    def discard(self) -> None:
        """Stop the current zygote, if any."""
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def close(self) -> None:
        """Stop everything (called when the watch ends)."""
        try:
            self.discard()
        finally:
            remove_tree(self.grades)


def _needed_paths(files: tuple[Path, ...]) -> list[str]:
    """The interpreter's folders, its site-packages and the child-side files (with their compiled forms)."""
    from bigmodel_quiz.grader import bwrap

    return list(dict.fromkeys([*bwrap.python_roots(), *(str(f) for f in bwrap.child_files(list(files)))]))


def _pid_of(pidfd: int) -> int | None:
    """The pid a pidfd refers to, in this process's PID namespace (Linux 5.3+)."""
    try:
        with open(f"/proc/self/fdinfo/{pidfd}", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pid:"):
                    pid = int(line.split()[1])
                    return pid if pid > 0 else None
    except (OSError, ValueError, IndexError):
        pass
    return None


def _key(start: dict[str, Any], limits: Limits, hide: tuple[Path, ...], cuda: bool) -> str:
    # Everything the zygote fixed at start-up: what it imported, where, and the limits a
    # forked child can lower but never raise.
    fixed = {k: v for k, v in start.items() if k != "filename"}
    return json.dumps([fixed, limits.memory_mb, limits.fsize_mb, [str(p) for p in hide], cuda], sort_keys=True)


# ---------------------------------------------------------------------------- the loop


class GradeCancelled(Exception):
    """A newer save came while this grade ran: it was stopped, and is neither reported nor recorded."""


@contextlib.contextmanager
def worker_pool() -> Iterator[WorkerPool]:
    """A pool whose zygote (and all it started) is gone when the block ends."""
    pool = WorkerPool()
    try:
        yield pool
    finally:
        pool.close()


class _Saves:
    """Watches the file's folder in a thread: ``newer`` is set once the file differs from what is graded.

    Editors save by writing a new file and renaming it, hence the folder. A save that
    leaves the content as it was (a touch, an editor's second write) is not a change.
    """

    def __init__(self, path: Path, stop: Any, debounce_ms: int) -> None:
        import threading

        self.path = path
        self.newer = threading.Event()
        self.ready = threading.Event()  # the watcher runs: no save from now on is missed
        self.error: BaseException | None = None
        self._stop = stop
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self._graded: bytes | None = None
        self._debounce_ms = debounce_ms
        self._thread = threading.Thread(target=self._run, name="quiz-watch-saves", daemon=True)

    def is_set(self) -> bool:
        """True once the watch should end (watchfiles asks it as its stop event)."""
        return self._halt.is_set() or (self._stop is not None and self._stop.is_set())

    def __enter__(self) -> "_Saves":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._halt.set()
        self._thread.join(5.0)

    def take(self) -> None:
        """The file as it is now is what gets graded next."""
        with self._lock:
            self.newer.clear()
            try:
                self._graded = self.path.read_bytes()
            except OSError:
                self._graded = None

    def wait(self, event: Any) -> bool:
        """Wait for ``event`` (in short steps: Ctrl-C is seen at once); False once the watch should end."""
        while not event.is_set():
            if self.is_set():
                return False
            event.wait(0.1)
        return not self.is_set()

    def _run(self) -> None:
        import watchfiles

        try:
            # A short rust timeout makes the first (empty) yield come once the watcher runs.
            for changes in watchfiles.watch(self.path.parent, stop_event=self, step=self._debounce_ms, recursive=False,
                                            rust_timeout=_IDLE_WAKE_MS, yield_on_timeout=True, raise_interrupt=False):
                self.ready.set()
                if any(change != watchfiles.Change.deleted and Path(p).resolve() == self.path for change, p in changes):
                    self._changed()
        except BaseException as exc:  # the folder went away, ...: the watch ends with it
            self.error = exc
        finally:
            self._halt.set()
            self.ready.set()

    def _changed(self) -> None:
        try:
            content = self.path.read_bytes()
        except OSError:
            return  # deleted or unreadable mid-save: the next event brings it back
        with self._lock:
            if content != self._graded:
                self.newer.set()


def watch(
    request: Any,
    on_report: Callable[[Any], None],
    *,
    on_error: Callable[[Exception], None] | None = None,
    on_start: Callable[[], None] | None = None,
    stop: Any = None,
    debounce_ms: int = 20,
) -> None:
    """Grade ``request.file`` now and after every save until ``stop`` is set or Ctrl-C.

    ``on_start`` is called as each grade starts; ``on_report`` gets each GradeReport;
    ``on_error`` each QuizError (a file that cannot be graded right now, e.g. an unknown
    exercise header) — the watch goes on. A save while a grade runs (an endless loop,
    say) stops that grade at once, unreported, and grades the new content.
    """
    from bigmodel_quiz.errors import QuizError
    from bigmodel_quiz.grader.runner import grade_submission

    path = Path(request.file).resolve()
    with worker_pool() as pool, _Saves(path, stop, debounce_ms) as saves:
        pool.cancel = saves.newer
        due = saves.wait(saves.ready)  # the first grade, once no save can be missed
        while due:
            saves.take()
            if on_start is not None:
                on_start()
            try:
                on_report(grade_submission(replace(request, sandbox=pool.sandbox)))
            except GradeCancelled:
                pass  # a newer save is waiting: grade it now
            except QuizError as exc:
                if on_error is None:
                    raise
                on_error(exc)
            due = saves.wait(saves.newer)
    if saves.error is not None and not isinstance(saves.error, KeyboardInterrupt):
        raise saves.error
