"""Start-up against ``python -c "import typer"``, measured in the same run (median of several runs each).

- ``quiz --help``: target <= 2.5x;
- ``quiz topics --json``: target <= 3x;
- first question: ``quiz start`` with piped input, from launch until it exits after ``q``
  is read at the first question (the bank loaded, the questions chosen, the first one
  drawn and its prompt read): target <= 4x.

Compiled modules are cached as users have them; the bank cache is warm (one run before
the timed ones), as it is after the first command.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

from _timing import BIN, env_with, report, time_command

QUIT = b"q\n"


def _check_first_question(env: dict) -> None:
    """``quiz start`` must show a question and read the quit, or the timing means nothing."""
    from bigmodel_quiz.cli.messages import SESSION

    proc = subprocess.run([str(BIN / "quiz"), "start", "--lang", "en"], env=env, input=QUIT, capture_output=True)
    shown = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0 or SESSION["en"]["stopped"] not in shown:
        raise SystemExit(f"quiz start did not reach its first question: {shown[-1000:]} {proc.stderr.decode()[-1000:]}")


def main() -> int:
    home = tempfile.mkdtemp(prefix="quiz-bench-")
    env = env_with(QUIZ_HOME=home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as users run it: compiled modules cached
    _check_first_question(env)
    py = sys.executable
    baseline = time_command([py, "-c", "import typer"], env=env)
    help_ = time_command([str(BIN / "quiz"), "--help"], env=env)
    topics = time_command([str(BIN / "quiz"), "topics", "--json"], env=env)
    first = time_command([str(BIN / "quiz"), "start", "--lang", "en"], env=env, stdin=QUIT)
    ok = report(
        [("python -c 'import typer'", baseline), ("quiz --help", help_), ("quiz topics --json", topics),
         ("quiz start, to the first question", first)],
        [("quiz --help / import typer", help_, baseline, 2.5),
         ("quiz topics --json / import typer", topics, baseline, 3.0),
         ("first question (quiz start) / import typer", first, baseline, 4.0)],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
