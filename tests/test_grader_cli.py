"""The commands: ``quiz grade``, ``quiz exercises``, ``quiz exercise show|init`` (in-process, fixed width)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bigmodel_quiz.errors import ExitCode

GOOD = """# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("need two widths, each >= 1")
    print("debug line")
    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))
"""
WRONG = GOOD.replace("(b if bias else 0)", "b")


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def write(tmp_path: Path, body: str, name: str = "sub.py") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_grade_json_is_one_document_and_exit_0(cli, tmp_path):
    result = cli("grade", str(write(tmp_path, GOOD)), "--json", "--seed", "3")
    assert result.exit_code == ExitCode.OK
    doc = json.loads(result.stdout)
    assert doc["version"] == 1
    assert doc["status"] == "passed" and doc["exercise"] == "mlp-param-count" and doc["error"] is None
    assert "debug line" not in result.stdout  # the submission's output never reaches stdout


def test_grade_json_failed_and_error_exit_1(cli, tmp_path):
    failed = cli("grade", str(write(tmp_path, WRONG)), "--json", "--seed", "3")
    assert failed.exit_code == ExitCode.FAILED and json.loads(failed.stdout)["status"] == "failed"
    error = cli("grade", str(write(tmp_path, "# exercise: mlp-param-count\nimport nope_xyz\n", "e.py")), "--json")
    doc = json.loads(error.stdout)
    assert error.exit_code == ExitCode.FAILED and doc["status"] == "error" and doc["error"]["kind"] == "import"
    assert doc["cases"] == [] and doc["passed"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.py"], "no such file"),
        (["{dir}/nohead.py"], "cannot tell which exercise"),
        (["{dir}/nohead.py", "--exercise", "conv3d"], "unknown exercise 'conv3d'"),
        (["{dir}/nohead.py", "--device", "tpu"], "tpu"),
        (["{dir}/nohead.py", "--timeout", "0"], "timeout"),
    ],
)
def test_grade_usage_errors_exit_2_with_json_too(cli, tmp_path, args, message):
    write(tmp_path, "def solve():\n    pass\n", "nohead.py")
    result = cli("grade", *[a.format(dir=tmp_path) for a in args], "--json")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert message in result.stderr


def test_grade_human_report(cli, tmp_path):
    path = write(tmp_path, WRONG)
    result = cli("grade", str(path), "--seed", "42")
    assert result.exit_code == ExitCode.FAILED
    out = result.stdout
    assert out.startswith("mlp-param-count · Parameters of an MLP · cpu\n")
    assert "  ✓ catalog-example" in out and "  ✗ no-bias" in out
    assert "    expected 203264, got 203530" in out
    assert "(seed 42)" in out
    assert "seed 42 · reproduce with: quiz grade" in out and f"{path.name} --seed 42" in out
    assert "Your code's stdout" in out and "debug line" in out
    assert out.rstrip().splitlines()[-1].startswith("FAILED · ")
    assert "\x1b[" not in out  # NO_COLOR (set by conftest) and no terminal: plain text
    assert max(len(line) for line in out.splitlines()) <= 80


def test_grade_report_frame_follows_the_language(cli, tmp_path, monkeypatch):
    path = write(tmp_path, WRONG)
    out = cli("--lang", "zh", "grade", str(path), "--seed", "42").stdout
    assert out.startswith("mlp-param-count · 多层感知机的参数量 · cpu\n")
    assert "    应为 203264，实际为 203530" in out  # the grader's own words; an exercise's notes stay as written
    assert "seed 42 · 复现：quiz grade" in out and "你的代码的 stdout" in out
    assert out.rstrip().splitlines()[-1].startswith("未通过 · 12/14 个用例通过")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # the locale decides when no --lang is given
    assert cli("grade", str(path), "--seed", "42").stdout.rstrip().splitlines()[-1].startswith("未通过 · ")
    # --lang on the command itself, like every other command
    assert cli("grade", str(path), "--seed", "42", "--lang", "en").stdout.rstrip().splitlines()[-1].startswith("FAILED · ")
    monkeypatch.setenv("LANG", "C")
    assert cli("grade", str(path), "--seed", "42", "--lang", "zh").stdout.rstrip().splitlines()[-1].startswith("未通过 · ")


def test_grade_human_report_of_an_error_shows_the_traceback(cli, tmp_path):
    body = "# exercise: mlp-param-count\nimport json\njson.loads('{')\n"
    result = cli("grade", str(write(tmp_path, body)))
    assert result.exit_code == ExitCode.FAILED
    assert "✗ import: JSONDecodeError" in result.stdout
    flat = " ".join(result.stdout.split())
    assert 'sub.py", line 3, in <module> json.loads' in flat and "harness" not in flat
    assert "json/decoder.py" not in flat  # library frames are not the user's
    assert result.stdout.rstrip().splitlines()[-1].startswith("ERROR (import) · 0/")


def test_grade_human_report_truncates_huge_output(cli, tmp_path):
    body = GOOD.replace('print("debug line")', 'print("y" * 200_000)')
    result = cli("grade", str(write(tmp_path, body)), "--seed", "1")
    assert result.exit_code == ExitCode.OK
    assert "truncated: the start and the end are shown" in result.stdout
    assert "bytes omitted" in result.stdout and len(result.stdout) < 20_000


def test_exercises_json_and_status_from_the_store(cli, tmp_path):
    cli("grade", str(write(tmp_path, GOOD)), "--json")
    cli("grade", str(write(tmp_path, "# exercise: conv2d\ndef conv2d(x, w, b, stride=1, padding=0):\n    return 0\n", "c.py")), "--json")
    result = cli("exercises", "--json")
    assert result.exit_code == ExitCode.OK
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows["conv2d"]) == {"id", "topic", "kind", "title", "status"}
    assert rows["mlp-param-count"]["status"] == "passed"
    assert rows["conv2d"]["status"] == "failed"
    assert rows["roc-auc"]["status"] == "not-tried"
    assert rows["mlp-param-count"]["topic"] == "parameter-scale" and rows["mlp-param-count"]["kind"] == "python"
    zh = json.loads(cli("exercises", "--json", "--lang", "zh").stdout)
    assert {r["id"]: r["title"] for r in zh}["mlp-param-count"] == "多层感知机的参数量"


def test_exercises_table(cli):
    result = cli("exercises")
    assert result.exit_code == ExitCode.OK
    assert "mlp-param-count" in result.stdout and "not-tried" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_global_lang_is_the_default_a_command_can_override(cli):
    assert "编程练习" in cli("--lang", "zh", "exercises").stdout
    assert "Exercises" in cli("--lang", "zh", "exercises", "--lang", "en").stdout
    assert "Exercises" in cli("exercises").stdout  # the global choice does not outlive its command


def test_exercise_show_reveals_hints_one_at_a_time(cli):
    none = cli("exercise", "show", "mlp-param-count")
    assert none.exit_code == ExitCode.OK
    assert "def count_mlp_params(layer_sizes: list[int], bias: bool = True) -> int" in none.stdout
    assert "Edge cases" in none.stdout and "Hint 1" not in none.stdout
    assert "3 more hint(s): quiz exercise show mlp-param-count --hint 1" in none.stdout
    one = cli("exercise", "show", "mlp-param-count", "--hint", "1")
    assert "Hint 1/3" in one.stdout and "Hint 2/3" not in one.stdout
    every = cli("exercise", "show", "mlp-param-count", "--hint", "9")
    assert "Hint 3/3" in every.stdout and "That was the last hint." in every.stdout


def test_exercise_show_in_chinese(cli):
    result = cli("exercise", "show", "mlp-param-count", "--lang", "zh", "--hint", "1")
    assert "多层感知机的参数量" in result.stdout and "边界情况" in result.stdout and "提示 1/3" in result.stdout


def test_exercise_show_unknown_is_a_usage_error(cli):
    result = cli("exercise", "show", "conv3d")
    assert result.exit_code == ExitCode.USAGE and "unknown exercise 'conv3d'" in result.stderr


def test_exercise_init_writes_a_gradable_starter_and_never_overwrites(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("exercise", "init", "mlp-param-count")
    assert result.exit_code == ExitCode.OK and "mlp_param_count.py" in result.stdout
    text = (tmp_path / "mlp_param_count.py").read_text(encoding="utf-8")
    assert text.startswith("# exercise: mlp-param-count\n")
    again = cli("exercise", "init", "mlp-param-count")
    assert again.exit_code == ExitCode.FAILED and "already exists" in again.stderr
    assert (tmp_path / "mlp_param_count.py").read_text(encoding="utf-8") == text
    graded = json.loads(cli("grade", "mlp_param_count.py", "--json").stdout)
    assert graded["status"] == "failed" and "NotImplementedError" in graded["cases"][0]["message"]
    custom = cli("exercise", "init", "conv2d", str(tmp_path / "my_conv.py"))
    assert custom.exit_code == ExitCode.OK and (tmp_path / "my_conv.py").read_text().startswith("# exercise: conv2d\n")


def test_every_command_has_help(cli):
    for args in (["grade"], ["exercises"], ["exercise", "show"], ["exercise", "init"]):
        result = cli(*args, "--help")
        assert result.exit_code == ExitCode.OK and "Usage" in result.stdout


def test_cuda_on_a_numpy_exercise_says_it_runs_on_the_cpu(cli, tmp_path):
    path = write(tmp_path, WRONG)
    for lang, words in (("en", "--device cuda applies to PyTorch exercises"), ("zh", "--device cuda 只适用于 PyTorch 练习")):
        result = cli("--lang", lang, "grade", str(path), "--seed", "42", "--device", "cuda")
        assert words in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1
    json_run = cli("grade", str(path), "--seed", "42", "--device", "cuda", "--json")
    json.loads(json_run.stdout)  # stdout stays one JSON document; the note is on stderr
    assert "PyTorch" in json_run.stderr
    assert "PyTorch" not in cli("grade", str(path), "--seed", "42").stderr
