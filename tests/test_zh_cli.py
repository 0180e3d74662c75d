"""A Chinese session speaks Chinese: errors, labels, table headers, topic titles, full-width colons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bigmodel_quiz.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--lang", "zh", "start", "--count", "0"], ExitCode.USAGE, "--count 至少为 1"),
    (["start", "--count", "0", "--lang", "zh"], ExitCode.USAGE, "--count 至少为 1"),
    (["--lang", "zh", "grade", "nofile.py"], ExitCode.USAGE, "文件不存在：nofile.py"),
    (["--lang", "zh", "exercise", "show", "nosuch"], ExitCode.USAGE, "没有名为 'nosuch' 的练习"),
    (["exercise", "show", "rms-nrom", "--lang", "zh"], ExitCode.USAGE, "你是不是想找 rms-norm"),
    (["--lang", "zh", "start", "--topic", "nosuch"], ExitCode.USAGE, "没有主题 'nosuch'；可选："),
    (["--lang", "zh", "start", "--difficulty", "x"], ExitCode.USAGE, "没有难度 'x'"),
    (["--lang", "zh", "start", "--type", "x"], ExitCode.USAGE, "没有题型 'x'"),
    (["--lang", "zh", "start", "--minutes", "3"], ExitCode.USAGE, "请加上 --mode mock"),
    (["--lang", "zh", "start", "--mode", "mock", "--minutes", "0"], ExitCode.USAGE, "--minutes 必须大于 0"),
    (["--lang", "zh", "stats", "--session", "nosuch"], ExitCode.USAGE, "没有会话 ID 为 'nosuch' 的模拟面试"),
    (["--lang", "zh", "validate", "/nonexistent"], ExitCode.USAGE, "文件或文件夹不存在：/nonexistent"),
])
def test_errors_in_a_chinese_session_are_chinese(cli, args: list[str], code: ExitCode, words: str) -> None:
    result = cli(*args)
    assert result.exit_code == code
    [line] = result.stderr.splitlines()
    assert line.startswith("错误：") and words in line, line
    assert not re.search(r"\b(unknown|must|no such|valid|add|already|did you mean)\b", line), line


def test_errors_in_an_english_session_stay_english(cli) -> None:
    result = cli("--lang", "en", "start", "--count", "0")
    assert result.stderr.strip() == "error: --count must be at least 1, got 0"


def test_init_on_an_existing_file_is_chinese(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = cli("--lang", "zh", "exercise", "init", "rms-norm")
    assert first.exit_code == ExitCode.OK and "已写入 rms_norm.py" in first.stdout
    again = cli("--lang", "zh", "exercise", "init", "rms-norm")
    assert again.exit_code == ExitCode.FAILED
    assert again.stderr.strip() == "错误：rms_norm.py 已存在，不会覆盖（请另给一个 PATH）"


def test_every_error_phrase_is_translated_to_chinese() -> None:
    from bigmodel_quiz.cli.messages import ERROR_PHRASES, translate_error

    for pattern, zh in ERROR_PHRASES:
        assert CJK.search(zh) or "：" in zh or "；" in zh, pattern
    assert translate_error("something new", "zh") == "something new"  # unknown: left as it is
    assert translate_error("no such file: a.py", "en") == "no such file: a.py"


def test_zh_tables_show_topic_titles(cli) -> None:
    topics = cli("--lang", "zh", "topics").stdout
    first_column = [line.split()[0] for line in topics.splitlines()[4:] if line.strip() and not line.startswith(" ")]
    assert "Transformer" in topics and "训练数据" in topics
    rows = [line for line in topics.splitlines() if "训练数据" in line]
    assert rows and rows[0].split()[1].isdigit(), topics  # the title leads the row, the counts follow
    assert "architecture" not in first_column
    exercises = cli("--lang", "zh", "exercises").stdout
    assert "Transformer 架构" in exercises
    assert not any(line.strip() == "architecture" for line in exercises.splitlines()), exercises


def test_zh_exercise_statement_uses_full_width_colons(cli) -> None:
    text = cli("--lang", "zh", "exercise", "show", "rms-norm").stdout
    assert "开始：quiz exercise init rms-norm" in text
    assert "主题：" in text and "类型：" in text and "主题:" not in text and "开始:" not in text


def test_zh_mock_report_names_topics_by_title() -> None:
    import io

    from rich.console import Console

    from bigmodel_quiz import mock
    from bigmodel_quiz.cli.mock_view import render_mock_report

    item = mock.MockItem(question_id="q1", topic="architecture", qtype="single", difficulty="easy", tags=("x",),
                         status=mock.ItemStatus.RIGHT, given="A", seconds=3.0, prompt={"en": "P", "zh": "题"},
                         right_answer={"en": "A", "zh": "A"}, explanation={"en": "E", "zh": "解"}, references=("R",))
    report = mock.MockReport(session_id="s", started_at="2025-03-10T12:00:00+00:00", minutes=5, used_s=30,
                             items=(item,), not_reached=0, time_up=False, stopped=False,
                             topics=(mock.Score("architecture", 1, 1),))
    buf = io.StringIO()
    render_mock_report(Console(file=buf, width=80, color_system=None), report, "zh")
    table = buf.getvalue().split("各主题得分")[1].split("每题用时")[0]
    assert "Transformer 架构" in table and "architecture" not in table
    times = buf.getvalue().split("每题用时")[1]
    assert "q1（Transformer 架构）" in times and "3 秒" in times and "architecture" not in times


RMS_WRONG = "# exercise: rms-norm\nimport numpy as np\ndef rms_norm(x, weight, eps=1e-6):\n    return x * 0 + 1.0\n"
RMS_SYNTAX = "# exercise: rms-norm\ndef rms_norm(x, weight, eps=1e-6:\n    pass\n"
RMS_LOOP = "# exercise: rms-norm\ndef rms_norm(x, weight, eps=1e-6):\n    while True:\n        pass\n"
RMS_MISSING = "# exercise: rms-norm\ndef other(x):\n    pass\n"


@pytest.mark.parametrize(("source", "words", "english"), [
    (RMS_WRONG, ["[0, 0] 处不对：应为 0.10979265，实际为 1", "共 32 个值，32 个不同"], ["wrong at", "values differ"]),
    (RMS_SYNTAX, ["✗ 语法错误：", "出错（语法错误）"], ["syntax:", "(syntax)"]),
    (RMS_LOOP, ["✗ 超时：用例 basic 运行超时（1 秒）", "出错（超时）"], ["timed out", "(timeout)"]),
    (RMS_MISSING, ["✗ 缺少函数：没有定义 rms_norm；文件中定义的是 other"], ["is not defined", "missing-function"]),
], ids=["wrong", "syntax", "timeout", "missing"])
def test_grade_report_frame_is_chinese(cli, tmp_path: Path, source: str, words: list[str], english: list[str]) -> None:
    path = tmp_path / "rms_norm.py"
    path.write_text(source, encoding="utf-8")
    out = cli("--lang", "zh", "grade", str(path), "--seed", "1", "--timeout", "1").stdout
    for w in words:
        assert w in out, out
    for e in english:
        assert e not in out, out
    en = cli("--lang", "en", "grade", str(path), "--seed", "1", "--timeout", "1").stdout
    assert all(e in en for e in english), en


def test_every_error_kind_has_a_label_in_both_languages() -> None:
    from bigmodel_quiz.cli.messages import GRADE
    from bigmodel_quiz.grader.report import ErrorKind

    for lang in ("en", "zh"):
        assert set(GRADE[lang]["kinds"]) == {k.value for k in ErrorKind}


def test_zh_stats_names_topics_by_title(cli) -> None:
    from bigmodel_quiz.store import open_store
    from bigmodel_quiz.store.db import AnswerRecord, utc_now

    with open_store() as store:
        store.record_answer(AnswerRecord(session_id="s", question_id="x", topic="tokenization", qtype="single",
                                         given="A", correct=True, score=1.0, response_s=1.0, answered_at=utc_now()))
    text = cli("--lang", "zh", "stats").stdout
    table = text.split("各主题正确率")[1].split("各标签正确率")[0]
    assert "tokenization" not in table and "分词" in table, table
