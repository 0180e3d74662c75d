"""Linux isolation applied in the forked child before it runs the submission.

Namespaces (network, and mount to hide the references), a dropped capability
bounding set, and the prctl calls. The ctypes handles are prepared in the parent so
the child only makes system calls between fork and exec.
"""

from __future__ import annotations

import os
from typing import Any


class Linux:
    """ctypes handles, prepared in the parent so the forked child only makes system calls."""

    CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 0x4000, 1 << 18
    PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 24, 36, 38
    SIOCSIFFLAGS, IFF_UP, IFF_RUNNING = 0x8914, 0x1, 0x40

    _libc: Any = None

    @classmethod
    def libc(cls) -> Any:
        if cls._libc is None:
            import ctypes

            cls._libc = ctypes.CDLL(None, use_errno=True)
        return cls._libc

    @classmethod
    def set_subreaper(cls, on: bool) -> bool:
        try:
            return cls.libc().prctl(cls.PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0
        except (OSError, AttributeError):
            return False


def loopback_up() -> None:
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, Linux.SIOCSIFFLAGS, struct.pack("16sh", b"lo", Linux.IFF_UP | Linux.IFF_RUNNING))


def enter_namespaces(hide: tuple[bytes, ...]) -> None:
    """In the forked child: a new network namespace (loopback up) and, with ``hide``, a mount namespace hiding them."""
    libc = Linux.libc()
    uid, gid = os.getuid(), os.getgid()
    flags = Linux.CLONE_NEWNET | (Linux.CLONE_NEWNS if hide else 0)
    if uid != 0:
        flags |= Linux.CLONE_NEWUSER  # unprivileged namespaces, where the kernel allows them
    if libc.unshare(flags) != 0:
        return  # not permitted here: run without, silently
    if uid != 0:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            try:
                fd = os.open(f"/proc/self/{name}", os.O_WRONLY)
                os.write(fd, text.encode())
                os.close(fd)
            except OSError:
                pass
    try:
        loopback_up()  # 127.0.0.1 inside only (distributed exercises use it); nothing outside
    except OSError:
        pass
    if hide and libc.mount(None, b"/", None, Linux.MS_REC | Linux.MS_PRIVATE, None) == 0:
        opts = Linux.MS_RDONLY | Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC
        for path in hide:
            libc.mount(b"tmpfs", path, b"tmpfs", opts, b"size=4k,mode=000")


def drop_capabilities() -> None:
    # Root without a bounding set execs with no capabilities: it cannot raise its
    # limits, unmount the tmpfs over the references or leave its namespaces.
    libc = Linux.libc()
    for cap in range(64):
        libc.prctl(Linux.PR_CAPBSET_DROP, cap, 0, 0, 0)


def system_tasks() -> int:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return int(f.read().split()[3].split("/")[1])
    except (OSError, ValueError, IndexError):
        return 4096
