"""``quiz grade --watch``: a warm worker forks a fresh, isolated child per save; nothing survives."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time

import pytest

from terminal import spawn
from torch_helpers import CASES, ROOT, torch_or_skip, zygotes
from bigmodel_quiz.errors import ExitCode

pytestmark = [pytest.mark.torch, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote is Linux-only")]


def _watch_until(request, count: int, after_report):
    """Run watch() in a thread until ``count`` reports came; (reports, seconds from each save to its report)."""
    from bigmodel_quiz.grader.watch import watch

    stop = threading.Event()
    reports, saved_at, latencies, errors = [], [0.0], [], []

    def on_report(report):
        if saved_at[0]:
            latencies.append(time.monotonic() - saved_at[0])
        reports.append(report)
        if len(reports) >= count:
            stop.set()
            return
        saved_at[0] = after_report(len(reports))

    thread = threading.Thread(target=lambda: _run(watch, request, on_report, stop, errors), daemon=True)
    thread.start()
    thread.join(180)
    stop.set()
    thread.join(10)
    assert not thread.is_alive() and not errors, errors
    return reports, latencies


def _run(watch, request, on_report, stop, errors):
    try:
        watch(request, on_report, stop=stop)
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def test_a_file_rewritten_twice_is_regraded_each_time_by_one_warm_worker(tmp_path):
    torch_or_skip()
    from bigmodel_quiz.grader.runner import GradeRequest

    file = tmp_path / "cnn.py"
    shutil.copy(CASES / "cnn-build-padding-1" / "submission.py", file)
    versions = {1: CASES / "cnn-build-reference" / "submission.py", 2: CASES / "cnn-build-missing-last-pool" / "submission.py"}
    seen_zygotes = []

    def save(n):
        seen_zygotes.append(tuple(zygotes()))
        time.sleep(0.3)  # a save after the watcher settled, as a person's would be
        shutil.copy(versions[n], file)
        return time.monotonic()

    reports, latencies = _watch_until(GradeRequest(file, seed=0, record=False), 3, save)
    assert [r.status.value for r in reports] == ["failed", "passed", "failed"]
    assert "2 pooling layers" in reports[2].cases[0].message
    assert len(seen_zygotes[0]) == 1 and seen_zygotes[0] == seen_zygotes[1]  # the same warm worker throughout
    assert max(latencies) < 5.0  # generous: a loaded CI machine; bench/grade_torch.py measures it
    time.sleep(0.2)
    assert zygotes() == []  # the worker and all it started are gone


def test_each_forked_grade_is_isolated_like_a_fresh_process(tmp_path, monkeypatch):
    torch_or_skip()
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission
    from bigmodel_quiz.grader.watch import worker_pool

    monkeypatch.setenv("QUIZ_SECRET_FOR_TEST", "leak")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "# exercise: count-parameters\n"
        "import os, sys\n"
        "print('cwd-empty', os.listdir('.') == [])\n"
        "print('secret', 'QUIZ_SECRET_FOR_TEST' in os.environ)\n"
        "print('own-session', os.getsid(0) == os.getpid())\n"
        "print('own-pid-namespace', os.getpid() == 1)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    os.execv('/bin/sleep', ['sleep', '7731'])\n"
        "def count_parameters(model, trainable_only=False):\n"
        "    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)\n",
        encoding="utf-8",
    )
    with worker_pool() as pool:
        first = grade_submission(GradeRequest(probe, seed=0, record=False, sandbox=pool.sandbox))
        second = grade_submission(GradeRequest(probe, seed=0, record=False, sandbox=pool.sandbox))
        assert first.status.value == second.status.value == "passed"
        for report in (first, second):
            text = report.stdout.text
            assert "cwd-empty True" in text and "secret False" in text and "own-session True" in text
            if report.sandbox == "bwrap":  # each grade is the first process of its own PID namespace
                assert "own-pid-namespace True" in text, text
        assert not _processes_with(b"7731")  # the sleeper each grade started is gone already
    assert zygotes() == []


def test_a_header_change_restarts_the_worker_for_the_new_exercise(tmp_path):
    torch_or_skip()
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission
    from bigmodel_quiz.grader.watch import worker_pool

    file = tmp_path / "mine.py"
    with worker_pool() as pool:
        shutil.copy(CASES / "count-parameters-reference" / "submission.py", file)
        assert grade_submission(GradeRequest(file, seed=0, record=False, sandbox=pool.sandbox)).status.value == "passed"
        before = zygotes()
        shutil.copy(CASES / "gradient-accumulation-sum-losses" / "submission.py", file)
        report = grade_submission(GradeRequest(file, seed=0, record=False, sandbox=pool.sandbox))
        assert report.exercise == "gradient-accumulation" and report.status.value == "failed"
        after = zygotes()
        assert len(before) == len(after) == 1 and before != after
    assert zygotes() == []


def test_when_the_worker_cannot_start_the_grade_uses_a_fresh_process(tmp_path, monkeypatch):
    from bigmodel_quiz.grader import watch
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    broken = tmp_path / "zygote.py"
    broken.write_text("import sys; sys.exit(3)\n", encoding="utf-8")
    monkeypatch.setattr(watch, "ZYGOTE", broken)
    monkeypatch.setattr(watch, "_READY_TIMEOUT_S", 10.0)
    file = tmp_path / "mlp.py"
    file.write_text("# exercise: mlp-param-count\n"
                    "def count_mlp_params(layer_sizes, bias=True):\n"
                    "    if len(layer_sizes) < 2 or min(layer_sizes) < 1:\n"
                    "        raise ValueError('bad sizes')\n"
                    "    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))\n",
                    encoding="utf-8")
    with watch.worker_pool() as pool:
        report = grade_submission(GradeRequest(file, seed=0, record=False, sandbox=pool.sandbox))
        assert report.status.value == "passed"  # graded in a fresh process instead


def test_ctrl_c_stops_the_cli_watch_cleanly_and_leaves_no_process(tmp_path):
    torch_or_skip()
    pexpect = pytest.importorskip("pexpect")
    file = tmp_path / "sub.py"
    shutil.copy(CASES / "overfit-one-batch-ignores-steps" / "submission.py", file)
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    child = spawn(sys.executable, ["-m", "bigmodel_quiz", "grade", str(file), "--watch"], cwd=str(ROOT),
                          env=env, encoding="utf-8", timeout=90)
    try:
        child.expect("Ctrl-C to stop")
        assert "returned 100 losses for steps=200" in child.before
        shutil.copy(CASES / "overfit-one-batch-reference" / "submission.py", file)
        child.expect("PASSED")
        child.expect("Ctrl-C to stop")
        quiz = child.pid
        assert zygotes(quiz)
        child.sendintr()
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    assert child.exitstatus == ExitCode.OK and "stopped watching" in child.before
    time.sleep(0.2)
    assert zygotes(quiz) == [] and not os.path.exists(f"/proc/{quiz}/stat")


def _processes_with(marker: bytes) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if marker in f.read():
                        found.append(int(name))
            except OSError:
                pass
    return found
