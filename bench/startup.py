"""Start-up against ``python -c "import typer"``, measured in the same run (median of several runs each).

- ``quiz --help``: target <= 2.5x;
- ``quiz topics --json``: target <= 3x;
- first question: ``quiz start`` with piped input, from launch until it exits after ``q``
  is read at the first question (the bank loaded, the questions chosen, the first one
  drawn and its prompt read): target <= 4x.

Compiled modules are cached as users have them; the bank cache is warm (one run before
the timed ones), as it is after the first command. The commands take turns, run by run,
so that a change in the machine's load weighs on every figure alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile

from _timing import BIN, env_with, report, time_command

QUIT = b"q\n"
RUNS = 11


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
    quiz = str(BIN / "quiz")
    commands: list[tuple[list[str], bytes | None]] = [
        ([sys.executable, "-c", "import typer"], None), ([quiz, "--help"], None),
        ([quiz, "topics", "--json"], None), ([quiz, "start", "--lang", "en"], QUIT)]
    turns: list[list[float]] = [[] for _ in commands]
    for _ in range(RUNS):
        for times, (cmd, stdin) in zip(turns, commands):
            times.append(time_command(cmd, runs=1, env=env, stdin=stdin))  # one warm-up run, one timed
    baseline, help_, topics, first = (statistics.median(t) for t in turns)
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
