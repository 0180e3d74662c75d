"""A probe the grader tests share: can a sandboxed child here be kept from seeing a folder?"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
import time
from pathlib import Path


@functools.cache
def can_hide() -> bool:
    """True when a sandboxed child cannot see a hidden folder here (probed once per test run)."""
    from bigmodel_quiz.grader.sandbox import Limits, Sandbox, child_env

    probe = Path(tempfile.mkdtemp(prefix="quiz-probe-"))
    try:
        (probe / "secret").write_text("x")
        code = "import os, sys; sys.exit(3 if os.path.exists(sys.argv[1]) else 0)"
        with Sandbox(Limits(wall_s=10), hide=(probe,)) as sb:
            sb.spawn([sys.executable, "-I", "-S", "-c", code, str(probe / "secret")], env=child_env(sb.workdir))
            return sb.wait(time.monotonic() + 10).returncode == 0
    finally:
        shutil.rmtree(probe, ignore_errors=True)
