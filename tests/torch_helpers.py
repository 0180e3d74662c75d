"""Helpers shared by the tests/test_torch_*.py files (not a test module)."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable

from exercise_helpers import load_entry as load_entry
from exercise_helpers import reference as reference
from exercise_helpers import spec_of
from exercise_helpers import torch_or_skip as torch_or_skip

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "grader_cases"
TORCH_IDS = ("count-parameters", "cnn-build", "sequence-classifier", "overfit-one-batch",
             "gradient-accumulation", "ring-allreduce", "ddp-average-gradients")
LOCAL_IDS = TORCH_IDS[:5]  # run in one process; the other two need a process group


def roundtrip(value: Any) -> Any:
    """The value as the parent sees it after the child sent it through the protocol."""
    from bigmodel_quiz.grader import protocol

    tree, arrays = protocol.encode(value, strict=False)
    return protocol.decode(tree, arrays, tensors="data")


def grade_in_process(exercise_id: str, entry: Any, seed: int, device: str = "cpu") -> dict[str, str | None]:
    """Case name → failure message (None: passed), running the child's driver here (no sandbox)."""
    mod = spec_of(exercise_id)
    import torch

    # as the child's prepare() does (not prepare() itself: it also empties sys.modules of the
    # grader's modules, which this test process still needs)
    torch.set_num_threads(1)
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    out = {}
    for case in mod.cases(seed):
        got = roundtrip(mod.SPEC.run(entry, dict(case.kwargs), device))
        expected = mod.SPEC.expected(case) if mod.SPEC.expected is not None else None
        out[case.name] = case.check(case, got, expected)
    return out


def in_process_group(world: int, body: Callable[[int, int], Any], *, timeout: float = 60.0) -> list[Any]:
    """Run ``body(rank, world)`` in ``world`` forked processes joined in a gloo group; their return values.

    Each rank sets the environment the harness sets, so ``ranks.rank_session``
    works unchanged. A rank's exception is re-raised here with its message.
    """
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="quiz-ranks-")
    pids = []
    for rank in range(world):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked rank
            code = 0
            try:
                os.chdir(folder)
                os.environ.update(RANK=str(rank), WORLD_SIZE=str(world), MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
                result: Any = ("ok", body(rank, world))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                result, code = ("raised", f"{type(exc).__name__}: {exc}"), 1
            with open(os.path.join(folder, f"rank-{rank}.pkl"), "wb") as f:
                pickle.dump(result, f)
            os._exit(code)
        pids.append(pid)
    deadline = time.monotonic() + timeout
    for pid in pids:
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                for p in pids:
                    try:
                        os.kill(p, 9)
                    except OSError:
                        pass
                raise TimeoutError("the ranks did not finish")
            time.sleep(0.01)
    results = []
    for rank in range(world):
        with open(os.path.join(folder, f"rank-{rank}.pkl"), "rb") as f:
            status, value = pickle.load(f)  # our own files, written by our own forks
        if status != "ok":
            raise RuntimeError(f"rank {rank}: {value}")
        results.append(value)
    return results


def zygotes(parent: int | None = None) -> list[int]:
    """Pids of the live watch-mode zygotes of ``parent`` (default: this process; other runs have their own)."""
    parent = os.getpid() if parent is None else parent
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if b"zygote.py" not in f.read():
                        continue
                with open(f"/proc/{name}/stat", encoding="utf-8") as g:
                    fields = g.read().rpartition(")")[2].split()
                if fields[0] != "Z" and int(fields[1]) == parent:
                    found.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return found
