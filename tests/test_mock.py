"""Mock interviews: the injected clock closes a question, the report, the study plan, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bigmodel_quiz import mock
from bigmodel_quiz.bank.loader import load_bank
from bigmodel_quiz.errors import ExitCode, UsageError
from bigmodel_quiz.exercises.catalog import ExerciseInfo
from bigmodel_quiz.mock import ItemStatus, Signal
from bigmodel_quiz.store import open_store
from terminal import spawn

DEMO = Path(__file__).parent / "fixtures" / "banks"
RIGHT = {"demo-single": "b", "demo-multi": "a,c", "demo-tf": "f", "demo-numeric": "14",
         "demo-short": "dropout and weight decay"}


class Clock:
    """A monotonic clock that moves only when the fake interviewee takes time."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class ScriptedIO:
    """Answers after ``seconds[i]`` seconds; records everything shown."""

    def __init__(self, clock: Clock, script: list[tuple[float, str | None | Signal]]) -> None:
        self.clock = clock
        self.script = list(script)
        self.shown: list[tuple[str, float]] = []
        self.hints: list[str] = []
        self.time_up = 0

    def show_question(self, q, index, total, remaining_s):  # type: ignore[no-untyped-def]
        self.shown.append((q.id, remaining_s))

    def ask(self, q, deadline):  # type: ignore[no-untyped-def]
        seconds, text = self.script.pop(0)
        self.clock.t += seconds
        return text

    def show_hint(self, message):  # type: ignore[no-untyped-def]
        self.hints.append(message)

    def show_time_up(self):  # type: ignore[no-untyped-def]
        self.time_up += 1


def _questions(*ids: str):  # type: ignore[no-untyped-def]
    bank = load_bank([DEMO])
    by_id = {q.id: q for q in bank.questions}
    return [by_id[i] for i in ids]


def test_time_runs_out_mid_question_in_line_mode() -> None:
    qs = _questions("demo-single", "demo-tf", "demo-numeric", "demo-multi")
    clock = Clock()
    # 1 minute: 20 s right, 15 s wrong, then the third answer arrives at 70 s, after the deadline.
    io = ScriptedIO(clock, [(20, "b"), (15, "t"), (35, "14")])
    with open_store() as store:
        report = mock.run_mock(qs, io, store, minutes=1, clock=clock)
        stored = store.answers()
    assert [i.status for i in report.items] == [ItemStatus.RIGHT, ItemStatus.WRONG, ItemStatus.TIMEOUT]
    assert [i.seconds for i in report.items] == [20.0, 15.0, 25.0]  # the last one: until the deadline
    assert report.time_up and not report.stopped and report.not_reached == 1 and io.time_up == 1
    assert report.used_s == 60.0
    assert [s for _, s in io.shown] == [60.0, 40.0, 25.0]
    # the late answer is not stored; the question it closed is, as timed out and wrong
    assert [(a.question_id, a.correct, a.mode, a.timed_out, a.given) for a in stored] == [
        ("demo-single", True, "mock", False, "B"), ("demo-tf", False, "mock", False, "t"),
        ("demo-numeric", False, "mock", True, "")]


def test_the_terminal_can_close_the_question_itself() -> None:
    qs = _questions("demo-single", "demo-tf")
    clock = Clock()
    io = ScriptedIO(clock, [(60, Signal.TIME_UP)])
    with open_store() as store:
        report = mock.run_mock(qs, io, store, minutes=1, clock=clock)
    assert [i.status for i in report.items] == [ItemStatus.TIMEOUT] and report.not_reached == 1


def test_unparsable_answers_get_a_hint_and_quitting_keeps_the_report() -> None:
    qs = _questions("demo-numeric", "demo-single", "demo-tf")
    clock = Clock()
    io = ScriptedIO(clock, [(5, "fourteen"), (5, "14 GB"), (5, "q")])
    with open_store() as store:
        report = mock.run_mock(qs, io, store, minutes=10, clock=clock)
    assert io.hints and "e.g. 1.2e9" in str(io.hints[0])
    assert [i.status for i in report.items] == [ItemStatus.RIGHT]
    assert report.stopped and not report.time_up and report.not_reached == 2


def test_report_scores_and_study_plan(tmp_path: Path) -> None:
    qs = _questions("demo-single", "demo-multi", "demo-tf", "demo-numeric")
    clock = Clock()
    io = ScriptedIO(clock, [(10, "b"), (10, "a"), (10, "t"), (10, "14")])
    with open_store() as store:
        report = mock.run_mock(qs, io, store, minutes=5, clock=clock)
    assert [(s.name, s.asked, s.right) for s in report.topics] == [("demo", 4, 2)]
    exercises = [ExerciseInfo("demo-ex", "demo", "python", "f"), ExerciseInfo("demo-done", "demo", "python", "g"),
                 ExerciseInfo("far", "other", "numpy", "h")]
    plan = mock.study_plan(report, exercises, passed={"demo-done"})
    assert [t.name for t in plan.weakest_tags] == ["basics", "sets"]  # basics missed in multi and tf
    assert plan.topics == ("demo",)
    assert plan.exercises == ("demo-ex",)
    missed = [i for i in report.items if i.missed]
    assert {i.question_id for i in missed} == {"demo-multi", "demo-tf"}
    tf = next(i for i in missed if i.question_id == "demo-tf")
    assert tf.right_answer == {"en": "false", "zh": "错"} and tf.references and tf.explanation["en"]


