"""One grade, start to finish: resolve, run the submission in the sandbox, judge, report.

The order is chosen for speed: the child process starts first (its Python and NumPy
start-up overlaps with the grader's), the cases are built and handed over, and the
reference solution runs in this process while the submission runs in its own.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bigmodel_quiz.errors import QuizError, UsageError
from bigmodel_quiz.exercises import catalog
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec
from bigmodel_quiz.grader.device import TORCH_INSTALL_HINT, DeviceUnavailable, resolve_device, torch_installed
from bigmodel_quiz.grader.report import CaseReport, CaseStatus, ErrorKind, GradeError, GradeReport, GradeStatus
from bigmodel_quiz.grader.judge import Judge, read_outcome
from bigmodel_quiz.grader.sandbox import Limits, Sandbox, child_env

HARNESS = Path(__file__).resolve().parent / "harness.py"
_BOOT = (
    "import sys, importlib.util as u\n"
    "s = u.spec_from_file_location('_quiz_harness', sys.argv[1]); m = u.module_from_spec(s)\n"
    "sys.modules['_quiz_harness'] = m; s.loader.exec_module(m); m.main(sys.argv[1:])"
)
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class GradeRequest:
    """What ``quiz grade`` was asked to do."""

    file: Path
    exercise: str | None = None
    device: str = "auto"
    seed: int | None = None
    timeout: float | None = None  # seconds for the submission's process; None: the exercise's
    memory_mb: int | None = None  # None: the sandbox default
    record: bool = True  # store the grade in the progress store
    # [torch/watch] makes the Sandbox (watch mode passes one that forks from a warm worker)
    sandbox: Any = None


def fresh_seed() -> int:
    """A random seed short enough to type."""
    return int.from_bytes(os.urandom(4), "big") % 1_000_000


def grade_submission(request: GradeRequest) -> GradeReport:
    """Grade one submission file; UsageError for a bad request, a report for anything the submission does."""
    t0 = time.monotonic()
    file = request.file
    if not file.exists():
        raise UsageError(f"no such file: {file}")
    if not file.is_file():
        raise UsageError(f"not a file: {file}")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
    text = raw.decode("utf-8", errors="replace")
    statement = catalog.resolve(file, text, request.exercise)
    if request.timeout is not None and request.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    seed = request.seed if request.seed is not None else fresh_seed()
    grading = _Grading(request, statement, seed, t0)
    report = grading.run(raw)
    if request.record:
        _record(report)
    return report


def _record(report: GradeReport) -> None:
    from bigmodel_quiz.store.db import GradeRecord, open_store, utc_now

    with open_store() as store:
        store.record_grade(GradeRecord(
            exercise=report.exercise, status=report.status.value, passed=report.passed, total=report.total,
            device=report.device, duration_s=report.duration_s, graded_at=utc_now(), file=report.file,
        ))


class _Grading:
    """The state of one grade while it runs."""

    def __init__(self, request: GradeRequest, statement: catalog.Statement, seed: int, t0: float) -> None:
        self.request = request
        self.statement = statement  # read once; parsed once the child is on its way
        self.seed = seed
        self.t0 = t0
        self.device = "cpu"
        self.file = str(request.file.resolve())

    def report(self, *, cases: tuple[CaseReport, ...] = (), total: int = 0, error: GradeError | None = None,
               output: tuple[Any, Any] = (None, None), notices: tuple[str, ...] = (), sandbox: str = "") -> GradeReport:
        passed = sum(c.status is CaseStatus.PASSED for c in cases)
        if error is not None:
            status, cases = GradeStatus.ERROR, ()
        else:
            status = GradeStatus.PASSED if total and passed == total else GradeStatus.FAILED
        exercise = self.statement.load()
        return GradeReport(
            exercise=exercise.id, status=status, passed=passed, total=total, device=self.device,
            duration_s=time.monotonic() - self.t0, cases=cases, error=error, seed=self.seed, file=self.file,
            titles=dict(exercise.title), stdout=output[0], stderr=output[1], notices=notices,
            sandbox=sandbox,
        )

    def run(self, raw: bytes) -> GradeReport:
        problem = _syntax_problem(raw, self.file)
        if problem:
            return self.report(error=GradeError(ErrorKind.SYNTAX, problem.splitlines()[-1], problem))
        info = self.statement.info()
        spec = catalog.load_spec(info.id)
        refused = self._check_device(info.kind)
        if refused is not None:
            return refused
        limits = self._limits(spec)
        trusted = child_imports(spec.child_module) if spec.child_module else []
        hide = catalog.solution_dirs() + tuple(p for p in (_PACKAGE_ROOT / ".git",) if p.is_dir())
        files = child_side_files(trusted)
        with (self.request.sandbox or Sandbox)(limits, hide=hide, cuda=self.device == "cuda", files=files) as sb:
            # The child starts now and imports while this process parses the statement,
            # builds the cases and runs the reference.
            go = self._start(sb, raw, info.entry, info.kind, trusted)
            exercise = self.statement.load()
            started = time.monotonic()
            cases = spec.cases(self.seed)
            self._hand_over(sb, go, cases, spec)
            # --timeout counts from the child's start, less any time it sat ready waiting
            # for the grader to hand over the cases.
            deadline = started + limits.wall_s + _waited(sb)
            expected = _cached_expected(exercise, spec, cases, self.seed)
            exit_ = sb.wait(deadline)
            outcome = read_outcome(sb.outbox_ref, [(i, r) for i, case in enumerate(cases) for r in range(spec.ranks(case))])
            output = sb.output()
            notices = (sb.plan.notice,) if sb.plan.notice else ()
            sandbox = sb.plan.name
        judged = Judge(spec, exercise.kind, cases, expected, limits, exit_).judge(outcome)
        if not isinstance(judged, GradeError) and spec.source_rule is not None:
            judged = _apply_source_rule(judged, spec.source_rule(raw.decode("utf-8", errors="replace")))
        if isinstance(judged, GradeError):
            return self.report(error=judged, total=len(cases), output=output, notices=notices, sandbox=sandbox)
        return self.report(cases=judged, total=len(cases), output=output, notices=notices, sandbox=sandbox)

    def _check_device(self, kind: str) -> GradeReport | None:
        """Pick the device; a report when a torch exercise cannot run here (no torch, or no GPU)."""
        if kind == "torch" and not torch_installed():
            return self.report(error=GradeError(ErrorKind.IMPORT, TORCH_INSTALL_HINT))
        try:
            self.device = resolve_device(self.request.device, kind)
        except DeviceUnavailable as exc:
            self.device = "cuda"
            return self.report(error=GradeError(ErrorKind.DEVICE_UNAVAILABLE, exc.message))
        return None

    def _limits(self, spec: ExerciseSpec) -> Limits:
        """--timeout, else the exercise's."""
        timeout = self.request.timeout or spec.timeout
        memory = {"memory_mb": self.request.memory_mb} if self.request.memory_mb else {}
        return Limits(wall_s=float(timeout), **memory)

    def _start(self, sb: Sandbox, raw: bytes, entry: str, kind: str, trusted: list[str]) -> int:
        """Write what the child imports, start it; returns the pipe end that says "go"."""
        from bigmodel_quiz.grader import protocol

        preload = {"python": [], "numpy": ["numpy"], "torch": ["numpy", "torch"]}[kind]
        start = {
            "version": protocol.VERSION, "filename": self.file, "entry": entry, "device": self.device,
            "preload": preload, "trusted": trusted, "package_root": str(_PACKAGE_ROOT),
            "blocked": ["bigmodel_quiz", "solutions"], "site_paths": _site_paths(),
        }
        (sb.inbox / protocol.START).write_text(json.dumps(start), encoding="utf-8")
        (sb.inbox / "submission.py").write_bytes(raw)
        # A three-line bootstrap loads the harness through the import system, so that its
        # compiled form is cached (a script given by path is compiled on every run).
        argv = [sys.executable, "-I", "-S", "-u", "-X", "utf8", "-c", _BOOT, str(HARNESS), str(sb.root / "io")]
        if os.name != "posix":  # no fd inheritance: the child waits for the job file instead
            sb.spawn(argv + ["-1"], env=child_env(sb.workdir))
            return -1
        read_end, write_end = os.pipe()
        try:
            sb.spawn(argv + [str(read_end)], env=child_env(sb.workdir), pass_fds=(read_end,))
        except BaseException:
            os.close(write_end)
            raise
        finally:
            os.close(read_end)
        return write_end

    def _hand_over(self, sb: Sandbox, go: int, cases: list[Case], spec: ExerciseSpec) -> None:
        """Write the cases and their inputs, then tell the child to go."""
        from bigmodel_quiz.grader import protocol

        enc = protocol.Encoder(strict=True)
        job = []
        for i, case in enumerate(cases):
            job.append({
                "index": i, "name": case.name, "args": enc.encode(dict(case.kwargs)),
                "return_args": [k for k, v in case.kwargs.items() if k not in case.mutable and _mutable(v)],
                "world_size": spec.ranks(case),
            })
        try:
            keys = protocol.save_arrays(sb.inbox_ref, protocol.INPUTS, enc.arrays)
            protocol.write_json(sb.inbox_ref, protocol.JOB, {"cases": job, "arrays": keys})
            if go >= 0:
                os.write(go, b"g")
        except BrokenPipeError:
            pass  # the child already ended (an import error): its ready.json says why
        finally:
            if go >= 0:
                os.close(go)


