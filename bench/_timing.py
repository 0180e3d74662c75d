"""Timing helpers shared by the benchmarks: whole-process wall time, median of runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def time_command(cmd: list[str], *, runs: int = 11, env: dict | None = None, cwd: Path | None = None,
                 stdin: bytes | None = None) -> float:
    """Median wall-clock seconds of ``cmd`` over ``runs`` runs (after one warm-up)."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=cwd, input=stdin, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-500:]}")
        if i:
            times.append(elapsed)
    return statistics.median(times)


def report(rows: list[tuple[str, float]], ratios: list[tuple[str, float, float, float]]) -> bool:
    """Print each figure and each ratio with its target; True when all targets hold."""
    width = max(len(name) for name, _ in rows)
    for name, secs in rows:
        print(f"{name:<{width}}  {secs * 1000:8.1f} ms")
    ok = True
    for name, a, b, target in ratios:
        ratio = a / b
        good = ratio <= target
        ok &= good
        print(f"{name}: {ratio:.2f}x (target <= {target}x) {'ok' if good else 'MISSED'}")
    return ok


def env_with(**extra: str) -> dict:
    """The current environment plus ``extra``."""
    env = dict(os.environ)
    env.update(extra)
    return env