def test_report_is_stored_and_read_back() -> None:
    qs = _questions("demo-single", "demo-tf")
    clock = Clock()
    with open_store() as store:
        report = mock.run_mock(qs, ScriptedIO(clock, [(3, "a"), (4, "f")]), store, minutes=2, clock=clock)
        report = mock.with_plan(report, mock.study_plan(report, [], set()))
        mock.save_report(store, report)
        back = mock.load_report(store, report.session_id)
        listed = mock.list_reports(store)
        with pytest.raises(UsageError, match="no mock interview"):
            mock.load_report(store, "nope")
    assert back == report
    assert [(r.session_id, r.asked, r.right) for r in listed] == [(report.session_id, 2, 1)]


def test_arrange_interleaves_topics_and_warms_up(tmp_path: Path) -> None:
    from dataclasses import replace

    base = _questions("demo-single")[0]
    qs = [replace(base, id=f"{t}-{d}", topic=t, difficulty=d)
          for t in ("a", "b") for d in ("hard", "easy", "medium")]
    assert [q.id for q in mock.arrange(qs)] == ["a-easy", "b-easy", "a-medium", "b-medium", "a-hard", "b-hard"]
    assert mock.default_minutes(_questions("demo-tf", "demo-short")) == 5.0


# -- the command, line mode (piped stdin) -----------------------------------------------
@pytest.fixture
def demo_banks(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(DEMO))
    return DEMO


@pytest.mark.parametrize("minutes", ["0", "-5", "nan", "inf", "1441"])
def test_mock_minutes_out_of_range_is_one_line_before_anything_starts(cli, demo_banks, minutes: str) -> None:
    from typer.testing import CliRunner

    from bigmodel_quiz.cli.app import app

    result = CliRunner().invoke(app, ["start", "--mode", "mock", "--topic", "demo", "--minutes", minutes], input="")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""  # no banner, no question
    assert result.stderr.strip().splitlines() == [f"error: --minutes must be more than 0 and at most 1440, got {minutes}"]


def test_minutes_without_mock_mode_is_a_usage_error(cli, demo_banks) -> None:
    result = cli("start", "--topic", "demo", "--minutes", "5", input="")
    assert result.exit_code == ExitCode.USAGE and result.stdout == ""
    assert result.stderr.strip() == "error: --minutes sets the length of a mock interview: add --mode mock"


def test_mock_command_runs_out_mid_question(cli, demo_banks, monkeypatch: pytest.MonkeyPatch) -> None:
    from bigmodel_quiz.cli import mock_view

    ticks = iter(range(0, 1_000_000, 700))  # every look at the clock costs 700 s
    monkeypatch.setattr(mock_view, "CLOCK", lambda: float(next(ticks)))
    answers = "b\nf\na,c\n14\ndropout, weight decay\n"
    result = cli("start", "--mode", "mock", "--topic", "demo", "--count", "5", "--minutes", "60",
                 "--seed", "2", "--lang", "en", input=answers)
    assert result.exit_code == ExitCode.OK, result.output
    out = result.stdout
    assert "Time is up" in out and "Mock interview report" in out and "not reached" in out
    # no feedback before the report
    before = out[: out.index("Mock interview report")]
    assert "✓" not in before and "✗" not in before and "Answer:" not in before
    session = out.rsplit("quiz stats --session ", 1)[1].split()[0]

    shown = cli("stats", "--session", session, "--json")
    doc = json.loads(shown.stdout)
    assert doc["time_up"] is True and doc["items"][-1]["status"] == "timeout"
    planned = int(out.split("Mock interview: ", 1)[1].split()[0])
    assert planned == 5 and doc["asked"] + doc["not_reached"] == planned  # all five fit in an hour
    again = cli("stats", "--session", session, "--lang", "en")
    assert again.exit_code == ExitCode.OK and "Time per question" in again.stdout and "Study plan" in again.stdout


