"""The submission's side of a grade: import it, run each case, write the results.

Started by the grader inside the sandbox as ``python -I -S -u -X utf8 -c BOOT harness.py
IO_DIR GO_FD`` (BOOT loads this file through the import system and calls :func:`main`;
``python -I harness.py IO_DIR GO_FD`` works the same). It loads
``protocol.py`` by path (not through the package), the modules the exercise needs
(NumPy, and for torch exercises torch; for an exercise with child-side code, its module of
``bigmodel_quiz.exercises.child``, which says what to prepare and how to run a case — never
the parent-side case module, which computes expected values), then
refuses every other import of the grader's own package and imports the submission.
It never prints: stdout and stderr belong to the submission. Results are files in
``IO_DIR/out``: ``ready.json`` (how the import went), then per case a JSON record and
``.npy`` files of its arrays. The verdict is not made here: the parent compares.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_BLOCKED = ("bigmodel_quiz", "solutions")
_TRACEBACK_LINES = 60


def _load_protocol():  # type: ignore[no-untyped-def]
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "protocol.py")
    spec = importlib.util.spec_from_file_location("_quiz_protocol", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["_quiz_protocol"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


class ImportBlocker:
    """A meta-path finder refusing the grader's package and the reference solutions."""

    def __init__(self, blocked: tuple[str, ...]) -> None:
        self.blocked = blocked

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        top = name.split(".")[0]
        if top in self.blocked:
            raise ModuleNotFoundError(
                f"No module named {name!r}: a submission cannot import the grader or its reference solutions",
                name=name,
            )
        return None


def user_traceback(exc: BaseException, filename: str) -> str:
    """The exception with only the frames of the submission's own file (no harness, no library frames)."""
    import traceback

    def trim(te: traceback.TracebackException, seen: set) -> None:
        if id(te) in seen:
            return
        seen.add(id(te))
        te.stack = traceback.StackSummary.from_list([f for f in te.stack if f.filename == filename])
        for chained in (te.__cause__, te.__context__):
            if chained is not None:
                trim(chained, seen)

    try:
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__, compact=True)
        trim(te, set())
        lines = "".join(te.format()).rstrip("\n").split("\n")
    except Exception:  # a hostile __str__ or __repr__
        lines = [f"{type(exc).__name__}: <the exception could not be shown>"]
    if len(lines) > _TRACEBACK_LINES:
        cut = len(lines) - _TRACEBACK_LINES + 10
        lines = lines[:10] + [f"  … {cut} lines omitted …"] + lines[10 + cut :]
    return "\n".join(lines)


def describe_exception(exc: BaseException, filename: str) -> dict:
    """What the parent needs to judge and show an exception."""
    try:
        message = str(exc)[:4000]
    except Exception:
        message = "<unprintable>"
    errno = getattr(exc, "errno", None)
    return {
        "type": type(exc).__name__,
        "mro": [cls.__name__ for cls in type(exc).__mro__],
        "message": message,
        "traceback": user_traceback(exc, filename),
        "errno": errno if type(errno) is int else None,
        "verdict": bool(getattr(type(exc), "grader_verdict", False)),
    }


class ChildCode:
    """What an exercise's child module exports: ``prepare(device)``, ``run(entry, kwargs, device)``, ``BUILDERS``."""

    def __init__(self, module: Any) -> None:
        self.prepare = getattr(module, "prepare", None)
        self.run = getattr(module, "run", None)
        self.builders = dict(getattr(module, "BUILDERS", {}))