def _apply_source_rule(cases: tuple[CaseReport, ...], problem: str | None) -> tuple[CaseReport, ...]:
    """The cases, those that passed failing with ``problem`` (a rule the parent read from the file)."""
    if problem is None:
        return cases
    from dataclasses import replace

    return tuple(replace(c, status=CaseStatus.FAILED, message=problem) if c.status is CaseStatus.PASSED else c
                 for c in cases)


def child_side_files(trusted: list[str]) -> tuple[Path, ...]:
    """The package's files the child reads: the harness, the protocol, the trusted modules and their packages."""
    grader = HARNESS.parent
    files = [HARNESS, grader / "protocol.py", grader / "zygote.py"]
    for name in trusted:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            base = _PACKAGE_ROOT.joinpath(*parts[:i])
            files.append(base / "__init__.py" if base.is_dir() else base.with_suffix(".py"))
    return tuple(dict.fromkeys(f for f in files if f.is_file()))


def _site_paths() -> list[str]:
    """The site-packages folders of this Python (the child starts without ``site``)."""
    import sysconfig

    paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    paths += [p for p in sys.path if p.rstrip("/\\").endswith(("site-packages", "dist-packages"))]
    return list(dict.fromkeys(p for p in paths if os.path.isdir(p)))


def _waited(sb: Sandbox) -> float:
    """Seconds the child has been waiting, ready, for its cases (0 when it is still importing)."""
    try:
        ready = os.stat("ready.json", dir_fd=sb.outbox_ref) if isinstance(sb.outbox_ref, int) else (sb.outbox / "ready.json").stat()
    except OSError:
        return 0.0
    return max(0.0, min(time.time() - ready.st_mtime, 5.0))  # bounded: the child can set the mtime


