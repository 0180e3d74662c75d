"""Start-up: ``quiz --help`` and ``quiz topics --json`` against ``python -c "import typer"``.

Targets: --help <= 2.5x and topics --json <= 3x the bare Typer import, measured in
the same run (median of several runs each).
"""

from __future__ import annotations

import sys
import tempfile

from _timing import BIN, env_with, report, time_command


def main() -> int:
    home = tempfile.mkdtemp(prefix="quiz-bench-")
    env = env_with(QUIZ_HOME=home)
    py = sys.executable
    baseline = time_command([py, "-c", "import typer"], env=env)
    help_ = time_command([str(BIN / "quiz"), "--help"], env=env)
    topics = time_command([str(BIN / "quiz"), "topics", "--json"], env=env)
    ok = report(
        [("python -c 'import typer'", baseline), ("quiz --help", help_), ("quiz topics --json", topics)],
        [("quiz --help / import typer", help_, baseline, 2.5),
         ("quiz topics --json / import typer", topics, baseline, 3.0)],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
