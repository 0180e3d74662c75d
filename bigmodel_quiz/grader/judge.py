"""Judging a finished run: the child's result files become case verdicts, or one error.

Everything here runs in the grader's process and reads only what the submission's
process left behind (JSON and ``allow_pickle=False`` arrays), never its stdout.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec
from bigmodel_quiz.grader.report import CaseReport, CaseStatus, ErrorKind, GradeError
from bigmodel_quiz.grader.sandbox import GRADER_FAILED, Exit, Limits


@dataclass
class Outcome:
    """What the child left: its ready record and one record (with values) per finished case."""

    ready: dict[str, Any] | None
    records: dict[tuple[int, int], dict[str, Any]]


_STATUSES = ("ok", "raised", "exit", "memory", "unencodable", "grader", "died")
_READY_STATUSES = ("ok", "syntax", "import", "missing-function", "crash", "memory")


def read_outcome(outbox: Any, expected: list[tuple[int, int]] | None = None) -> Outcome:
    """The ready record and the records of the ``expected`` (case, rank) pairs in the out folder.

    ``outbox`` is a path, or a directory fd opened before the child started. Only the
    files the grader asked for are read, each a regular file with one name, within a
    budget of bytes and time shared by the whole run; anything malformed becomes an
    ``unreadable`` record. ``expected`` None: every ``case-*.json`` there (tests).
    """
    from bigmodel_quiz.grader import protocol

    budget = protocol.Budget()

    def load(stem: str) -> dict[str, Any] | None:
        if not protocol.exists(outbox, f"{stem}.json"):
            return None
        try:
            doc = protocol.read_json(outbox, f"{stem}.json", budget=budget)
            if not isinstance(doc, dict) or not isinstance(doc.get("status"), str):
                raise protocol.ProtocolError("not a record")
            decoder = protocol.Decoder(protocol.load_arrays(outbox, stem, doc.get("arrays", []), budget=budget),
                                       tensors="data")
            if "value" in doc:
                doc["value"] = decoder.decode(doc["value"])
                protocol.check_numbers(doc["value"])
            if isinstance(doc.get("args_after"), dict):
                doc["args_after"] = {k: decoder.decode(v) for k, v in doc["args_after"].items()}
            elif "args_after" in doc:
                raise protocol.ProtocolError("malformed arguments")
            if doc["status"] == "raised" and not isinstance(doc.get("error"), dict):
                raise protocol.ProtocolError("an exception record without its exception")
            for key in ("message", "traceback"):
                if key in doc and not isinstance(doc[key], str):
                    raise protocol.ProtocolError(f"a {key} that is not text")
            statuses = _READY_STATUSES if stem == "ready" else _STATUSES
            if doc["status"] not in statuses or (stem != "ready" and doc["status"] == "ok" and "value" not in doc):
                raise protocol.ProtocolError(f"unknown status {doc['status'][:40]!r}")
            return doc
        except Exception as exc:  # anything in these files may have been forged
            return {"status": "unreadable", "message": f"the result could not be read back: {_short(exc)}"}

    if expected is None:
        names = os.listdir(outbox) if isinstance(outbox, int) else os.listdir(str(outbox))
        expected = []
        for name in names:
            parts = name[: -len(".json")].split("-")
            if name.startswith("case-") and name.endswith(".json"):
                try:
                    expected.append((int(parts[1]), int(parts[3]) if len(parts) == 4 else 0))
                except (IndexError, ValueError):
                    continue
    records = {}
    for index, rank in expected:
        doc = load(protocol.result_name(index, rank))
        if doc is not None:
            records[(index, rank)] = doc
    ready = load("ready")
    return Outcome(ready, records)


def _short(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = type(exc).__name__
    return text if len(text) <= 300 else text[:300] + " …"


# ---------------------------------------------------------------------------- judging

# "syntax" is not among them: the grader compiles the file itself before any child runs.
_READY_KINDS = {
    "import": ErrorKind.IMPORT, "missing-function": ErrorKind.MISSING_FUNCTION,
    "crash": ErrorKind.CRASH, "memory": ErrorKind.MEMORY,
}


GRADER_FAILED_MESSAGE = (
    "the grader could not start the submission (its own files or sandbox failed before the submission ran;"
    " the error output below says why): a problem of the grader or its installation, not of the code"
)


class Judge:
    """Turns the child's records into case verdicts, or one error when no case could run."""

    def __init__(self, spec: ExerciseSpec, kind: str, cases: list[Case], expected: list[Any], limits: Limits,
                 exit_: Exit) -> None:
        self.spec = spec
        self.kind = kind
        self.cases = cases
        self.expected = expected
        self.limits = limits
        self.exit = exit_

    def judge(self, outcome: Outcome) -> tuple[CaseReport, ...] | GradeError:
        """Case verdicts, or one error; what the child left can make this a crash, never a traceback."""
        try:
            return self._judge(outcome)
        except Exception as exc:  # forged data the checks above did not foresee
            return GradeError(ErrorKind.CRASH, f"the submission's results could not be judged: {_short(exc)}")

    def _judge(self, outcome: Outcome) -> tuple[CaseReport, ...] | GradeError:
        ready = outcome.ready or {}
        if not isinstance(ready, dict) or ready.get("status") == "unreadable":
            ready = {}
        status = ready.get("status")
        # Case records prove the import went fine, whatever a tampered ready.json says.
        if not outcome.records and status != "ok":
            if status in _READY_KINDS:
                kind = _READY_KINDS[status]
                message = str(ready.get("message", ""))
                if kind is ErrorKind.MISSING_FUNCTION and ready.get("defined"):
                    message += f"; the file defines {', '.join(map(str, ready['defined']))}"
                return GradeError(kind, message, str(ready.get("traceback", "")))
            if self.exit.returncode == GRADER_FAILED and self.exit.killed_for is None:
                return GradeError(ErrorKind.CRASH, GRADER_FAILED_MESSAGE)
            kind, message = self._ending("while importing the submission (its top-level code)")
            return GradeError(kind, message)
        reports: list[CaseReport] = []
        for i, case in enumerate(self.cases):
            world = self.spec.ranks(case)
            found = [outcome.records.get((i, r)) for r in range(world)]
            records = [r for r in found if r is not None]
            if len(records) < world:
                if world > 1:  # [torch/distributed] name the ranks still waiting
                    return self._ended_during(reports, i, finished=[r for r, rec in enumerate(found) if rec])
                return self._ended_during(reports, i)
            terminal = next((r for r in records if r["status"] in ("exit", "memory")), None)
            if terminal is not None:
                kind = ErrorKind.CRASH if terminal["status"] == "exit" else ErrorKind.MEMORY
                return self._stop(reports, i, kind, str(terminal.get("message", "")))
            try:
                verdict = self._judge_case(case, self.expected[i], records[0] if world == 1 else records)
            except Exception as exc:  # a forged record of a shape nobody foresaw: this case fails
                verdict = f"the result could not be checked: {_short(exc)}"
            reports.append(self._case(case, verdict))
        return tuple(reports)

    def _case(self, case: Case, message: str | None, status: CaseStatus | None = None) -> CaseReport:
        if status is None:
            status = CaseStatus.PASSED if message is None else CaseStatus.FAILED
        return CaseReport(case.name, status, message or "", case.seed, case.kind, case.note,
                          describe_inputs(case.kwargs))

    def _ending(self, during: str) -> tuple[ErrorKind, str]:
        """Why the process ended early, from how it ended."""
        import signal as signals

        exit_ = self.exit
        if exit_.killed_for == "timeout":
            return ErrorKind.TIMEOUT, f"timed out after {self.limits.wall_s:g} s {during}"
        if exit_.killed_for == "memory":
            return ErrorKind.MEMORY, f"used more than {self.limits.memory_mb} MB of memory {during}"
        if exit_.killed_for == "procs":
            return ErrorKind.CRASH, f"started more than {self.limits.max_procs} processes {during}"
        sig = exit_.signal
        if sig == getattr(signals, "SIGXCPU", None):
            return ErrorKind.TIMEOUT, f"used up its CPU-time limit {during}"
        if sig is not None:
            try:
                name = signals.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return ErrorKind.CRASH, f"the process was killed by {name} {during}"
        return ErrorKind.CRASH, f"the process exited (status {exit_.returncode}) {during}; does the code call os._exit()?"

    def _ended_during(self, reports: list[CaseReport], i: int, finished: list[int] | None = None) -> tuple[CaseReport, ...] | GradeError:
        kind, message = self._ending(f"during case {self.cases[i].name}")
        if finished is not None and kind is ErrorKind.TIMEOUT:  # [torch/distributed]
            from bigmodel_quiz.grader.distributed import waiting_message

            world = self.spec.ranks(self.cases[i])
            message = waiting_message(self.cases[i].name, world, finished, self.limits.wall_s)
        return self._stop(reports, i, kind, message)

    def _stop(self, reports: list[CaseReport], i: int, kind: ErrorKind, message: str) -> tuple[CaseReport, ...] | GradeError:
        if kind is ErrorKind.MEMORY and "limit" not in message:
            message += f" (the limit is {self.limits.memory_mb} MB)"
        if not reports:  # no case could run: the grade is an error
            return GradeError(kind, message if self.cases[i].name in message else f"{message} (case {self.cases[i].name})")
        out = list(reports) + [self._case(self.cases[i], message)]
        for case in self.cases[i + 1 :]:
            out.append(self._case(case, f"not run: the process ended during case {self.cases[i].name}", CaseStatus.NOT_RUN))
        return tuple(out)

    def _judge_case(self, case: Case, expected: Any, record: Any) -> str | None:
        if isinstance(record, list):  # a distributed case: one value per rank
            # [torch/distributed] the rank whose own error started a failure, not its neighbours'
            from bigmodel_quiz.grader.distributed import RankRecord, rank_failure

            failure = rank_failure([RankRecord.from_doc(rank, r, self._not_ok(case, r) or "")
                                    for rank, r in enumerate(record)])
            if failure is not None:
                return failure
            return self._check(case, expected, [r["value"] for r in record])
        if record["status"] != "ok":
            return self._not_ok(case, record)
        if case.raises:
            return f"expected {case.raises}{f' ({case.note})' if case.note else ''}, but the function returned {_describe(record['value'])}"
        problem = self._check(case, expected, record["value"])
        if problem:
            return problem
        return _mutation(case, record.get("args_after") or {})

    def _not_ok(self, case: Case, record: dict[str, Any]) -> str | None:
        if record["status"] != "raised":
            return str(record.get("message", f"the case ended with status {record['status']}"))
        err = record.get("error") or {}
        if case.raises and case.raises in (err.get("mro") or []):
            return None
        text = str(err.get("traceback") or f"{err.get('type')}: {err.get('message')}")
        if err.get("verdict"):
            text = str(err.get("message"))
        if err.get("errno") == 27:
            text += f"\n(the file-size limit is {self.limits.fsize_mb} MB)"
        if case.raises:
            return f"expected {case.raises}{f' ({case.note})' if case.note else ''}, got:\n{text}"
        return text

    def _check(self, case: Case, expected: Any, got: Any) -> str | None:
        from bigmodel_quiz.grader.compare import compare

        if case.check is not None:
            try:
                return case.check(case, got, expected)
            except Exception as exc:
                return f"the result could not be checked ({type(exc).__name__}: {exc}); it was {_describe(got)}"
        rtol, atol = self.spec.tolerance(case, self.kind)
        return compare(expected, got, rtol=rtol, atol=atol, names=self.spec.result_names)


