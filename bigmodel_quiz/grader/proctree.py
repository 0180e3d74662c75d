"""Finding the processes a submission started, and their resident memory (Linux, macOS)."""

from __future__ import annotations

import os
import subprocess
import sys

MIB = 1024 * 1024


def parse_proc_stat(text: str) -> tuple[int, int]:
    """(pid, ppid) from a ``/proc/PID/stat`` line (the command name may hold spaces and parentheses)."""
    head, _, rest = text.rpartition(")")
    pid = int(head.split("(", 1)[0])
    return pid, int(rest.split()[1])


def parse_ps(text: str) -> list[tuple[int, int]]:
    """(pid, ppid) pairs from ``ps -A -o pid=,ppid=``."""
    pairs = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
            pairs.append((int(parts[0]), int(parts[1])))
    return pairs


def tree_of(pairs: list[tuple[int, int]], roots: set[int]) -> list[int]:
    """Every pid under ``roots`` (excluded themselves) given (pid, ppid) pairs."""
    children: dict[int, list[int]] = {}
    for pid, ppid in pairs:
        children.setdefault(ppid, []).append(pid)
    out, todo, seen = [], list(roots), set(roots)
    while todo:
        for kid in children.get(todo.pop(), []):
            if kid not in seen:
                seen.add(kid)
                out.append(kid)
                todo.append(kid)
    return out


def _linux_pairs() -> list[tuple[int, int]]:
    pairs = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as f:
                    pairs.append(parse_proc_stat(f.read()))
            except (OSError, ValueError, IndexError):
                pass  # exited meanwhile
    return pairs


def _linux_children(pid: int) -> list[int] | None:
    """The children of every thread of ``pid`` (None when the kernel lacks the ``children`` file)."""
    out: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as f:
                out.extend(int(x) for x in f.read().split())
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{tid}"):
                continue
            return None
        except (OSError, ValueError):
            pass
    return out


def own_children() -> list[int]:
    """This process's children (orphans re-parented to it as a subreaper included)."""
    kids = _linux_children(os.getpid())
    if kids is None:
        me = os.getpid()
        kids = [pid for pid, ppid in _linux_pairs() if ppid == me]
    return kids


def descendants(root: int) -> list[int]:
    """Every live process under ``root`` (zombies included), on Linux or macOS."""
    if sys.platform.startswith("linux"):
        out: list[int] = []
        todo = [root]
        while todo:
            kids = _linux_children(todo.pop())
            if kids is None:  # no CONFIG_PROC_CHILDREN: scan /proc
                return tree_of(_linux_pairs(), {root})
            out.extend(kids)
            todo.extend(kids)
        return out
    if sys.platform == "darwin":
        try:
            ps = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True, timeout=5)
        except (OSError, subprocess.SubprocessError):
            return []
        return tree_of(parse_ps(ps.stdout), {root})
    return []


def rss_mb(pids: list[int]) -> float:
    """The summed resident size of ``pids`` in MiB (0 where it cannot be read)."""
    total = 0.0
    if sys.platform.startswith("linux"):
        page = os.sysconf("SC_PAGE_SIZE")
        for pid in pids:
            try:
                with open(f"/proc/{pid}/statm", encoding="ascii") as f:
                    total += int(f.read().split()[1]) * page / MIB
            except (OSError, ValueError, IndexError):
                pass
    elif sys.platform == "darwin" and pids:
        try:
            ps = subprocess.run(["ps", "-o", "rss=", "-p", ",".join(map(str, pids))], capture_output=True, text=True, timeout=5)
            total = sum(int(x) for x in ps.stdout.split() if x.isdigit()) / 1024
        except (OSError, subprocess.SubprocessError):
            pass
    return total
