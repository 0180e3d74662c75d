"""One grade through the core: the JSON contract, seeds, timeouts, devices, the store, edge behaviours."""

from __future__ import annotations

from pathlib import Path

import pytest

from bigmodel_quiz.errors import QuizError, UsageError
from bigmodel_quiz.grader import runner
from bigmodel_quiz.grader.report import CaseStatus, ErrorKind, GradeStatus, to_json
from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

GOOD = """# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("need two widths, each >= 1")
    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))
"""


def submission(tmp_path: Path, body: str, name: str = "sub.py") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_correct_submission_passes_and_the_json_has_exactly_the_contract(tmp_path):
    report = grade_submission(GradeRequest(submission(tmp_path, GOOD), seed=5, record=False))
    doc = to_json(report)
    assert list(doc) == ["version", "sandbox", "exercise", "status", "passed", "total", "device", "duration_s", "cases", "error"]
    assert doc["version"] == 1
    assert doc["exercise"] == "mlp-param-count" and doc["status"] == "passed" and doc["error"] is None
    from bigmodel_quiz.grader.sandbox import current_plan

    assert doc["version"] == 1 and doc["sandbox"] == current_plan().name
    assert doc["passed"] == doc["total"] == len(doc["cases"]) > 10 and doc["device"] == "cpu"
    assert all(list(c) == ["name", "status", "message", "seed"] for c in doc["cases"])
    assert {c["seed"] for c in doc["cases"] if c["name"].startswith("random")} == {5}
    assert {c["seed"] for c in doc["cases"] if not c["name"].startswith("random")} == {None}
    assert 0 < doc["duration_s"] < 30


def test_a_fresh_seed_is_drawn_and_a_given_seed_reproduces(tmp_path):
    wrong = submission(tmp_path, GOOD.replace("(b if bias else 0)", "b"))
    first = grade_submission(GradeRequest(wrong, record=False))
    assert 0 <= first.seed < 1_000_000
    again = grade_submission(GradeRequest(wrong, seed=first.seed, record=False))
    assert [c.message for c in again.cases] == [c.message for c in first.cases]


def test_every_grade_is_recorded(tmp_path):
    from bigmodel_quiz.store.db import open_store

    grade_submission(GradeRequest(submission(tmp_path, GOOD), seed=1))
    grade_submission(GradeRequest(submission(tmp_path, "# exercise: mlp-param-count\n", "empty.py"), seed=1))
    with open_store() as store:
        grades = store.grades()
        status = store.exercise_status()
    assert [(g.exercise, g.status) for g in grades] == [("mlp-param-count", "passed"), ("mlp-param-count", "error")]
    assert grades[0].passed == grades[0].total > 0 and grades[0].file.endswith("sub.py") and grades[0].device == "cpu"
    assert status == {"mlp-param-count": "passed"}


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        grade_submission(GradeRequest(tmp_path / "missing.py"))
    with pytest.raises(UsageError, match="not a file"):
        grade_submission(GradeRequest(tmp_path))
    with pytest.raises(UsageError, match="unknown exercise"):
        grade_submission(GradeRequest(submission(tmp_path, "# exercise: no-such-thing\n")))
    with pytest.raises(UsageError, match="--timeout"):
        grade_submission(GradeRequest(submission(tmp_path, GOOD), timeout=0))


def test_syntax_errors_are_found_without_a_process(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "Sandbox", None)  # would fail if a process were started
    report = grade_submission(GradeRequest(submission(tmp_path, "# exercise: mlp-param-count\ndef f(:\n"), record=False))
    assert report.status is GradeStatus.ERROR and report.error.kind is ErrorKind.SYNTAX
    assert "SyntaxError" in report.error.message and "line 2" in report.error.detail
    latin1 = submission(tmp_path, "", "latin.py")
    latin1.write_bytes(b"# exercise: mlp-param-count\nx = '\xe9'\n")
    assert grade_submission(GradeRequest(latin1, record=False)).error.kind is ErrorKind.SYNTAX


def test_a_timeout_in_a_later_case_fails_that_case_and_skips_the_rest(tmp_path):
    body = GOOD.replace('    if len(layer_sizes) < 2', '    if layer_sizes == [1, 1]:\n        while True: pass\n    if len(layer_sizes) < 2')
    report = grade_submission(GradeRequest(submission(tmp_path, body), seed=1, timeout=1.5, record=False))
    assert report.status is GradeStatus.FAILED and report.error is None
    statuses = [c.status for c in report.cases]
    hung = statuses.index(CaseStatus.FAILED)
    assert report.cases[hung].name == "width-one" and "timed out after 1.5 s during case width-one" in report.cases[hung].message
    assert set(statuses[:hung]) == {CaseStatus.PASSED} and set(statuses[hung + 1 :]) == {CaseStatus.NOT_RUN}
    assert report.total == len(report.cases) and report.passed == hung


def test_the_exercise_timeout_applies_by_default(tmp_path, monkeypatch):
    import dataclasses

    from bigmodel_quiz.exercises import catalog

    real = catalog.load_spec
    monkeypatch.setattr(catalog, "load_spec", lambda exercise_id: dataclasses.replace(real(exercise_id), timeout=1.0))
    body = "# exercise: mlp-param-count\nimport time\ndef count_mlp_params(layer_sizes, bias=True):\n    time.sleep(5)\n"
    report = grade_submission(GradeRequest(submission(tmp_path, body), record=False))
    assert report.error.kind is ErrorKind.TIMEOUT and "after 1 s" in report.error.message


