"""Cases for `roofline-decode`: max(weight bytes / bandwidth, 2·N·batch / peak FLOP/s)."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _terms(n_params, bytes_per_param, batch, mem_bandwidth, peak_flops):
    return n_params * bytes_per_param / mem_bandwidth, 2.0 * n_params * batch / peak_flops


MISTAKES = (
    ("the sum of the memory and compute times was taken; on the roofline the two overlap (weights stream in"
     " while the previous tiles are multiplied), so the step takes the max of them, not their sum",
     lambda **kw: sum(_terms(**kw))),
    ("the min of the memory and compute times was taken (or the memory time alone); the slower of the two"
     " bounds the step (max), and at large batch that is the compute time 2·N·batch/peak_flops",
     lambda **kw: min(_terms(**kw))),
    ("the weights were read once per sequence (times batch); a decode step reads every weight once for the"
     " whole batch, which is why batching helps",
     lambda **kw: max(_terms(**kw)[0] * kw["batch"], _terms(**kw)[1])),
    ("the factor 2 is missing from the compute time: one multiply-accumulate per weight and sequence is 2 FLOPs",
     lambda **kw: max(_terms(**kw)[0], _terms(**kw)[1] / 2)),
)
CHECK = checker(MISTAKES, rtol=1e-9, atol=0.0)

H100 = {"mem_bandwidth": 3.35e12, "peak_flops": 989e12}  # H100 SXM: HBM3 bytes/s, dense BF16 FLOP/s


def cases(seed: int) -> list[Case]:
    """A 7B model on an H100-class GPU at batch 1 to 1024, int4 weights, the ridge point, invalid arguments."""
    import numpy as np

    c = CHECK
    seven = {"n_params": 7_000_000_000, "bytes_per_param": 2.0, **H100}
    out = [
        Case("7B-batch-1", {**seven, "batch": 1}, check=c, note="memory-bound: 14 GB / 3.35 TB/s ≈ 4.2 ms"),
        Case("7B-batch-64", {**seven, "batch": 64}, check=c, note="still memory-bound"),
        Case("7B-batch-1024", {**seven, "batch": 1024}, check=c, note="compute-bound: 2·7e9·1024 / 989e12 ≈ 14.5 ms"),
        Case("int4-weights", {**seven, "bytes_per_param": 0.5, "batch": 128}, kind="edge", check=c,
             note="half a byte per weight moves the ridge point to a smaller batch"),
        Case("at-the-ridge", {"n_params": 1000, "bytes_per_param": 2.0, "batch": 50, "mem_bandwidth": 1e3,
                              "peak_flops": 5e4}, kind="edge", check=c,
             note="memory and compute times equal (2 s each)"),
        Case("70B-batch-8", {"n_params": 70_000_000_000, "bytes_per_param": 2.0, "batch": 8, **H100},
             check=c, note="a 70B model: ≈ 42 ms per step, memory-bound"),
    ]
    valid = {**seven, "batch": 1}
    for name in ("n_params", "bytes_per_param", "batch", "mem_bandwidth", "peak_flops"):
        out.append(Case(f"zero-{name.replace('_', '-')}", {**valid, name: 0}, kind="edge", raises="ValueError",
                        note=f"{name} = 0"))
    out.append(Case("negative-batch", {**valid, "batch": -4}, kind="edge", raises="ValueError", note="batch < 0"))
    rng = np.random.default_rng(seed)
    for i in range(4):
        args = {"n_params": int(rng.integers(1, 400)) * 10**9, "bytes_per_param": float(rng.choice([0.5, 1.0, 2.0, 4.0])),
                "batch": int(2 ** rng.integers(0, 12)), "mem_bandwidth": float(rng.uniform(0.5, 5.0)) * 1e12,
                "peak_flops": float(rng.uniform(100, 2000)) * 1e12}
        out.append(Case(f"random-{i}", args, kind="random", seed=seed, check=c,
                        note=f"{args['n_params'] // 10**9}B params, batch {args['batch']}"))
    return out


SPEC = ExerciseSpec(cases=cases)
