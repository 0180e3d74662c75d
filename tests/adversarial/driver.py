"""Grades one adversarial submission and prints what the tests check, as one JSON line.

Run by tests/test_adversarial.py as the test's own user (root here) or, through
``setpriv``, as an unprivileged one: ``python driver.py ARGS_JSON``. ``QUIZ_ADV_PATHS``
(a JSON list) is put in front of ``sys.path`` so that a system Python finds the
checkout and its installed dependencies. Not a test module.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time

sys.path[:0] = json.loads(os.environ.get("QUIZ_ADV_PATHS", "[]"))

from pathlib import Path  # noqa: E402

from rich.console import Console  # noqa: E402

from bigmodel_quiz.cli.grade_view import render_grade_report  # noqa: E402
from bigmodel_quiz.grader.report import to_json  # noqa: E402
from bigmodel_quiz.grader.runner import GradeRequest, grade_submission as grade  # noqa: E402


def _request(file: str, args: dict, sandbox=None) -> GradeRequest:  # type: ignore[no-untyped-def]
    return GradeRequest(Path(file), exercise=args["exercise"], seed=0, timeout=args.get("timeout"),
                        memory_mb=args.get("memory_mb"), record=False, sandbox=sandbox)


def main() -> None:
    args = json.loads(sys.argv[1])
    t0 = time.monotonic()
    if args.get("then"):  # watch mode: the attacker, then a second file with one warm worker
        from bigmodel_quiz.grader.watch import worker_pool

        with worker_pool() as pool:
            first = grade(_request(args["file"], args, pool.sandbox))
            time.sleep(args.get("pause", 1.0))
            report = grade(_request(args["then"], args, pool.sandbox))
            reports = [first, report]
    else:
        report = grade(_request(args["file"], args))
        reports = [report]
    seconds = time.monotonic() - t0
    human = io.StringIO()
    render_grade_report(Console(file=human, width=100, color_system=None, force_terminal=False), report, "sub.py")
    print(json.dumps({
        "reports": [to_json(r) for r in reports],
        "stdout": [r.stdout.text if r.stdout else "" for r in reports],
        "human": human.getvalue(),
        "seconds": seconds,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "uid": os.getuid(),
    }))


if __name__ == "__main__":
    main()