def _mutable(value: Any) -> bool:
    if isinstance(value, (list, dict, set, bytearray)):
        return True
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, (np.ndarray, np.random.Generator))


MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a submission larger than this is not compiled


def _syntax_problem(raw: bytes, filename: str) -> str | None:
    """The compiler's message for a file that does not compile (checked here: the grader decides this kind).

    Bounded: a file over 4 MB is refused unread, and a file too deeply nested for the
    compiler (a very long chained expression) is a syntax error, not the grader's crash.
    """
    import traceback

    if len(raw) > MAX_SOURCE_BYTES:
        return f"SyntaxError: the file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB"
    try:
        compile(raw, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    except (RecursionError, MemoryError, OverflowError) as exc:
        return f"SyntaxError: the file is too complex for the compiler ({type(exc).__name__}: {exc})"
    return None


_EXPECTED: dict[tuple[str, int, int, int], list[Any]] = {}  # this process's expected values, by exercise and seed


def _cached_expected(ex: catalog.Exercise, spec: ExerciseSpec, cases: list[Case], seed: int) -> list[Any]:
    """The expected values, computed once per exercise and seed in this process (a watch re-grade reuses them).

    They come from the grader's own code and data only, never from a submission, so
    keeping them is as safe as computing them again; the cases are rebuilt each grade
    and must be the same ones (their names are compared).
    """
    key = (ex.id, seed, id(spec), id(_load_reference))  # the same spec and reference as last time
    names = [c.name for c in cases]
    hit = _EXPECTED.get(key)
    if hit is not None and hit[0] == names:
        return hit[1]
    values = _expected_values(ex, spec, cases)
    if len(_EXPECTED) > 8:
        _EXPECTED.clear()
    _EXPECTED[key] = [names, values]
    return values


def _expected_values(ex: catalog.Exercise, spec: ExerciseSpec, cases: list[Case]) -> list[Any]:
    """The reference's result per case (None where the case must raise), computed in this process."""
    import copy

    reference = None
    out: list[Any] = []
    for case in cases:
        if case.raises:
            out.append(None)
            continue
        if spec.expected is not None:  # the exercise computes what it expects itself (torch exercises)
            out.append(spec.expected(case))
            continue
        if spec.run is not None:  # the child runs a trusted driver; its checker judges alone
            out.append(None)
            continue
        if reference is None:
            reference = _load_reference(ex)
        try:
            out.append(reference(**copy.deepcopy(case.kwargs)))
        except Exception as exc:
            raise QuizError(f"the reference solution of {ex.id} failed on case {case.name}: {type(exc).__name__}: {exc}") from None
    return out


def _load_reference(ex: catalog.Exercise) -> Any:
    """The reference solution's entry point, imported in this (the grader's) process."""
    import importlib.util

    path = catalog.reference_path(ex.id)
    if not path.is_file():
        raise QuizError(f"exercise {ex.id} has no reference solution ({path} is missing)")
    name = f"_quiz_reference_{ex.module_name}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module  # dataclasses (and typing) look a class's module up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return getattr(module, ex.entry)


@functools.lru_cache(maxsize=32)
def _child_imports_cached(module_name: str) -> tuple[str, ...]:
    return tuple(_child_imports(module_name))


def child_imports(module_name: str) -> list[str]:
    """An exercise's child module and the package modules it imports (see :func:`_child_imports`; read once per process)."""
    return list(_child_imports_cached(module_name))


def _child_imports(module_name: str) -> list[str]:
    """An exercise's child module and the package modules it imports, transitively: the only
    code of this package the child loads before the submission (never a parent-side case module)."""
    import ast
    import importlib.util

    names = [module_name]
    for name in names:  # grows while it is walked
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            continue
        source = Path(spec.origin).read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            found: list[str] = []
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    is_module = (_PACKAGE_ROOT / (sub.replace(".", "/") + ".py")).is_file()
                    found.append(sub if is_module else node.module)
            names.extend(n for n in found if n.split(".")[0] == "bigmodel_quiz" and n not in names)
    return names
