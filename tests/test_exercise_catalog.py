"""The exercise catalog: loading statements strictly, reading each once, and telling which exercise a file is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bigmodel_quiz.errors import ExitCode, QuizError, UsageError
from bigmodel_quiz.exercises import catalog
from bigmodel_quiz.exercises.spec import ExerciseSpec


def resolve(source: str, explicit: str | None = None) -> str:
    return catalog.resolve(Path("sub.py"), source, explicit).id


def test_header_wins_and_may_follow_a_coding_line():
    assert resolve("# exercise: conv2d\ndef maxpool2d(): pass\n") == "conv2d"
    assert resolve("\ufeff#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n#exercise:  mlp-param-count  \n") == "mlp-param-count"


def test_explicit_id_when_there_is_no_header():
    assert resolve("def anything(): pass\n", "conv2d") == "conv2d"
    assert resolve("# exercise: conv2d\n", "conv2d") == "conv2d"


def test_header_and_flag_disagreeing_is_a_usage_error():
    with pytest.raises(UsageError, match="says `# exercise: conv2d` but --exercise maxpool2d"):
        resolve("# exercise: conv2d\n", "maxpool2d")


def test_entry_point_detection_without_running_the_file():
    assert resolve("import numpy as np\n\ndef conv2d(x, w, b, stride=1, padding=0):\n    raise SystemExit\n") == "conv2d"
    assert resolve("class SequenceClassifier:\n    pass\n") == "sequence-classifier"
    assert resolve("from mylib import count_mlp_params\n") == "mlp-param-count"
    assert resolve("def _helper(): pass\nconv2d = _helper\n") == "conv2d"
    assert resolve("def helper():\n    def conv2d(): pass\n", "conv2d") == "conv2d"  # nested defs do not count


def test_ambiguous_and_unknown_files_list_the_candidates():
    with pytest.raises(UsageError, match="defines the entry points of conv2d, maxpool2d") as info:
        resolve("def conv2d(): pass\ndef maxpool2d(): pass\n")
    assert info.value.exit_code == ExitCode.USAGE
    with pytest.raises(UsageError, match="defines none of the entry points .*count_mlp_params"):
        resolve("def solve(): pass\n")
    with pytest.raises(UsageError, match=r"syntax error \(line 1"):
        resolve("def conv2d(:\n")


def test_unknown_ids_suggest_close_ones():
    with pytest.raises(UsageError, match="unknown exercise 'conv2'; did you mean conv2d"):
        resolve("# exercise: conv2\n")
    with pytest.raises(UsageError, match="unknown exercise 'zzzzzzzzzz'; `quiz exercises` lists them"):
        catalog.load_exercise("zzzzzzzzzz")
    with pytest.raises(UsageError):
        catalog.load_exercise("../questions/x")


def test_every_shipped_exercise_has_its_three_files():
    exercises, problems = catalog.load_all()
    assert problems == []
    assert "mlp-param-count" in {e.id for e in exercises}
    for ex in exercises:
        assert isinstance(catalog.load_spec(ex.id), ExerciseSpec), ex.id
        assert len(ex.hints) >= 2 and ex.text("statement", "zh") and ex.edge_cases.get("en")
        assert catalog.reference_path(ex.id).is_file(), ex.id
    assert catalog.index() == [ex.info for ex in exercises]  # the quick index agrees with the full parse


def test_a_module_without_a_spec_is_reported(monkeypatch):
    import sys
    import types

    monkeypatch.setitem(sys.modules, "bigmodel_quiz.exercises.no_spec", types.ModuleType("no_spec"))
    with pytest.raises(QuizError, match="defines no SPEC"):
        catalog.load_spec("no-spec")


def test_mlp_param_count_text():
    ex = catalog.load_exercise("mlp-param-count")
    assert ex.kind == "python" and ex.entry == "count_mlp_params" and catalog.load_spec(ex.id).timeout == 10
    assert "10010" in ex.text("statement", "en") and "10010" in ex.text("statement", "zh")
    assert ex.text("title", "fr") == ex.text("title", "en")  # falls back to English


def write_yaml(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """id: demo
topic: fundamentals
kind: numpy
entry: demo
signature: "def demo(x)"
title: {en: Demo, zh: 演示}
statement: {en: "Do it.", zh: "做。"}
edge_cases: {en: ["empty"], zh: ["空"]}
hints:
  - {en: one, zh: 一}
  - {en: two, zh: 二}
starter: |
  def demo(x):
      raise NotImplementedError
