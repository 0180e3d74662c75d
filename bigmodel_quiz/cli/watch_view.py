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

    def on_report(report: Any) -> None:
        if as_json:
            from bigmodel_quiz.grader.report import to_json

            sys.stdout.write(json.dumps(to_json(report), ensure_ascii=False) + "\n")  # one line per grade
            sys.stdout.flush()
            return
        from bigmodel_quiz.cli.grade_view import render_grade_report, watch_line

        console = out()
        if console.is_terminal:
            console.clear()  # the screen holds the latest grade only
        render_grade_report(console, report, shown, lang)
        console.print(watch_line(shown, lang, time.strftime("%H:%M:%S")))

    def on_error(exc: Exception) -> None:
        print_error(exc.message if isinstance(exc, QuizError) else str(exc))
        from bigmodel_quiz.cli.grade_view import watch_line

        err().print(watch_line(shown, lang))

    try:
        watch(request, on_report, on_error=on_error)
    except KeyboardInterrupt:
        # The worker and everything it started are gone by now (watch's own cleanup).
        from bigmodel_quiz.cli.messages import GRADE

        print_notice(GRADE[lang]["stopped_watching"])
        return int(ExitCode.OK)
    return int(ExitCode.OK)
