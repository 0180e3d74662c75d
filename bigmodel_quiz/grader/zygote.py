"""The warm worker of ``quiz grade --watch``: imports once, forks a fresh child per grade.

Run by ``watch.py`` as ``python -I zygote.py IO_DIR CONTROL_FD`` inside the same
sandbox as any submission (limits, network and mount namespaces, no capabilities),
so everything it forks inherits that sandbox. It loads ``harness.py`` by path and runs
its preload step once — NumPy, torch and the exercise's trusted case module, then the
import blocker — and never imports a submission itself. For each grade the parent
sends, over a Unix socket, the grade's folders and environment with three descriptors
(stdout, stderr and the "go" pipe). The zygote forks; the child becomes a session of
its own, takes those descriptors, folders, environment and CPU limit, and continues
exactly as ``harness.py`` would after its preload: import the submission, wait for
"go", run the cases. The zygote is a child subreaper: whatever a grade leaves behind
is re-parented to it and killed as soon as that grade's child has exited, before
the exit is reported to the parent. It exits when the parent closes the socket.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from typing import Any

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
_MAX_MESSAGE = 1 << 20


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
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


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


def _run_grade(harness, warm, request: dict, fds: list[int], sock: socket.socket) -> None:  # type: ignore[no-untyped-def]
    """In the forked child: become the grade's process, then go on as harness.py does."""
    import resource

    sock.close()
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the fork cleared the zygote's own setting
    _prctl(PR_SET_CHILD_SUBREAPER, 0)
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
    child = harness.Child(request["io_dir"], go)
    child.spec = warm.spec
    if child.import_submission() and child.wait_for_go():
        child.run_cases()
    child.leave()


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

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # as harness.main: an OSError, not a kill
    sock = socket.socket(fileno=control_fd)
    harness = _load_harness()
    warm = _warm_up(harness, io_dir)
    _send(sock, {"ready": warm is not None})
    if warm is None:
        return  # the parent reads the preload's ready.json
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
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
                _run_grade(harness, warm, request, fds, sock)
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        _send(sock, {"pid": pid})
        pidfd = os.pidfd_open(pid)
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
