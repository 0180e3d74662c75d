"""The warm worker of ``quiz grade --watch``: imports once, forks a fresh child per grade.

Run by ``watch.py`` as ``python -I zygote.py IO_DIR CONTROL_FD`` inside the same
sandbox as any submission (limits, network and mount namespaces, no capabilities),
so everything it forks inherits that sandbox. It loads ``harness.py`` by path and runs
its preload step once — NumPy, torch and the exercise's child module, then the
import blocker — and never imports a submission itself. For each grade the parent
sends, over a Unix socket, the grade's folders and environment with three descriptors
(stdout, stderr and the "go" pipe). The zygote forks a keeper, which enters new user,
PID, mount and IPC namespaces and forks the grade's process: the first process of its
own PID namespace, with its own /proc, size-bounded tmpfs over /tmp, /dev/shm and its
working folder, and no capabilities. It cannot see the zygote or an earlier grade, and
when it ends the kernel kills everything it started. It becomes a session of its own,
takes those descriptors, folders, environment and CPU limit, and continues exactly as
``harness.py`` would after its preload: import the submission, wait for "go", run the
cases. The keeper's descriptor (a pidfd) goes back to the parent, which reads the
keeper's pid in its own namespace from it. The zygote is also a child subreaper and
not dumpable (no same-user process may read or write its memory): whatever a grade
leaves behind is killed before the exit is reported to the parent. It exits when the
parent closes the socket. Where the namespaces cannot be made, the grade runs in the
keeper itself, as before.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from typing import Any

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_CHILD_SUBREAPER = 1, 4, 24, 36
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID = 0x00020000, 0x08000000, 0x10000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 8, 4096, 0x4000, 1 << 18
_MAX_MESSAGE = 1 << 20
GRADER_FAILED = 70  # the grade's exit status when the grader failed before the submission ran (sandbox.py)
_COVERED = ("/tmp", "/dev/shm")  # each grade gets fresh, size-bounded ones
_OWN_ROOT = ""  # this worker's own sandbox folder (its start document, its working folder)
_LIBC = None


def _libc():  # type: ignore[no-untyped-def]
    global _LIBC
    if _LIBC is None:
        import ctypes

        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _load_harness():  # type: ignore[no-untyped-def]
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness.py")
    spec = importlib.util.spec_from_file_location("_quiz_harness", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["_quiz_harness"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _prctl(option: int, value: int) -> None:
    try:
        _libc().prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _enter_grade_namespaces() -> bool:
    """In the keeper: new user, PID, mount and IPC namespaces for the grade (False: not permitted here)."""
    uid, gid = os.getuid(), os.getgid()
    if uid == 0 or _libc().unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC) != 0:
        return False  # (mapping id 0 needs a capability the sandbox has dropped)
    _prctl(PR_SET_DUMPABLE, 1)  # its own /proc/self files are its to write only while it is dumpable
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            fd = os.open(f"/proc/self/{name}", os.O_WRONLY)
            try:
                os.write(fd, text.encode())
            finally:
                os.close(fd)
    except OSError as exc:
        # In a user namespace without a mapping: nothing further is safe to do here.
        os.write(2, f"the warm worker could not isolate the grade: {exc}\n".encode())
        os._exit(GRADER_FAILED)
    _prctl(PR_SET_DUMPABLE, 0)  # as the zygote: the grade's process may not touch the keeper's memory
    return True


def _private_mounts(request: dict) -> None:
    """In the grade's process (PID 1 of its namespace): its own /proc and tmpfs folders, then no capabilities.

    A fresh /tmp and /dev/shm would also cover whatever the grade needs that lives there
    (a checkout, a virtual environment or an interpreter under /tmp; the grade's own
    folders): each such path (``request["keep"]`` and the grade's folder) is opened
    before and bound back at its own path after, with the mounts it held (read-only
    stays read-only).
    """
    libc = _libc()
    libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None)
    # Its own /proc where the kernel allows it (under bwrap it does not: the worker's
    # /proc has covered parts). Either way the zygote is out of reach: not in this PID
    # namespace (no signal, no ptrace) and not dumpable (no /proc/PID/mem).
    libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    size = f"size={int(request.get('tmp_mb') or 64)}m,mode=1777".encode()
    grade_root = os.path.dirname(os.path.normpath(request["io_dir"]))
    # Also the folders this worker may write wherever they are (its own, and the one
    # holding every grade's): nothing one grade writes may be there for the next.
    covered: list[str] = []
    for folder in sorted({*_COVERED, _OWN_ROOT, os.path.dirname(grade_root)} - {""}, key=len):
        if os.path.isdir(folder) and not any(folder.startswith(c + "/") for c in covered):
            covered.append(folder)
    kept = _open_kept([grade_root] + [str(p) for p in request.get("keep", [])], covered)
    try:
        for folder in covered:
            libc.mount(b"tmpfs", os.fsencode(folder), b"tmpfs", MS_NOSUID | MS_NODEV, size)
        for path, fd in kept:
            _bind_back(path, fd)
    finally:
        for _path, fd in kept:
            os.close(fd)
    libc.mount(b"tmpfs", os.fsencode(request["workdir"]), b"tmpfs", MS_NOSUID | MS_NODEV, size)
    _drop_capabilities()


def _open_kept(paths: list[str], covered: list[str]) -> list[tuple[str, int]]:
    """(path, O_PATH descriptor) of each path a new tmpfs over ``covered`` would hide, outermost first."""
    inside = sorted({os.path.normpath(p) for p in paths if any(os.path.normpath(p).startswith(c + "/") for c in covered)},
                    key=len)
    kept: list[tuple[str, int]] = []
    for path in inside:
        if any(path.startswith(k + "/") for k, _fd in kept):
            continue  # bound back with the folder above it
        try:
            kept.append((path, os.open(path, os.O_PATH | os.O_CLOEXEC)))
        except OSError:
            continue  # not there in this view: nothing to keep
    return kept


def _bind_back(path: str, fd: int) -> None:
    """Bind what ``fd`` refers to at ``path`` again (now under a fresh tmpfs), with its submounts."""
    if os.path.isdir(f"/proc/self/fd/{fd}"):
        os.makedirs(path, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o444))
    if _libc().mount(f"/proc/self/fd/{fd}".encode(), os.fsencode(path), None, MS_BIND | MS_REC, None) != 0:
        raise OSError(f"{path} could not be kept under the new /tmp")


def _drop_capabilities() -> None:
    import ctypes

    libc = _libc()
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    data = (Data * 2)()
    libc.capset(ctypes.byref(Header(0x20080522, 0)), data)  # _LINUX_CAPABILITY_VERSION_3: all zero


def _send(sock: socket.socket, doc: dict) -> None:
    sock.sendall(json.dumps(doc).encode() + b"\n")


def _warm_up(harness, io_dir: str):  # type: ignore[no-untyped-def]
    """Run the harness's preload once; the module state every forked child shares."""
    child = harness.Child(io_dir, -1)
    ok = child.preload()
    torch = sys.modules.get("torch")
    if ok and torch is not None and child.device == "cpu":
        try:
            # An optimizer's first step imports torch._dynamo (about a second): pay it here.
            # Not for CUDA grades: nothing that might touch the driver runs before a fork.
            import torch._dynamo  # noqa: F401
        except Exception:
            pass
    if ok and torch is not None and torch.cuda.is_initialized():
        return None  # CUDA cannot be used in a forked child: let each grade start fresh
    return child if ok else None


def _keep_grade(harness, warm, request: dict, fds: list[int], sock: socket.socket) -> None:  # type: ignore[no-untyped-def]
    """In the forked keeper: namespaces for the grade, its process, and its exit status passed on."""
    sock.close()
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the fork cleared the zygote's own setting
    _prctl(PR_SET_CHILD_SUBREAPER, 0)
    os.dup2(fds[1], 2)  # the grade's stderr: where a failure to isolate it is said
    if not _enter_grade_namespaces():
        _run_grade(harness, warm, request, fds)
        return
    pid = os.fork()
    if pid == 0:
        try:
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            try:
                _private_mounts(request)
            except BaseException as exc:
                _grader_failed(exc)
            _run_grade(harness, warm, request, fds)
        finally:
            os._exit(0)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _run_grade(harness, warm, request: dict, fds: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Become the grade's process, then go on as harness.py does."""
    import resource

    if os.getsid(0) != os.getpid():
        os.setsid()
    out, err, go = fds
    null = os.open(os.devnull, os.O_RDONLY)
    for fd, target in ((null, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
    for fd in (null, out, err):
        os.close(fd)
    cpu = int(request.get("cpu_s") or 0)
    if cpu > 0:
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        value = cpu if hard == resource.RLIM_INFINITY else min(cpu, hard)
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (value, value))
        except (ValueError, OSError):
            pass
    os.chdir(request["workdir"])
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    try:
        child = harness.Child(request["io_dir"], go)
    except BaseException as exc:  # before any of the submission's code: the grader's own files
        _grader_failed(exc)
    child.spec = warm.spec
    if child.import_submission() and child.wait_for_go():
        child.run_cases()
    child.leave()


def _grader_failed(exc: BaseException) -> None:
    """The grade could not start for the grader's own reasons: say why on its stderr, exit GRADER_FAILED."""
    try:
        os.write(2, f"the warm worker could not start the grade: {type(exc).__name__}: {exc}\n".encode())
    finally:
        os._exit(GRADER_FAILED)


def _kill_orphans(own: int) -> None:
    """Kill and reap every child of this process (what a finished grade left behind)."""
    while True:
        try:
            kids = [int(x) for t in os.listdir(f"/proc/{own}/task")
                    for x in open(f"/proc/{own}/task/{t}/children", encoding="ascii").read().split()]
        except OSError:
            kids = []
        for pid in kids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            return
        if not kids:
            return


def serve(io_dir: str, control_fd: int) -> None:
    """Preload, say ready, then fork one child per request until the parent hangs up."""
    import select

    global _OWN_ROOT
    _OWN_ROOT = os.path.dirname(os.path.normpath(os.path.abspath(io_dir)))
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # as harness.main: an OSError, not a kill
    sock = socket.socket(fileno=control_fd)
    harness = _load_harness()
    warm = _warm_up(harness, io_dir)
    _send(sock, {"ready": warm is not None})
    if warm is None:
        return  # the parent reads the preload's ready.json
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_DUMPABLE, 0)  # a grade's process may not read or write the zygote's memory
    buffer = b""
    while True:
        msg, fds, _flags, _addr = socket.recv_fds(sock, _MAX_MESSAGE, 3)
        if not msg:
            return
        buffer += msg
        if not buffer.endswith(b"\n"):
            for fd in fds:
                os.close(fd)
            continue
        request, buffer = json.loads(buffer), b""
        pid = os.fork()
        if pid == 0:
            try:
                _keep_grade(harness, warm, request, fds, sock)
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        # The pid in this namespace, and a pidfd from which the parent reads it in its own.
        socket.send_fds(sock, [json.dumps({"pid": pid}).encode() + b"\n"], [pidfd])
        try:
            while True:
                watched: list[Any] = [pidfd, sock]
                ready, _, _ = select.select(watched, [], [])
                if pidfd in ready:
                    break
                if sock in ready and not sock.recv(1, socket.MSG_PEEK):
                    return  # the parent went away mid-grade: PDEATHSIG and the sandbox kill the rest
        finally:
            os.close(pidfd)
        _, status = os.waitpid(pid, 0)
        _kill_orphans(os.getpid())
        _send(sock, {"exit": pid, "returncode": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
