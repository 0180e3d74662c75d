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
