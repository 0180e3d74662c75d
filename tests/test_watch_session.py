"""A ``quiz grade --watch`` session: a save cancels a running grade, a "grading… N s" line on a
terminal, a weaker sandbox said once, and Ctrl-C (even mid-grade) leaves nothing running."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from terminal import spawn
from torch_helpers import ROOT, zygotes
from bigmodel_quiz.errors import ExitCode

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the warm worker is Linux-only")

ENDLESS = (
    "# exercise: mlp-param-count\n"
    "while True:\n"
    "    pass\n"
)
FIXED = (
    "# exercise: mlp-param-count\n"
    "def count_mlp_params(layer_sizes, bias=True):\n"
    "    if len(layer_sizes) < 2 or min(layer_sizes) < 1:\n"
    "        raise ValueError('bad sizes')\n"
    "    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))\n"
)


def _descendants(root: int) -> list[int]:
    """Live (non-zombie) processes below ``root``."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="utf-8") as f:
                    fields = f.read().rpartition(")")[2].split()
                if fields[0] != "Z":
                    parents[int(name)] = int(fields[1])
            except (OSError, ValueError, IndexError):
                pass
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, parent in parents.items() if parent == pid]
        found += kids
        frontier += kids
    return found


def test_a_save_during_an_endless_grade_cancels_it_at_once(tmp_path):
    from bigmodel_quiz.grader.runner import GradeRequest
    from bigmodel_quiz.grader.watch import watch

    file = tmp_path / "mlp.py"
    file.write_text(ENDLESS, encoding="utf-8")
    stop, reports, starts, errors, saved = threading.Event(), [], [], [], []

    def on_start():
        starts.append(time.monotonic())

    def on_report(report):
        reports.append((time.monotonic(), report))
        stop.set()

    def run():
        try:
            watch(GradeRequest(file, seed=0, record=False, timeout=30), on_report, on_start=on_start, stop=stop)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not starts and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # the endless loop runs
    assert not reports
    file.write_text(FIXED, encoding="utf-8")
    saved.append(time.monotonic())
    thread.join(60)
    stop.set()
    assert not thread.is_alive() and not errors, errors
    assert len(starts) == 2  # the endless grade, then the save's
    assert len(reports) == 1  # the cancelled grade is not reported
    at, report = reports[0]
    assert report.status.value == "passed"
    assert at - saved[0] < 10.0  # far from the 30 s timeout (generous: a loaded machine)
    time.sleep(0.2)
    assert _descendants(os.getpid()) == []  # the endless grade and the warm worker are gone


def test_the_terminal_shows_grading_seconds_and_ctrl_c_mid_grade_leaves_nothing(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    file = tmp_path / "mlp.py"
    file.write_text(FIXED, encoding="utf-8")
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1", QUIZ_HOME=str(tmp_path / "home"), TERM="xterm")
    child = spawn(sys.executable, ["-m", "bigmodel_quiz", "grade", str(file), "--watch", "--timeout", "60"],
                  cwd=str(ROOT), env=env, encoding="utf-8", timeout=60)
    try:
        child.expect("Ctrl-C to stop")
        assert "PASSED" in child.before
        file.write_text(ENDLESS, encoding="utf-8")
        child.expect(r"grading… [2-9] s")  # counting while the endless grade runs
        file.write_text(FIXED + "\n# fixed again\n", encoding="utf-8")  # cancels it: no 60 s wait
        child.expect("PASSED", timeout=20)
        child.expect("Ctrl-C to stop")
        file.write_text(ENDLESS, encoding="utf-8")
        child.expect(r"grading… [1-9] s")
        quiz = child.pid
        assert zygotes(quiz)
        child.sendintr()  # in the middle of the endless grade
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    assert child.exitstatus == ExitCode.OK
    time.sleep(0.3)
    assert zygotes(quiz) == [] and not os.path.exists(f"/proc/{quiz}/stat")
    assert _descendants(os.getpid()) == []  # the endless grade died with the watch


def test_no_grading_line_in_json_or_piped_output(tmp_path):
    file = tmp_path / "mlp.py"
    file.write_text(ENDLESS, encoding="utf-8")
    env = dict(os.environ, QUIZ_HOME=str(tmp_path / "home"))
    for extra in (["--json"], []):
        proc = subprocess.Popen([sys.executable, "-m", "bigmodel_quiz", "grade", str(file), "--watch", "--timeout", "2", *extra],
                                cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(4.5)  # the endless grade times out after 2 s, reported once
        finally:
            proc.send_signal(2)
            stdout, stderr = proc.communicate(timeout=30)
        assert proc.returncode == ExitCode.OK
        assert "grading…" not in stdout and "grading…" not in stderr
        if extra:
            doc = json.loads(stdout.splitlines()[0])
            assert doc["error"]["kind"] == "timeout"
        else:
            assert "timeout" in stdout


def test_the_weaker_sandbox_is_said_once_per_watch(monkeypatch, capsys):
    from bigmodel_quiz.cli import watch_view
    from bigmodel_quiz.grader import watch as watch_module
    from bigmodel_quiz.grader.report import GradeReport, GradeStatus
    from bigmodel_quiz.grader.runner import GradeRequest
    from bigmodel_quiz.grader.sandbox import fallback_notice

    notice = fallback_notice("bwrap is not installed")
    report = GradeReport(exercise="mlp-param-count", status=GradeStatus.PASSED, passed=1, total=1, device="cpu",
                         duration_s=0.1, cases=(), error=None, seed=0, file="mlp.py", notices=(notice,),
                         sandbox="namespaces")

    def three_grades(request, on_report, **_kwargs):
        for _ in range(3):
            on_report(report)
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_module, "watch", three_grades)
    assert watch_view.run_watch(GradeRequest(ROOT / "mlp.py", seed=0), as_json=False) == ExitCode.OK
    shown = capsys.readouterr()
    assert shown.out.count("PASSED") == 3
    assert " ".join(shown.out.split()).count("the full sandbox is not available") == 1
