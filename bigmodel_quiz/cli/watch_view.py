"""``quiz grade FILE --watch``: the screen that shows the latest grade after every save."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from bigmodel_quiz.errors import ExitCode, QuizError


def run_watch(request: Any, *, as_json: bool, lang: str = "en") -> int:
    """Watch ``request.file`` until Ctrl-C; the exit code once stopped (0: the user stopped it)."""
    from dataclasses import replace

    from bigmodel_quiz.cli.console import err, out, print_error, print_notice
    from bigmodel_quiz.grader.runner import fresh_seed
    from bigmodel_quiz.grader.watch import watch

    shown = str(request.file)
    if request.seed is None:  # one seed for the whole watch: re-grades stay comparable
        request = replace(request, seed=fresh_seed())
    ticker = _Ticker(out(), lang) if not as_json and out().is_terminal else None
    said: set[str] = set()  # a notice (the weaker sandbox) is said once per watch, not on every grade

    def on_report(report: Any) -> None:
        if ticker is not None:
            ticker.stop()
        if as_json:
            from bigmodel_quiz.grader.report import to_json

            sys.stdout.write(json.dumps(to_json(report), ensure_ascii=False) + "\n")  # one line per grade
            sys.stdout.flush()
            return
        from bigmodel_quiz.cli.grade_view import render_grade_report, watch_line

        console = out()
        if console.is_terminal:
            console.clear()  # the screen holds the latest grade only
        notices = tuple(n for n in report.notices if n not in said)
        said.update(report.notices)
        render_grade_report(console, replace(report, notices=notices), shown, lang)
        console.print(watch_line(shown, lang, time.strftime("%H:%M:%S")))

    def on_error(exc: Exception) -> None:
        if ticker is not None:
            ticker.stop()
        print_error(exc.message if isinstance(exc, QuizError) else str(exc))
        from bigmodel_quiz.cli.grade_view import watch_line

        err().print(watch_line(shown, lang))

    try:
        watch(request, on_report, on_error=on_error, on_start=ticker.start if ticker is not None else None)
    except KeyboardInterrupt:
        if ticker is not None:
            ticker.stop()
        # The worker and everything it started are gone by now (watch's own cleanup).
        from bigmodel_quiz.cli.messages import GRADE

        print_notice(GRADE[lang]["stopped_watching"])
        return int(ExitCode.OK)
    return int(ExitCode.OK)


class _Ticker:
    """``grading… N s`` under the last report while a grade runs (a terminal only; gone when it ends)."""

    def __init__(self, console: Any, lang: str) -> None:
        from bigmodel_quiz.cli.messages import GRADE

        self.console = console
        self.label = GRADE[lang]["grading"]
        self.started = time.monotonic()
        self.live: Any = None

    def __rich__(self) -> Any:  # rendered again on every refresh: the seconds count up
        from rich.text import Text

        return Text(self.label.format(seconds=int(time.monotonic() - self.started)), style="dim")

    def start(self) -> None:
        """A grade starts (a newer save's grade restarts the count)."""
        from rich.live import Live

        self.started = time.monotonic()
        if self.live is None:
            self.live = Live(self, console=self.console, transient=True, refresh_per_second=4,
                             redirect_stdout=False, redirect_stderr=False)
            self.live.start()

    def stop(self) -> None:
        """The grade ended: the line goes away."""
        if self.live is not None:
            self.live.stop()
            self.live = None
