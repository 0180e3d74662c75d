"""Running the submission's process: limits, isolation, timeout, and nothing left behind.

Linux, where bubblewrap can run (unprivileged user namespaces, or root): the child runs
in ``bwrap`` (:mod:`bwrap`): new user, PID, IPC, UTS, network and mount namespaces, no
capabilities, a filesystem made only of read-only binds of what it needs plus its
working folder and output folder, size-bounded private /tmp and /dev/shm. Around it,
as everywhere on Linux: its own session, a scrubbed environment, no stdin,
RLIMIT_CPU/AS/FSIZE/CORE (and NPROC when not root), death with the grader (PDEATHSIG),
no new privileges, and the grader as a child subreaper; process counts are polled
(RLIMIT_NPROC does not bind root), and on CUDA the resident size. Where bwrap cannot
run, the older isolation applies and the report says once what is missing: a new
network namespace and a mount namespace in which the reference solutions are covered
by an empty tmpfs, no capabilities as root. macOS: timeout, session kill and memory by
polling the resident size. Windows: timeout and a whole-tree kill. :func:`plan` holds
these platform decisions; the system calls are in :mod:`isolation`, the process-tree
walking in :mod:`proctree`, the bwrap command line in :mod:`bwrap`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from bigmodel_quiz.grader.isolation import Linux, drop_capabilities, enter_namespaces, system_tasks
from bigmodel_quiz.grader.proctree import MIB, descendants, own_children, rss_mb

# The child's exit status when the grader's own side failed before the submission ran
# (its files could not be read, the grade's namespaces could not be made): harness.py and
# zygote.py exit with it and say why on stderr.
GRADER_FAILED = 70
OUTPUT_HEAD = 3072  # bytes of captured output shown from the start
OUTPUT_TAIL = 1024  # and from the end, when there is more


class MemoryMode(str, Enum):
    """How memory is bounded."""

    RLIMIT = "rlimit"  # RLIMIT_AS: NumPy and CPU PyTorch
    POLL = "poll"  # resident size polled by the grader: CUDA (huge virtual reservations), macOS
    NONE = "none"  # Windows


@dataclass(frozen=True)
class Limits:
    """What one run of the submission's process may use."""

    wall_s: float = 10.0
    memory_mb: int = 2048
    fsize_mb: int = 128  # also bounds its captured stdout/stderr files
    max_procs: int = 32  # processes in its tree (threads are not counted)
    cpu_s: float | None = None  # None: wall_s × cores, a backstop should the grader die


@dataclass(frozen=True)
class Plan:
    """The isolation a platform gets (decided by :func:`plan`, applied by :class:`Sandbox`)."""

    memory: MemoryMode
    rlimits: bool
    namespaces: bool
    subreaper: bool
    drop_caps: bool
    nproc_rlimit: bool
    tree_kill: str  # "session+subreaper" | "session+ps" | "taskkill"
    notice: str | None  # said once to the user when part of the sandbox is missing
    bwrap: str | None = None  # the bwrap binary the child runs in (Linux, where it can run)

    @property
    def name(self) -> str:
        """The sandbox in one word (``--json``'s ``sandbox``): bwrap, namespaces, limits or process-tree."""
        if self.bwrap:
            return "bwrap"
        if self.namespaces:
            return "namespaces"
        return "limits" if self.rlimits else "process-tree"


MACOS_NOTICE = (
    "on macOS the grader applies the timeout, CPU and file-size limits, a session kill and a resident-memory"
    " limit; network isolation, hiding the reference solutions and catching double-forked processes are Linux-only"
)
WINDOWS_NOTICE = (
    "on Windows the grader applies the timeout and a process-tree kill only; memory, CPU and file-size limits,"
    " network isolation and hiding the reference solutions are Linux-only"
)


