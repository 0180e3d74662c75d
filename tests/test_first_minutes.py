"""The first minutes: ``quiz`` alone shows today's plan, ``quiz exercise next``, ``make run``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

from terminal import spawn
from bigmodel_quiz.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
ROOT = Path(__file__).resolve().parent.parent


def _env(home: Path) -> dict:
    return dict(os.environ, QUIZ_HOME=str(home), QUIZ_BANK_DIR=str(FIXTURES), TERM="xterm", COLUMNS="100")


def test_quiz_alone_shows_today_and_enter_starts_the_review(quiz_home: Path) -> None:
    child = spawn(sys.executable, ["-m", "bigmodel_quiz", "--lang", "en"], env=_env(quiz_home), encoding="utf-8",
                  timeout=30, dimensions=(50, 100))
    child.expect("Today")
    child.expect(r"Reviews due now: 0")
    child.expect(r"New questions for today: 6 \(limit 10; 6 never seen\)")
    child.expect(r"Next exercise: \S+ \(")
    child.expect("Enter starts the review")
    child.sendline("")
    child.expect("Your answer")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK


def test_quiz_alone_in_chinese_and_quit(quiz_home: Path) -> None:
    child = spawn(sys.executable, ["-m", "bigmodel_quiz", "--lang", "zh"], env=_env(quiz_home), encoding="utf-8",
                  timeout=30, dimensions=(50, 100))
    child.expect("到期复习：0 道")
    child.expect("按 Enter 开始复习")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK


def test_quiz_alone_when_piped_prints_the_usage(cli) -> None:
    result = cli()
    assert result.exit_code == ExitCode.OK and "Usage" in result.stdout and "start" in result.stdout


def test_exercise_next_follows_the_recommended_order(cli, tmp_path: Path, monkeypatch) -> None:
    from bigmodel_quiz.exercises.catalog import index
    from bigmodel_quiz.plan import recommended_order
    from bigmodel_quiz.store import open_store
    from bigmodel_quiz.store.db import GradeRecord, utc_now

    monkeypatch.chdir(tmp_path)
    order = [i.id for i in recommended_order(index(), {})]
    assert order.index("cnn-build") > order.index("conv2d")  # NumPy before PyTorch within a topic
    first = cli("exercise", "next", "--lang", "en")
    assert first.exit_code == ExitCode.OK and f"Next exercise: {order[0]}" in first.stdout
    starter = tmp_path / f"{order[0].replace('-', '_')}.py"
    assert starter.is_file() and f"# exercise: {order[0]}" in starter.read_text(encoding="utf-8")
    again = cli("exercise", "next", "--lang", "en")  # the same, not passed yet: the file is kept
    assert again.exit_code == ExitCode.OK and f"Next exercise: {order[0]}" in again.stdout
    with open_store() as store:
        store.record_grade(GradeRecord(order[0], "passed", 1, 1, "cpu", 0.1, utc_now()))
    third = cli("exercise", "next", "--lang", "zh")
    assert f"下一道练习：{order[1]}" in third.stdout


def test_make_run_installs_torch_and_says_how_to_call_quiz() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert ".installed-run" in run and "quiz" in run
    rule = makefile.split("$(VENV)/.installed-run:", 1)[1].split("\n\n", 1)[0]
    assert "-c constraints.txt" in makefile and "[torch]" in rule
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/quiz" in readme


def test_the_torch_hint_fits_how_the_tool_was_installed(monkeypatch, tmp_path: Path) -> None:
    from bigmodel_quiz.grader import device

    assert "make run" in device.torch_install_hint()  # this checkout
    monkeypatch.setattr(device, "__file__", str(tmp_path / "site-packages" / "bigmodel_quiz" / "grader" / "device.py"))
    assert device.torch_install_hint().endswith("pip install torch (a CUDA build from pytorch.org for a GPU)")
