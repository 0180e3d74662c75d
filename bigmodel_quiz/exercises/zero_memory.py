"""Cases for `zero-memory`: the ZeRO paper's per-GPU model-state memory, in bytes."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def cases(seed: int) -> list[Case]:
    """The paper's 7.5B / 64-GPU example for every stage, one GPU, invalid stages, random sizes."""
    import numpy as np

    paper = {"n_params": 7_500_000_000, "n_gpus": 64}
    expected_gb = {0: "120", 1: "31.4", 2: "16.6", 3: "1.88"}  # Rajbhandari et al. 2020, figure 1
    out = [
        Case(f"paper-7.5B-64-gpus-stage-{s}", {**paper, "stage": s}, note=f"the paper's figure 1: {expected_gb[s]} GB")
        for s in range(4)
    ]
    out += [
        Case(
            "one-gpu-stage-3", {"n_params": 1_000_000, "n_gpus": 1, "stage": 3}, kind="edge",
            note="N = 1: nothing to partition, 16 bytes/param",
        ),
        Case("one-gpu-stage-1", {"n_params": 1_000_000, "n_gpus": 1, "stage": 1}, kind="edge"),
        Case("gpt3-175B-1024-gpus-stage-2", {"n_params": 175_000_000_000, "n_gpus": 1024, "stage": 2}, kind="edge"),
        Case(
            "odd-gpu-count-stage-3", {"n_params": 1_234_567, "n_gpus": 7, "stage": 3}, kind="edge",
            note="bytes need not be an integer",
        ),
        Case("stage-4-raises", {"n_params": 1000, "n_gpus": 8, "stage": 4}, kind="edge", raises="ValueError"),
        Case("stage-minus-1-raises", {"n_params": 1000, "n_gpus": 8, "stage": -1}, kind="edge", raises="ValueError"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(4):
        args = {"n_params": int(rng.integers(1, 10**6)) * 10**4, "n_gpus": int(rng.integers(1, 2049)), "stage": i}
        out.append(Case(f"random-stage-{i}", args, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