def test_mock_command_full_report(cli, demo_banks) -> None:
    from bigmodel_quiz.bank.loader import load
    from bigmodel_quiz.session.select import select

    bank, _ = load([DEMO])
    order = mock.arrange(select(bank, topics=["demo"], count=5, seed=4))
    # a short answer is followed by the user's rating (3 = Good) on the next line
    # choices are shown shuffled: a choice question is answered with its shown letters
    right = {q.id: ",".join(q.answer) if q.type.value == "multi" else q.answer for q in order if q.choices}
    answers = "".join(({**RIGHT, **right}.get(q.id, "1") if q.id != "demo-tf" else "t") + "\n"
                      + ("3\n" if q.id == "demo-short" else "") for q in order)
    result = cli("start", "--mode", "mock", "--topic", "demo", "--count", "5", "--seed", "4", "--lang", "en",
                 input=answers)
    assert result.exit_code == ExitCode.OK, result.output
    out = result.stdout
    for heading in ("Score per topic", "Time per question", "Missed: demo-tf", "Study plan",
                    "quiz review --topic demo"):
        assert heading in out
    listing = json.loads(cli("stats", "--json").stdout)["mock_interviews"]
    assert len(listing) == 1 and listing[0]["asked"] == 5
    assert cli("stats", "--session", "missing").exit_code == ExitCode.USAGE


def test_mock_in_a_real_terminal_counts_down_and_closes(quiz_home: Path) -> None:
    import os
    import sys

    import pexpect

    env = dict(os.environ, QUIZ_HOME=str(quiz_home), QUIZ_BANK_DIR=str(DEMO), TERM="xterm")
    child = spawn(sys.executable, ["-m", "bigmodel_quiz", "start", "--mode", "mock", "--topic", "demo",
                                           "--type", "single", "--minutes", "0.05", "--lang", "en"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(40, 80))
    child.expect(r"\[00:0[23]\] Your answer")
    child.send("c")  # typed, never sent: the clock closes the question
    child.expect(r"\[00:01\] Your answer \(a letter\): c")  # the prompt is redrawn each second
    child.expect("Time is up")
    child.expect("Mock interview report")
    child.expect("⏱ time")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK


def test_the_planned_questions_fit_the_minutes() -> None:
    qs = _questions("demo-single", "demo-tf", "demo-numeric", "demo-multi", "demo-short")
    # 1.25 + 0.75 + 3 + 2 + 4 minutes
    assert [q.id for q in mock.fit(qs, 5.25)] == ["demo-single", "demo-tf", "demo-numeric"]
    assert [q.id for q in mock.fit(qs, 0.5)] == ["demo-single"]  # never none
    assert len(mock.fit(qs, 60)) == 5
    # a question too long for what is left is passed over for a shorter one after it
    assert [q.id for q in mock.fit(qs, 4.25)] == ["demo-single", "demo-tf", "demo-multi"]
    assert [q.id for q in mock.fit(_questions("demo-short", "demo-tf", "demo-single"), 2.5)] == ["demo-tf", "demo-single"]


def test_a_short_mock_plans_what_fits(cli, demo_banks) -> None:
    result = cli("start", "--mode", "mock", "--topic", "demo", "--count", "5", "--minutes", "1", "--lang", "en",
                 input="q\n")
    assert "Mock interview: 1 question in 01:00" in result.stdout  # no "1 questions"
    result = cli("start", "--mode", "mock", "--topic", "demo", "--minutes", "2", "--lang", "en", input="q\n")
    assert "Mock interview: 2 questions in 02:00" in result.stdout  # single choice and true/false fit


@pytest.mark.parametrize("seed", ["1", "2", "3"])
def test_two_minutes_on_the_shipped_banks_ask_more_than_one_question(cli, seed) -> None:
    result = cli("start", "--mode", "mock", "--minutes", "2", "--seed", seed, "--lang", "en", input="q\n")
    n = int(result.stdout.split("Mock interview: ")[1].split()[0])
    assert n >= 2, result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_study_plan_keeps_each_command_on_one_line_at_80_columns(lang: str) -> None:
    import io

    from rich.console import Console

    from bigmodel_quiz.cli.mock_view import render_mock_report

    plan = mock.StudyPlan(weakest_tags=(mock.Score("kv-cache", 3, 1),),
                          topics=("inference-deployment", "distributed-training"), exercises=("paged-attention",))
    item = mock.MockItem(question_id="q1", topic="inference-deployment", qtype="single", difficulty="easy",
                         tags=("kv-cache",), status=ItemStatus.WRONG, given="A", seconds=12.0,
                         prompt={"en": "P?", "zh": "题？"}, right_answer={"en": "B", "zh": "B"},
                         explanation={"en": "E.", "zh": "解释。"}, references=("R",))
    report = mock.MockReport(session_id="s1", started_at="2025-03-10T12:00:00+00:00", minutes=10, used_s=60,
                             items=(item,), not_reached=0, time_up=False, stopped=False, plan=plan)
    buf = io.StringIO()
    render_mock_report(Console(file=buf, width=80, color_system=None), report, lang)
    text = buf.getvalue()
    for topic in plan.topics:
        for command in (f"quiz review --topic {topic}", f"quiz start --topic {topic}"):
            assert command in text, text
    if lang == "zh":
        assert "最弱的标签：" in text and "最弱的标签:" not in text