def test_required_errors_and_their_subclasses(tmp_path):
    body = GOOD.replace('raise ValueError("need two widths, each >= 1")', "raise TypeError('nope')")
    report = grade_submission(GradeRequest(submission(tmp_path, body), seed=1, record=False))
    failed = [c for c in report.cases if c.status is CaseStatus.FAILED]
    assert failed and all(c.name.endswith("-raises") for c in failed)
    assert failed[0].message.startswith("expected ValueError (fewer than 2 sizes), got:\n")
    assert "TypeError: nope" in failed[0].message
    custom = GOOD.replace("def count_mlp_params", "class SizeError(ValueError):\n    pass\n\n\ndef count_mlp_params")
    custom = custom.replace('raise ValueError("need', 'raise SizeError("need')
    assert grade_submission(GradeRequest(submission(tmp_path, custom, "custom.py"), seed=1, record=False)).status is GradeStatus.PASSED


def test_the_child_imports_nothing_of_the_grader(tmp_path):
    body = GOOD.replace(
        "def count_mlp_params(layer_sizes, bias=True):\n",
        "import sys\nprint(sorted(m for m in sys.modules if m.startswith(('bigmodel_quiz', 'numpy', 'yaml', 'rich'))))\n"
        "print(sys.flags.isolated, sys.flags.no_site)\n\n\ndef count_mlp_params(layer_sizes, bias=True):\n",
    )
    report = grade_submission(GradeRequest(submission(tmp_path, body), seed=1, record=False))
    assert report.status is GradeStatus.PASSED
    assert report.stdout.text.splitlines() == ["[]", "1 1"]  # python exercises do not even load NumPy


def test_device_is_cpu_for_numpy_and_python_exercises(tmp_path):
    report = grade_submission(GradeRequest(submission(tmp_path, GOOD), device="cuda", seed=1, record=False))
    assert report.device == "cpu" and report.status is GradeStatus.PASSED


def test_cuda_without_a_gpu_is_an_error_not_a_cpu_run(tmp_path, monkeypatch):
    from bigmodel_quiz.grader import device

    monkeypatch.setattr(device, "cuda_available", lambda: False)
    monkeypatch.setattr(runner, "torch_installed", lambda: True)
    path = submission(tmp_path, "# exercise: count-parameters\ndef count_parameters(model, trainable_only=False):\n    return 0\n")
    report = grade_submission(GradeRequest(path, device="cuda", record=False))
    assert report.status is GradeStatus.ERROR and report.error.kind is ErrorKind.DEVICE_UNAVAILABLE
    assert report.device == "cuda" and "no CUDA GPU" in report.error.message
    assert device.resolve_device("auto", "torch") == "cpu"
    with pytest.raises(UsageError):
        device.resolve_device("tpu", "numpy")


def test_torch_exercises_without_torch_say_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "torch_installed", lambda: False)
    path = submission(tmp_path, "# exercise: count-parameters\ndef count_parameters(model, trainable_only=False):\n    return 0\n")
    report = grade_submission(GradeRequest(path, record=False))
    assert report.error.kind is ErrorKind.IMPORT and "make run" in report.error.message


def test_a_broken_reference_is_the_grader_s_error_not_the_user_s(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "_load_reference", lambda ex: lambda **kw: 1 / 0)
    with pytest.raises(QuizError, match="reference solution of mlp-param-count failed on case catalog-example"):
        grade_submission(GradeRequest(submission(tmp_path, GOOD), seed=1, record=False))


def test_a_result_that_is_not_data_fails_clearly(tmp_path):
    body = GOOD.replace("return sum(", "return object() or sum(")
    report = grade_submission(GradeRequest(submission(tmp_path, body), seed=1, record=False))
    first = report.cases[0]
    assert first.status is CaseStatus.FAILED
    assert first.message == "expected an int 10010, got an object (not a number, string, list, tuple, dict, array or tensor)"


def test_distributed_cases_run_one_process_per_rank(tmp_path, monkeypatch):
    from bigmodel_quiz.exercises import catalog
    from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

    def ranks(case: Case) -> int:
        return case.kwargs["layer_sizes"][1]

    fake = ExerciseSpec(
        cases=lambda seed: [Case("world-2", {"layer_sizes": [1, 2]}), Case("world-3", {"layer_sizes": [1, 3]})],
        world_size=ranks,
        expected=lambda case: [[r, ranks(case), "127.0.0.1", True] for r in range(ranks(case))],
    )
    monkeypatch.setattr(catalog, "load_spec", lambda exercise_id: fake)
    body = (
        "# exercise: mlp-param-count\nimport os\n\ndef count_mlp_params(layer_sizes, bias=True):\n"
        "    import socket\n    s = socket.socket(); s.bind(('127.0.0.1', 0)); s.close()\n"  # loopback works in each rank
        "    return [int(os.environ['RANK']), int(os.environ['WORLD_SIZE']), os.environ['MASTER_ADDR'],"
        " int(os.environ['MASTER_PORT']) > 0]\n"
    )
    report = grade_submission(GradeRequest(submission(tmp_path, body), seed=1, record=False))
    assert report.status is GradeStatus.PASSED, [c.message for c in report.cases]
    crash = body.replace("    return [", "    if os.environ['RANK'] == '1':\n        os._exit(9)\n    return [")
    failed = grade_submission(GradeRequest(submission(tmp_path, crash, "crash.py"), seed=1, record=False))
    assert failed.status is GradeStatus.FAILED and "rank 1 exited with status 9" in failed.cases[0].message