def fallback_notice(why: str) -> str:
    """What a Linux grade without bwrap lacks, and why bwrap could not run."""
    return (
        f"the full sandbox is not available ({why}); the submission runs with limits, a private network and"
        " hidden reference solutions, but it can see the rest of the filesystem and the user's other"
        " processes (install bubblewrap or allow unprivileged user namespaces)"
    )


def plan(platform: str, *, is_root: bool, cuda: bool, bwrap: str | None = None, why: str = "bwrap cannot run") -> Plan:
    """The isolation for ``platform`` (``sys.platform``), as root or not, on CUDA or not, with bwrap or not."""
    if platform.startswith("linux"):
        return Plan(
            memory=MemoryMode.POLL if cuda else MemoryMode.RLIMIT, rlimits=True, namespaces=bwrap is None,
            subreaper=True, drop_caps=is_root and bwrap is None, nproc_rlimit=not is_root,
            tree_kill="session+subreaper", notice=None if bwrap else fallback_notice(why), bwrap=bwrap,
        )
    if platform == "darwin":
        return Plan(
            memory=MemoryMode.POLL, rlimits=True, namespaces=False, subreaper=False, drop_caps=False,
            nproc_rlimit=False, tree_kill="session+ps", notice=MACOS_NOTICE,
        )
    return Plan(
        memory=MemoryMode.NONE, rlimits=False, namespaces=False, subreaper=False, drop_caps=False,
        nproc_rlimit=False, tree_kill="taskkill", notice=WINDOWS_NOTICE,
    )


def current_plan(*, cuda: bool = False) -> Plan:
    """The plan for this machine."""
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not sys.platform.startswith("linux"):
        return plan(sys.platform, is_root=is_root, cuda=cuda)
    from bigmodel_quiz.grader import bwrap

    path, why = bwrap.available()
    return plan(sys.platform, is_root=is_root, cuda=cuda, bwrap=path, why=why or "bwrap cannot run")


# ---------------------------------------------------------------------------- environment

_PASS_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
             "MKL_NUM_THREADS", "SYSTEMROOT", "WINDIR", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE")


