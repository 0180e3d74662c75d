"""The result of one grade, and its JSON document (the ``--json`` contract of DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from bigmodel_quiz.grader.sandbox import Output


class GradeStatus(str, Enum):
    """The verdict of a grade."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # no case could run


class CaseStatus(str, Enum):
    """The verdict of one case."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not-run"  # the process ended during an earlier case


class ErrorKind(str, Enum):
    """Why no case could run."""

    SYNTAX = "syntax"
    IMPORT = "import"
    MISSING_FUNCTION = "missing-function"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASH = "crash"
    DEVICE_UNAVAILABLE = "device-unavailable"


@dataclass(frozen=True)
class CaseReport:
    """One case: its verdict and, when it failed, what is wrong."""

    name: str
    status: CaseStatus
    message: str = ""
    seed: int | None = None
    kind: str = "deterministic"  # deterministic | edge | random
    note: str = ""
    inputs: str = ""  # the case's arguments in one line: array shapes, scalar values


@dataclass(frozen=True)
class GradeError:
    """Why the grade could not run any case."""

    kind: ErrorKind
    message: str
    detail: str = ""  # e.g. the traceback of an import error, shown by the human report


@dataclass(frozen=True)
class GradeReport:
    """Everything one grade found."""

    exercise: str
    status: GradeStatus
    passed: int
    total: int
    device: str
    duration_s: float
    cases: tuple[CaseReport, ...]
    error: GradeError | None
    seed: int
    file: str
    titles: dict[str, str] = field(default_factory=dict)  # the exercise's title per language (not in --json)
    stdout: Output | None = None
    stderr: Output | None = None
    notices: tuple[str, ...] = ()
    sandbox: str = ""  # the isolation the submission ran in (Plan.name); empty when it never ran


JSON_VERSION = 1  # raised when a field of the ``--json`` document changes meaning or goes away


def to_json(report: GradeReport) -> dict[str, Any]:
    """The ``--json`` document: exactly the fields of the contract."""
    return {
        "version": JSON_VERSION,
        "sandbox": report.sandbox or "none",  # "none": the submission never ran (a syntax error, no device)
        "exercise": report.exercise,
        "status": report.status.value,
        "passed": report.passed,
        "total": report.total,
        "device": report.device,
        "duration_s": round(report.duration_s, 3),
        "cases": [
            {"name": c.name, "status": c.status.value, "message": c.message, "seed": c.seed} for c in report.cases
        ],
        "error": None if report.error is None else {"kind": report.error.kind.value, "message": report.error.message},
    }
