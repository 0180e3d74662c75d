"""PyTorch grading speed: ``quiz grade`` of correct ``cnn-build``, ``gpt-block`` and ``tensor-parallel-mlp``
answers against ``import torch``, and a watch re-grade.

(a) ``quiz grade cnn.py --json``: a fresh sandboxed child that imports torch and runs
every case (the parent never imports torch on a machine without a GPU);
(c) ``python -c "import torch"``;
(w) ``quiz grade cnn.py --watch --json``: seconds from a save to its grade's JSON line,
the warm worker having imported torch already.
(g) and (t): ``quiz grade --json`` of the ``gpt-block`` and ``tensor-parallel-mlp`` references
(the latter starts gloo groups of 2 and 4 ranks).
Targets: a/c <= 1.3, w/c <= 0.2 and g/c <= 1.3 (t/c is reported), medians of several runs, all
measured in this run.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import BIN, ROOT, env_with, report, time_command

SEED = 1234

SUBMISSION = '''# exercise: cnn-build
from torch import nn


def build_cnn(num_classes: int = 10) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(128 * 2 * 2, 128), nn.ReLU(),
        nn.Linear(128, num_classes),
    )
'''


def watch_latencies(sub: Path, env: dict, saves: int) -> list[float]:
    """Seconds from each save to the JSON line of its grade, with one ``quiz grade --watch`` running."""
    proc = subprocess.Popen([str(BIN / "quiz"), "grade", str(sub), "--watch", "--json", "--seed", str(SEED)],
                            env=env, cwd=sub.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    latencies = []
    try:
        first = json.loads(proc.stdout.readline())  # the first grade starts the warm worker
        if first["status"] != "passed":
            raise SystemExit(f"the cnn-build submission did not pass in watch mode: {first}")
        for i in range(saves):
            time.sleep(0.5)  # saves come from a person, not back to back
            start = time.perf_counter()
            sub.write_text(SUBMISSION + f"\n# edit {i}\n", encoding="utf-8")
            doc = json.loads(proc.stdout.readline())
            latencies.append(time.perf_counter() - start)
            if doc["status"] != "passed":
                raise SystemExit(f"a watch re-grade did not pass: {doc}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return latencies


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="quiz-bench-torch-"))
    env = env_with(QUIZ_HOME=str(work / "home"), NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as users run it: compiled modules cached
    sub = work / "cnn_submission.py"
    sub.write_text(SUBMISSION, encoding="utf-8")
    py = sys.executable
    cmd = [str(BIN / "quiz"), "grade", str(sub), "--json", "--seed", str(SEED)]
    check = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)
    if check.returncode != 0 or json.loads(check.stdout)["status"] != "passed":
        raise SystemExit(f"the cnn-build submission did not pass: {check.stdout[-2000:]} {check.stderr[-2000:]}")
    runs = 7
    torch_import = time_command([py, "-c", "import torch"], env=env, runs=runs)
    graded = time_command(cmd, env=env, runs=runs, cwd=work)
    torch_import_again = time_command([py, "-c", "import torch"], env=env, runs=runs)  # the machine's load drifts
    torch_import = statistics.median([torch_import, torch_import_again])
    regrade = statistics.median(watch_latencies(sub, env, saves=7))
    block = time_command(reference_grade(work, env, "gpt-block"), env=env, runs=5, cwd=work)
    tp = time_command(reference_grade(work, env, "tensor-parallel-mlp"), env=env, runs=5, cwd=work)
    print(f"machine: {os.cpu_count()} cores, {sys.platform}; torch grades on cpu")
    ok = report(
        [("(a) quiz grade --json (cnn-build)", graded), ("(c) python -c 'import torch'", torch_import),
         ("(w) --watch re-grade after a save", regrade), ("(g) quiz grade --json (gpt-block)", block),
         ("(t) quiz grade --json (tensor-parallel-mlp, 2 and 4 ranks)", tp)],
        [("a/c quiz grade / import torch", graded, torch_import, 1.3),
         ("w/c watch re-grade / import torch", regrade, torch_import, 0.2),
         ("g/c gpt-block grade / import torch", block, torch_import, 1.3)],
    )
    print(f"t/c tensor-parallel-mlp grade / import torch: {tp / torch_import:.2f}x (reported, no target)")
    return 0 if ok else 1


def reference_grade(work: Path, env: dict, exercise_id: str) -> list[str]:
    """The ``quiz grade --json`` command of a copy of the exercise's reference; checked to pass once."""
    sub = work / f"{exercise_id.replace('-', '_')}_submission.py"
    source = (ROOT / "solutions" / f"{exercise_id.replace('-', '_')}.py").read_text(encoding="utf-8")
    sub.write_text(f"# exercise: {exercise_id}\n{source}", encoding="utf-8")
    cmd = [str(BIN / "quiz"), "grade", str(sub), "--json", "--seed", str(SEED)]
    check = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)
    if check.returncode != 0 or json.loads(check.stdout)["status"] != "passed":
        raise SystemExit(f"the {exercise_id} reference did not pass: {check.stdout[-2000:]} {check.stderr[-2000:]}")
    return cmd


if __name__ == "__main__":
    sys.exit(main())