def child_env(workdir: Path, source: dict[str, str] | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A scrubbed environment: a minimal PATH, the locale, the workdir as HOME/TMPDIR, single-threaded BLAS."""
    source = dict(os.environ) if source is None else source
    env = {k: source[k] for k in _PASS_ENV if k in source}
    if os.name == "posix":
        env["PATH"] = "/usr/bin:/bin"
    else:
        env["PATH"] = os.path.join(source.get("SYSTEMROOT", r"C:\Windows"), "System32")
    env.setdefault("LANG", "C.UTF-8")
    env["HOME"] = env["TMPDIR"] = env["TMP"] = env["TEMP"] = str(workdir)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")  # small inputs; one thread keeps results and start-up steady
    env.update(extra or {})
    return env


def _preexec(limits: Limits, the_plan: Plan, hide: tuple[bytes, ...], nproc: int | None) -> Callable[[], None]:
    import resource

    cpu = limits.cpu_s if limits.cpu_s is not None else limits.wall_s * max(1, os.cpu_count() or 1) + 5
    settings = [
        (resource.RLIMIT_CPU, int(cpu) + 1),
        (resource.RLIMIT_FSIZE, limits.fsize_mb * MIB),
        (resource.RLIMIT_CORE, 0),
    ]
    if the_plan.memory is MemoryMode.RLIMIT:
        settings.append((resource.RLIMIT_AS, limits.memory_mb * MIB))
    if nproc is not None:
        settings.append((resource.RLIMIT_NPROC, nproc))
    linux = sys.platform.startswith("linux")
    if linux:
        Linux.libc()  # loaded here, not after the fork

    def run() -> None:
        for which, value in settings:
            try:
                _soft, hard = resource.getrlimit(which)
                value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                resource.setrlimit(which, (value, value))
            except (ValueError, OSError):
                pass
        if linux:
            Linux.libc().prctl(Linux.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if the_plan.namespaces:
                enter_namespaces(hide)
            if the_plan.drop_caps:
                drop_capabilities()
            # No set-user-id program (sudo, su, ...) can lift it out of its limits.
            Linux.libc().prctl(Linux.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    return run


# ---------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Output:
    """One captured stream: what is shown of it, its full size, and whether it was cut."""

    text: str
    size: int
    truncated: bool


@dataclass(frozen=True)
class Exit:
    """How the process ended."""

    returncode: int | None  # negative: killed by that signal
    killed_for: str | None  # "timeout" | "memory" | "procs" when the grader killed it
    wall_s: float
    peak_rss_mb: float = 0.0

    @property
    def signal(self) -> int | None:
        """The signal that ended it, if one did."""
        return -self.returncode if self.returncode is not None and self.returncode < 0 else None


def read_stream(f: Any, head: int = OUTPUT_HEAD, tail: int = OUTPUT_TAIL) -> Output:
    """The start (and end) of an open stream file, with its size; never the whole of a huge file."""
    try:
        size = os.fstat(f.fileno()).st_size
        f.seek(0)
        if size <= head + tail:
            return Output(f.read(size).decode("utf-8", "replace"), size, False)
        start = f.read(head)
        f.seek(size - tail)
        end = f.read(tail)
    except (OSError, ValueError):
        return Output("", 0, False)
    omitted = size - head - tail
    text = (start.decode("utf-8", "replace") + f"\n… {omitted:,} bytes omitted …\n" + end.decode("utf-8", "replace"))
    return Output(text, size, True)


@dataclass
class Sandbox:
    """A temporary home for one run: ``work/`` (its cwd), ``io/in``, ``io/out``, the captured streams.

    Use as a context manager; leaving it kills whatever is left and removes the files.
    """

    limits: Limits = field(default_factory=Limits)
    hide: tuple[Path, ...] = ()
    cuda: bool = False
    files: tuple[Path, ...] = ()  # child-side files the child may read (bwrap: all it sees of the package)
    writable: tuple[Path, ...] = ()  # more folders the child may write (the warm worker's grades)
    parent_dir: Path | None = None  # where the run's temporary folder is made (None: the system's)
    root: Path = field(init=False)
    plan: Plan = field(init=False)
    proc: subprocess.Popen[bytes] | None = field(init=False, default=None)
    _preexisting: set[int] = field(init=False, default_factory=set)
    _subreaper: bool = field(init=False, default=False)
    _peak_rss: float = field(init=False, default=0.0)
    _cleaned: bool = field(init=False, default=False)
    _dir_fds: tuple[int, ...] = field(init=False, default=())
    _streams: tuple[Any, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        self.plan = current_plan(cuda=self.cuda)

    # -- files -------------------------------------------------------------------------
    @property
    def workdir(self) -> Path:
        return self.root / "work"

    @property
    def inbox(self) -> Path:
        return self.root / "io" / "in"

    @property
    def outbox(self) -> Path:
        return self.root / "io" / "out"

    @property
    def inbox_ref(self) -> str | int:
        """The inbox as the grader should write to it: a directory fd where the OS has them."""
        return self._dir_fds[0] if self._dir_fds else str(self.inbox)

    @property
    def outbox_ref(self) -> str | int:
        """The outbox as the grader should read it (see :attr:`inbox_ref`)."""
        return self._dir_fds[1] if self._dir_fds else str(self.outbox)

    def __enter__(self) -> "Sandbox":
        self.root = Path(tempfile.mkdtemp(prefix="quiz-grade-", dir=self.parent_dir)).resolve()
        for d in (self.workdir, self.inbox, self.outbox):
            d.mkdir(parents=True)
        # Opened before the child exists: renaming or replacing the folders by links later
        # cannot redirect what the grader writes or reads.
        if os.open in os.supports_dir_fd:
            flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
            self._dir_fds = (os.open(self.inbox, flags), os.open(self.outbox, flags))
        self._streams = (open(self.root / "io" / "stdout.txt", "w+b"), open(self.root / "io" / "stderr.txt", "w+b"))
        if self.plan.bwrap:
            from bigmodel_quiz.grader import bwrap

            bwrap.write_etc(self.root / "etc")
        if self.plan.subreaper:
            self._preexisting = set(own_children())
            self._subreaper = Linux.set_subreaper(True)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.kill_all()
        finally:
            # Nothing the child left behind can make the clean-up fail.
            if self._subreaper:
                Linux.set_subreaper(False)
            for fd in self._dir_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            for stream in self._streams:
                with contextlib.suppress(OSError):
                    stream.close()
            remove_tree(self.root)

    # -- start -------------------------------------------------------------------------
    def view(self) -> Any:
        """The child's filesystem under bwrap (see :mod:`bwrap`)."""
        from bigmodel_quiz.grader import bwrap
        from bigmodel_quiz.paths import _data_path

        package = Path(__file__).resolve().parent.parent
        hide = self.hide + (package, _data_path().resolve())
        return bwrap.View(self.workdir, self.inbox, self.outbox, self.root / "etc", files=bwrap.child_files(list(self.files)),
                          writable=self.writable, hide=hide, tmp_mb=tmpfs_mb(self.limits), gpu=self.cuda)

    def command(self, argv: list[str], info_fd: int | None = None) -> list[str]:
        """``argv`` as the plan runs it: inside bwrap (with the real interpreter) where it can."""
        if not self.plan.bwrap:
            return argv
        from bigmodel_quiz.grader import bwrap

        if argv and argv[0] == sys.executable:
            argv = [bwrap.interpreter()] + argv[1:]
        head = self.view().argv(self.plan.bwrap)
        if info_fd is not None:  # bwrap writes to it once the sandbox is made (nothing: it could not)
            head[1:1] = ["--info-fd", str(info_fd)]
        return head + argv

    def spawn(self, argv: list[str], *, env: dict[str, str], pass_fds: tuple[int, ...] = ()) -> None:
        """Start the process with the plan's limits and isolation.

        Under bwrap the grader waits the few milliseconds bwrap takes to make the sandbox;
        should it fail (no user namespaces here), the run starts again with the older
        isolation and the plan says so (no separate probe on the way of every grade).
        """
        if not self.plan.bwrap:
            return self._popen(argv, env, pass_fds)
        from bigmodel_quiz.grader import bwrap

        info_read, info_write = os.pipe()
        try:
            self._popen(self.command(argv, info_write), env, pass_fds + (info_write,))
        finally:
            os.close(info_write)
        try:
            made = _read_some(info_read, timeout=10.0)
        finally:
            os.close(info_read)
        if made:
            return
        self.kill_all()
        self._cleaned = False
        err = self._streams[1]
        why = read_stream(err).text.strip().splitlines()
        err.seek(0)
        err.truncate()
        reason = f"bwrap cannot make the sandbox here ({why[-1] if why else 'no reason given'})"
        bwrap.mark_unusable(reason)
        self.plan = plan(sys.platform, is_root=os.geteuid() == 0, cuda=self.cuda, why=reason)
        self._popen(argv, env, pass_fds)

    def _popen(self, argv: list[str], env: dict[str, str], pass_fds: tuple[int, ...]) -> None:
        hide = tuple(os.fsencode(p) for p in self.hide if p.is_dir())
        nproc = system_tasks() + self.limits.max_procs + 64 if self.plan.nproc_rlimit else None
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True
            if self.plan.rlimits:
                kwargs["preexec_fn"] = _preexec(self.limits, self.plan, hide, nproc)
        else:
            kwargs.update(creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
        out, err = self._streams
        self.proc = subprocess.Popen(
            argv, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            pass_fds=pass_fds, close_fds=True, **kwargs,
        )

    # -- wait --------------------------------------------------------------------------
    def wait(self, deadline: float) -> Exit:
        """Wait until the process exits or ``deadline`` (``time.monotonic()``) passes, guarding memory and forks."""
        assert self.proc is not None
        start = time.monotonic()
        pidfd = self._wake_fd()
        tick, killed_for, next_guard = 0.002, None, 0.0
        # Linux reads /proc cheaply; elsewhere each look at the tree runs `ps`.
        guard_every = 0.01 if sys.platform.startswith("linux") else 0.25
        try:
            while not _exited(self.proc):
                now = time.monotonic()
                if now >= deadline:
                    killed_for = "timeout"
                    break
                if now >= next_guard:
                    killed_for = self._guard()
                    if killed_for:
                        break
                    next_guard = now + guard_every
                _sleep_on(pidfd, min(tick, deadline - now))
                tick = min(tick * 2, 0.05)
        finally:
            if pidfd is not None:
                os.close(pidfd)
        # Whatever it started dies with it, while its unreaped leader still pins the group id.
        self.kill_all()
        return Exit(self._returncode(), killed_for, time.monotonic() - start, self._peak_rss)

    def _returncode(self) -> int | None:
        """The child's status; bwrap passes on a death by signal N as 128 + N."""
        rc = self.proc.returncode if self.proc is not None else None
        if self.plan.bwrap and rc is not None and 128 < rc < 128 + 65:
            return -(rc - 128)
        return rc

    def _wake_fd(self) -> int | None:
        """A descriptor that becomes readable when the process may have ended (ours: a pidfd)."""
        assert self.proc is not None
        return _pidfd(self.proc.pid)

    def _tree(self) -> list[int]:
        """The run's process and every descendant, orphans re-parented to us included."""
        assert self.proc is not None
        pids = [self.proc.pid] + descendants(self.proc.pid)
        if self._subreaper:  # double forks and setsid children end up here
            for pid in own_children():
                if pid != self.proc.pid and pid not in self._preexisting and pid not in pids:
                    pids.append(pid)
                    pids.extend(descendants(pid))
        return pids

    def _guard(self) -> str | None:
        if self.plan.memory is not MemoryMode.POLL and not self.plan.subreaper:
            return None
        tree = self._tree()
        if len(tree) > self.limits.max_procs + (3 if self.plan.bwrap else 1):  # bwrap: its monitor and init too
            return "procs"
        if self.plan.memory is MemoryMode.POLL:
            rss = rss_mb(self._counted(tree))
            self._peak_rss = max(self._peak_rss, rss)
            if rss > self.limits.memory_mb:
                return "memory"
        return None

    def _counted(self, tree: list[int]) -> list[int]:
        """The processes whose resident size counts against the limit."""
        return tree

    # -- kill --------------------------------------------------------------------------
    def kill_all(self) -> None:
        """Kill the process, its session and every descendant (orphans included), and reap them."""
        proc = self.proc
        if proc is None or self._cleaned:
            return
        if os.name != "posix":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
            proc.wait()
            self._cleaned = True
            return
        for _ in range(200):
            if proc.returncode is None:  # the group id is ours while the leader is unreaped
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
            tree = self._tree() if proc.returncode is None else self._tree()[1:]
            live = [pid for pid in tree if _alive(pid)]
            for pid in live:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            if proc.returncode is None and _exited(proc):
                proc.wait()
            self._reap_orphans()
            if not live and proc.returncode is not None:
                break
            time.sleep(0.002)
        self._cleaned = True

    def _reap_orphans(self) -> None:
        # Only processes that became our children through the run; the grader's other
        # children belong to whoever started them.
        if not self._subreaper or self.proc is None:
            return
        for pid in set(own_children()) - self._preexisting - {self.proc.pid}:
            try:
                os.waitpid(pid, os.WNOHANG)
            except OSError:
                pass

    # -- output ------------------------------------------------------------------------
    def output(self) -> tuple[Output, Output]:
        """The captured (stdout, stderr), read through the grader's own handles (never a planted link)."""
        return read_stream(self._streams[0]), read_stream(self._streams[1])


def _alive(pid: int) -> bool:
    """True unless ``pid`` is gone or a zombie."""
    if sys.platform.startswith("linux"):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
                return f.read().rpartition(")")[2].split()[0] != "Z"
        except OSError:
            return False
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """True once the process has ended, without reaping it (its zombie keeps the group id)."""
    if proc.returncode is not None:
        return True
    if hasattr(os, "waitid"):
        try:
            return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return proc.poll() is not None
    return proc.poll() is not None


def _read_some(fd: int, timeout: float) -> bytes:
    """One JSON object from ``fd``: what arrives until a closing brace or end of file (bounded)."""
    import select

    deadline = time.monotonic() + timeout
    data = b""
    while len(data) < 65536:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        if data.rstrip().endswith(b"}"):
            break
    return data


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None


def _sleep_on(pidfd: int | None, seconds: float) -> None:
    if seconds <= 0:
        return
    if pidfd is None:
        time.sleep(seconds)
        return
    import select

    select.select([pidfd], [], [], seconds)  # wakes up as soon as the process exits


def tmpfs_mb(limits: Limits) -> int:
    """The size of each private tmpfs (/tmp, /dev/shm, the working folder) under bwrap."""
    return max(16, min(256, limits.memory_mb // 16))


def remove_tree(root: Path, budget_s: float = 30.0) -> None:
    """Remove ``root`` whatever the child left in it (read-only, very deep or huge trees); never raises.

    Iterative, with one folder descriptor open at a time (climbing back through ``..``,
    which nobody can move any more: every process of the run is dead): a 5,000-level
    tree neither recurses nor runs out of descriptors, a link is removed and never
    followed, and what cannot be removed within ``budget_s`` is left, not raised about.
    """
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    if os.name != "posix" or os.listdir not in os.supports_fd:
        shutil.rmtree(root, ignore_errors=True)
        return
    try:
        fd = os.open(root, flags)
    except OSError:
        return
    deadline = time.monotonic() + budget_s
    # One frame per open level: (its name in the level above, names still to remove, names given up).
    stack: list[tuple[str, list[str], set[str]]] = [("", _names(fd), set())]
    try:
        while stack and time.monotonic() < deadline:
            name_here, pending, failed = stack[-1]
            if not pending:
                pending.extend(n for n in _names(fd) if n not in failed)
            if not pending:  # this level is empty (or all that is left is given up): climb
                stack.pop()
                if not stack:
                    break
                parent = os.open("..", flags, dir_fd=fd)
                os.close(fd)
                fd = parent
                try:
                    os.rmdir(name_here, dir_fd=fd)
                except OSError:
                    stack[-1][2].add(name_here)
                continue
            name = pending.pop()
            try:
                is_dir = stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
            except OSError:
                continue
            if not is_dir:
                if not _unlink(name, fd):
                    failed.add(name)
                continue
            try:  # into it (an empty one is removed on the way back up)
                os.chmod(name, 0o700, dir_fd=fd)
                sub = os.open(name, flags, dir_fd=fd)
            except OSError:
                failed.add(name)
                continue
            os.close(fd)
            fd = sub
            stack.append((name, _names(fd), set()))
    except Exception:
        pass
    with contextlib.suppress(OSError):
        os.close(fd)
    with contextlib.suppress(OSError):
        os.rmdir(root)
    if os.path.lexists(root):
        with contextlib.suppress(Exception):  # RecursionError on a tree deeper than the budget reached
            shutil.rmtree(root, ignore_errors=True)


def _names(fd: int) -> list[str]:
    try:
        return os.listdir(fd)
    except OSError:
        return []


def _unlink(name: str, fd: int) -> bool:
    try:
        os.unlink(name, dir_fd=fd)
        return True
    except OSError:
        pass
    try:
        os.fchmod(fd, 0o700)
        os.unlink(name, dir_fd=fd)
        return True
    except OSError:
        return False