def _describe(value: Any) -> str:
    from bigmodel_quiz.grader.compare import describe

    return describe(value)


def _mutation(case: Case, after: dict[str, Any]) -> str | None:
    """A message when an argument that must not change came back changed."""
    from bigmodel_quiz.grader.compare import compare

    for name, value in after.items():
        if name not in case.kwargs:
            continue
        before = _comparable(case.kwargs[name])
        problem = compare(before, _comparable(value), rtol=0.0, atol=0.0)
        if problem:
            first = problem.splitlines()[0]
            return f"the function modified its argument {name!r} in place, which it must not do ({first})"
    return None


def _comparable(value: Any) -> Any:
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.random.Generator):
        return json.dumps(value.bit_generator.state, sort_keys=True, default=str)
    return value


def _describe_input(value: Any) -> str:
    if hasattr(value, "shape") and hasattr(value, "dtype"):  # an array or tensor: its shape, not its values
        shape = tuple(int(n) for n in value.shape)
        return f"{shape if len(shape) != 1 else f'({shape[0]},)'} {value.dtype}"
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 24 else value[:21] + "...")
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_describe_input(v) for v in value[:4])
        more = f", ... ({len(value)} items)" if len(value) > 4 else ""
        return f"[{inner}{more}]"
    if isinstance(value, dict):
        return "{...}"
    return type(value).__name__


def describe_inputs(kwargs: dict[str, Any], limit: int = 240) -> str:
    """A case's arguments in one line, so a failure says what it was called with (shapes, not values)."""
    text = ", ".join(f"{name}={_describe_input(value)}" for name, value in kwargs.items())
    return text if len(text) <= limit else text[: limit - 3] + "..."