class Child:
    """One run of the submission: the state the steps share."""

    def __init__(self, io_dir: str, go_fd: int) -> None:
        self.io_dir = io_dir
        self.go_fd = go_fd
        self.out = os.path.join(io_dir, "out")
        self.protocol = _load_protocol()
        self.start = self.protocol.read_json(os.path.join(io_dir, "in"), self.protocol.START)
        self.filename = self.start["filename"]
        self.device = self.start.get("device", "cpu")
        self.spec: ChildCode | None = None  # the exercise's child-side code, when it has some
        self.entry: Any = None
        self.pid = os.getpid()
        # Room to write a record after a MemoryError, freed when one happens.
        self.reserve: bytearray | None = bytearray(1 << 20)

    # -- small helpers ---------------------------------------------------------------
    def write(self, name: str, doc: dict, arrays: dict | None = None) -> None:
        """Write one record (its arrays first, so the JSON appears last)."""
        if arrays:
            doc["arrays"] = self.protocol.save_arrays(self.out, name, arrays)
        self.protocol.write_json(self.out, name + ".json", doc)

    def ready(self, status: str, **fields: object) -> None:
        """Say how importing the submission went (``ok`` or an error kind)."""
        self.write("ready", {"status": status, **fields})

    def leave(self) -> None:
        """Exit at once: no atexit handlers or threads of the submission may hold us."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(0)

    # -- steps -----------------------------------------------------------------------
    def preload(self) -> bool:
        """Import what the exercise needs before any submission code runs."""
        import importlib

        root = self.start.get("package_root")
        # Started with -S (no site: faster, no .pth hooks); the grader's own Python's
        # site-packages come back here, for NumPy and torch.
        sys.path.extend(p for p in self.start.get("site_paths", []) if p not in sys.path)
        try:
            for name in self.start.get("preload", []):
                importlib.import_module(name)
            if self.start.get("trusted"):
                if root:
                    sys.path.insert(0, root)
                try:
                    for name in self.start["trusted"]:
                        importlib.import_module(name)
                finally:
                    if root and root in sys.path:
                        sys.path.remove(root)
                self.spec = ChildCode(sys.modules[self.start["trusted"][0]])
                if self.spec.prepare is not None:
                    self.spec.prepare(self.device)
        except ImportError as exc:
            self.ready("import", message=f"{type(exc).__name__}: {exc}", traceback="")
            return False
        if "torch" in sys.modules and self.device.startswith("cuda"):
            torch = sys.modules["torch"]
            torch.backends.cuda.matmul.allow_tf32 = False  # comparable results (DESIGN)
            torch.backends.cudnn.allow_tf32 = False
        # What the trusted code loaded stays reachable through sys.modules, which the
        # blocker is never asked about: drop it (the harness keeps its own references).
        blocked = tuple(self.start.get("blocked", _BLOCKED))
        for name in [n for n in sys.modules if n.split(".")[0] in blocked]:
            del sys.modules[name]
        sys.meta_path.insert(0, ImportBlocker(blocked))
        return True

    def import_submission(self) -> bool:
        """Run the submission's top level; report syntax/import/crash/memory/missing-function."""
        import linecache
        import types

        with open(os.path.join(self.io_dir, "in", "submission.py"), encoding="utf-8", errors="replace") as f:
            source = f.read()
        try:
            code = compile(source, self.filename, "exec")
        except (SyntaxError, ValueError) as exc:
            self.ready("syntax", message=describe_exception(exc, self.filename)["traceback"])
            return False
        # The file itself may be hidden from this process: give tracebacks its lines.
        linecache.cache[self.filename] = (len(source), None, source.splitlines(True), self.filename)
        module = types.ModuleType("submission")
        module.__file__ = self.filename
        sys.modules["submission"] = module
        sys.argv = [self.filename]
        try:
            exec(code, module.__dict__)
        except BaseException as exc:
            if os.getpid() != self.pid:  # a process the submission forked: it must not report
                self.leave()
            if isinstance(exc, SystemExit):
                self.ready("crash", message=f"the submission called sys.exit({exc.code!r}) while being imported")
                return False
            if isinstance(exc, MemoryError):
                self.reserve = None
                self.ready("memory", message="the submission ran out of memory while being imported")
                return False
            info = describe_exception(exc, self.filename)
            self.ready("import", message=f"{info['type']}: {info['message']}", traceback=info["traceback"])
            return False
        if os.getpid() != self.pid:  # a process the submission forked at import time
            self.leave()
        entry_name = self.start["entry"]
        entry = module.__dict__.get(entry_name)
        if entry is None or not callable(entry):
            defined = sorted(k for k, v in module.__dict__.items() if callable(v) and not k.startswith("_"))[:20]
            what = "is not defined" if entry is None else f"is a {type(entry).__name__}, not a function or class"
            self.ready("missing-function", message=f"{entry_name} {what}", defined=defined)
            return False
        self.entry = entry
        self.ready("ok")
        return True

    def wait_for_go(self) -> bool:
        """Block until the grader has written the cases (False: the grader went away)."""
        if self.go_fd < 0:  # no inherited pipe (Windows): the job file appears atomically
            import time

            while not os.path.exists(os.path.join(self.io_dir, "in", self.protocol.JOB)):
                time.sleep(0.002)
            return True
        try:
            data = os.read(self.go_fd, 1)
            os.close(self.go_fd)
        except OSError:
            return False
        return data == b"g"

    def run_cases(self) -> None:
        """Run every case of the job, writing one record per case."""
        p = self.protocol
        inbox = os.path.join(self.io_dir, "in")
        job = p.read_json(inbox, p.JOB)
        arrays = p.load_arrays(inbox, p.INPUTS, job.get("arrays", []))
        builders: dict[str, Any] = dict(self.spec.builders) if self.spec else {}
        for case in job["cases"]:
            world = int(case.get("world_size", 1))
            if world > 1:
                self.run_distributed(case, arrays, builders, world)
            elif not self.run_one(case, arrays, builders, rank=0):
                return

    def run_one(self, case: dict, arrays: dict, builders: dict, rank: int) -> bool:
        """One call; False when the run must stop (exit, memory)."""
        import time

        p = self.protocol
        name = p.result_name(case["index"], rank)
        try:
            kwargs = p.Decoder(_CopyOnRead(arrays), tensors=self.device, builders=builders).decode(case["args"])
        except Exception as exc:  # a grader bug, not the submission's
            self.write(name, {"status": "grader", "message": f"the inputs could not be decoded: {exc}"})
            return True
        run_case = self.spec.run if self.spec else None
        t0 = time.perf_counter()
        try:
            if run_case is not None:
                result = run_case(self.entry, kwargs, self.device)
            else:
                result = self.entry(**kwargs)
        except SystemExit as exc:
            if os.getpid() != self.pid:
                self.leave()
            self.write(name, {"status": "exit", "message": f"the function called sys.exit({exc.code!r})"})
            return False
        except MemoryError:
            if os.getpid() != self.pid:
                self.leave()
            kwargs = result = None
            self.reserve = None
            self.write(name, {"status": "memory", "message": "MemoryError: the function ran out of memory"})
            return False
        except BaseException as exc:
            if os.getpid() != self.pid:
                self.leave()
            self.write(name, {"status": "raised", "error": describe_exception(exc, self.filename),
                              "elapsed_s": time.perf_counter() - t0})
            return True
        elapsed = time.perf_counter() - t0
        if os.getpid() != self.pid:  # a forked copy returned from the function: it must not grade
            self.leave()
        return self.send_result(name, case, kwargs, result, elapsed)

    def send_result(self, name: str, case: dict, kwargs: dict, result: object, elapsed: float) -> bool:
        """Write the returned value (and the arguments the grader checks for mutation)."""
        p = self.protocol
        enc = p.Encoder(strict=False)
        try:
            doc = {"status": "ok", "elapsed_s": elapsed, "value": enc.encode(result)}
            doc["args_after"] = {k: enc.encode(kwargs[k]) for k in case.get("return_args", []) if k in kwargs}
        except Exception as exc:
            doc = {"status": "unencodable", "message": f"the returned value could not be sent back: {type(exc).__name__}: {exc}"}
            enc.arrays = {}
        try:
            self.write(name, doc, enc.arrays)
        except MemoryError:
            self.reserve = None
            self.write(name, {"status": "memory", "message": "MemoryError while sending the result back"})
            return False
        except OSError as exc:
            if exc.errno == 27:  # EFBIG: over the file-size limit
                self.write(name, {"status": "unencodable", "message": "the returned value is larger than the file-size limit"})
                return True
            raise
        return True

    def run_distributed(self, case: dict, arrays: dict, builders: dict, world: int) -> None:
        """Fork one process per rank (after the imports, so each rank starts warm); wait for all."""
        import socket

        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        pids: dict[int, int] = {}
        for rank in range(world):
            pid = os.fork()
            if pid == 0:
                self.pid = os.getpid()
                os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world),
                                  MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
                try:
                    self.run_one(case, arrays, builders, rank)
                finally:
                    self.leave()
            pids[pid] = rank
        while pids:
            pid, status = os.wait()
            rank = pids.pop(pid, -1)
            if rank < 0:
                continue
            name = self.protocol.result_name(case["index"], rank)
            if not os.path.exists(os.path.join(self.out, name + ".json")):
                how = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                       else f"exited with status {os.WEXITSTATUS(status)}")
                self.write(name, {"status": "died", "message": f"rank {rank} {how}"})


class _CopyOnRead(dict):
    """The inputs, handed out as fresh copies so one case cannot change another's."""

    def __init__(self, arrays: dict) -> None:
        super().__init__(arrays)

    def __getitem__(self, key: str):  # type: ignore[no-untyped-def]
        return dict.__getitem__(self, key).copy()


def main(argv: list[str]) -> None:
    """Import the submission, wait for the cases, run them, exit."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the size limit: an OSError, not a kill
    try:
        child = Child(argv[1], int(argv[2]))
    except Exception as exc:  # the grader's own files, before any submission code: not the submission's doing
        os.write(2, f"the grader could not start: {type(exc).__name__}: {exc}\n".encode())
        os._exit(70)  # sandbox.GRADER_FAILED
    if child.preload() and child.import_submission() and child.wait_for_go():
        child.run_cases()
    child.leave()


if __name__ == "__main__":
    main(sys.argv)
