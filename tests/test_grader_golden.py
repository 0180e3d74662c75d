"""Golden grades: every folder of tests/grader_cases/ graded through the real sandbox.

A folder holds ``submission.py`` and ``expected.json``: ``exercise``, ``status``,
``error_kind`` and ``message_contains`` (each string must appear, case-insensitively,
in the case messages or the error). Optional keys, used by the adversarial ``adv-*``
folders: ``seed`` (default 0), ``timeout``, ``memory_mb``, ``message_excludes``,
``output_truncated`` (the captured stdout was cut), ``no_survivors`` (no process whose
command line holds this marker is alive after the grade) and ``requires``
(``namespaces``: skipped where the sandbox cannot hide the references).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from sandbox_helpers import can_hide

CASES_DIR = Path(__file__).resolve().parent / "grader_cases"
FOLDERS = sorted(p for p in CASES_DIR.iterdir() if (p / "expected.json").is_file()) if CASES_DIR.is_dir() else []
_KNOWN = {"exercise", "status", "error_kind", "message_contains", "seed", "timeout", "memory_mb",
          "message_excludes", "output_truncated", "no_survivors", "requires"}


def _kind_of(exercise_id: str) -> str:
    from bigmodel_quiz.exercises.catalog import load_exercise

    return load_exercise(exercise_id).kind


def _processes_with(marker: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(name))
            except OSError:
                pass
    return found


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_golden(folder: Path) -> None:
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert set(expected) <= _KNOWN, f"unknown keys in expected.json: {set(expected) - _KNOWN}"
    if _kind_of(expected["exercise"]) == "torch":
        pytest.importorskip("torch", reason="PyTorch is not installed")
    if expected.get("requires") == "namespaces" and not can_hide():
        pytest.skip("this platform cannot hide the reference solutions from the submission")
    if expected.get("no_survivors") and not sys.platform.startswith("linux"):
        pytest.skip("process checks read /proc")
    report = grade_submission(GradeRequest(
        folder / "submission.py", exercise=expected["exercise"], seed=expected.get("seed", 0),
        timeout=expected.get("timeout"), memory_mb=expected.get("memory_mb"), record=False,
    ))
    texts = [c.message for c in report.cases]
    if report.error is not None:
        texts += [report.error.message, report.error.detail]
    text = "\n".join(texts)
    shown = f"status {report.status.value}, error {report.error}, messages:\n{text[:3000]}"
    assert report.status.value == expected["status"], shown
    assert (report.error.kind.value if report.error else None) == expected.get("error_kind"), shown
    for needle in expected.get("message_contains", []):
        assert needle.lower() in text.lower(), f"{needle!r} not found; {shown}"
    for needle in expected.get("message_excludes", []):
        assert needle.lower() not in text.lower(), f"{needle!r} found; {shown}"
    if expected.get("output_truncated"):
        assert report.stdout is not None and report.stdout.truncated and report.stdout.size > 50_000_000
        assert len(report.stdout.text) < 10_000
    if expected.get("no_survivors"):
        assert _processes_with(expected["no_survivors"]) == [], "a process outlived the grade"