"""


def test_check_exercise_file_accepts_a_good_file(tmp_path):
    ex, problems = catalog.check_file(write_yaml(tmp_path, "demo", GOOD))
    assert problems == [] and ex is not None and ex.hints[1]["zh"] == "二" and ex.line_of("starter") == 12


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s.replace("kind: numpy", "kind: rust"), ":3: kind: must be one of python, numpy, torch"),
        (lambda s: s + "extra: 1\n", ":15: extra: unknown field"),
        (lambda s: s.replace("id: demo", "id: other"), ":1: id: 'other' does not match the file name 'demo'"),
        (lambda s: s.replace("  - {en: two, zh: 二}\n", ""), ":9: hints: at least 2"),
        (lambda s: s.replace('title: {en: Demo, zh: 演示}\n', ""), ":1: title: missing"),
        (lambda s: s + "timeout: 20\n", ":15: timeout: unknown field (a grading timeout belongs in the case module's ExerciseSpec)"),
        (lambda s: s + "topic: again\n", ":15: topic: duplicate key"),
        (lambda s: s.replace("kind: numpy", "kind: [numpy"), "malformed YAML"),
    ],
)
def test_check_exercise_file_reports_file_line_field(tmp_path, change, expected):
    ex, problems = catalog.check_file(write_yaml(tmp_path, "demo", change(GOOD)))
    assert ex is None
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(tmp_path / "demo.yaml") + ":") for p in problems)


def test_write_starter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = catalog.write_starter("mlp-param-count", None)
    assert path == Path("mlp_param_count.py")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# exercise: mlp-param-count\n") and "def count_mlp_params" in text
    assert catalog.header_id(text) == "mlp-param-count"
    with pytest.raises(QuizError, match="already exists; not overwriting"):
        catalog.write_starter("mlp-param-count", None)
    (tmp_path / "sub").mkdir()
    assert catalog.write_starter("conv2d", tmp_path / "sub") == tmp_path / "sub" / "conv2d.py"
    assert catalog.write_starter("conv2d", tmp_path / "mine.py").read_text().startswith("# exercise: conv2d\n")
    with pytest.raises(UsageError, match="no such folder"):
        catalog.write_starter("conv2d", tmp_path / "nope" / "x.py")


def test_child_imports_lists_the_child_module_and_what_it_imports():
    from bigmodel_quiz.grader.runner import child_imports

    names = child_imports(catalog.load_spec("ddp-average-gradients").child_module)
    assert names[0] == "bigmodel_quiz.exercises.child.ddp_average_gradients"
    assert {"bigmodel_quiz.exercises.child.models", "bigmodel_quiz.exercises.child.ranks"} <= set(names)
    assert all(n.startswith("bigmodel_quiz.exercises.child.") for n in names)


def test_solution_dirs_include_the_checkout():
    assert catalog.reference_path("conv2d").parent.resolve() in catalog.solution_dirs()


def test_validate_checks_the_exercises_beside_the_banks(cli, tmp_path):
    import shutil

    shipped = cli("validate")
    assert shipped.exit_code == ExitCode.OK and f"{len(catalog.exercise_ids())} exercise(s), no problems" in shipped.stdout

    folder = tmp_path / "exercises"
    folder.mkdir()
    conv = (catalog.statement_dir() / "conv2d.yaml").read_text(encoding="utf-8")
    (folder / "conv2d.yaml").write_text(conv.replace("entry: conv2d", "entry: conv3d"), encoding="utf-8")
    shutil.copy(catalog.statement_dir() / "perplexity.yaml", folder / "renamed.yaml")
    (folder / "mystery.yaml").write_text(GOOD.replace("id: demo", "id: mystery"), encoding="utf-8")
    result = cli("validate", str(tmp_path))
    assert result.exit_code == ExitCode.FAILED
    lines = result.stdout.splitlines()
    line_of_entry = next(i for i, t in enumerate(conv.splitlines(), 1) if t.startswith("entry:"))
    assert f"{folder / 'conv2d.yaml'}:{line_of_entry}: entry: 'conv3d' is not defined by the reference solution conv2d.py" in lines
    assert any(t.startswith(f"{folder / 'renamed.yaml'}:") and "does not match the file name" in t for t in lines)
    assert any(t.startswith(f"{folder / 'mystery.yaml'}:1: id: exercise mystery has no cases") for t in lines)
    assert lines[-1] == "3 problem(s) in 3 exercise(s)"
    assert cli("validate", str(folder / "mystery.yaml")).exit_code == ExitCode.FAILED  # a statement file on its own


class _Opens:
    """Counts the files opened under a folder while active (an audit hook cannot be removed, so it is gated)."""

    active: list[str] | None = None
    installed = False

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if event == "open" and cls.active is not None and isinstance(args[0], (str, Path)):
            cls.active.append(str(args[0]))


def _count_opens(folder: Path, action) -> list[str]:
    import sys

    if not _Opens.installed:
        sys.addaudithook(_Opens.hook)
        _Opens.installed = True
    _Opens.active = []
    try:
        action()
        return [p for p in _Opens.active if Path(p).resolve().parent == folder.resolve()]
    finally:
        _Opens.active = None


def test_a_grade_reads_its_statement_once_and_no_other(tmp_path):
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    sub = tmp_path / "sub.py"
    sub.write_text("# exercise: conv2d\nimport numpy as np\n\ndef conv2d(x, w, b, stride=1, padding=0):\n    return 0\n",
                   encoding="utf-8")
    folder = catalog.statement_dir()
    opened = _count_opens(folder, lambda: grade_submission(GradeRequest(sub, seed=1, record=False)))
    assert opened == [str(folder / "conv2d.yaml")]
    sub.write_text("def conv2d(x, w, b, stride=1, padding=0):\n    return 0\n", encoding="utf-8")  # no header
    opened = _count_opens(folder, lambda: grade_submission(GradeRequest(sub, seed=1, record=False)))
    assert sorted(opened) == sorted(str(p) for p in catalog.statement_files())  # each one once, conv2d included
