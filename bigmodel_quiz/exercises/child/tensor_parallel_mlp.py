"""Child side of tensor-parallel-mlp: in every rank, its shards in, its output back.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm
from bigmodel_quiz.exercises.child import ranks

def full_weights(seed: int, n: int, d: int, f: int) -> dict[str, Any]:
    """x (N,D), w1 (D,F), b1 (F,), w2 (F,D), b2 (D,), float32."""
    import numpy as np

    gen = tm.rng(seed, 37)
    return {
        "x": gen.standard_normal((n, d)).astype(np.float32),
        "w1": (gen.standard_normal((d, f)) / np.sqrt(d)).astype(np.float32),
        "b1": (0.5 * gen.standard_normal(f)).astype(np.float32),
        "w2": (gen.standard_normal((f, d)) / np.sqrt(f)).astype(np.float32),
        "b2": (0.5 * gen.standard_normal(d) + 1.0).astype(np.float32),
    }


def shards(full: dict[str, Any], rank: int, world: int) -> dict[str, Any]:
    """Rank r's arguments: the r-th block of w1's columns and b1, the r-th block of w2's rows."""
    f = full["w1"].shape[1]
    cols = slice(rank * f // world, (rank + 1) * f // world)
    return {"x": full["x"], "w1_shard": full["w1"][:, cols], "b1_shard": full["b1"][cols],
            "w2_shard": full["w2"][cols, :], "b2": full["b2"]}


def case_weights(kwargs: dict[str, Any]) -> dict[str, Any]:
    return full_weights(kwargs["data_seed"], kwargs["n"], kwargs["d_model"], 4 * kwargs["d_model"])


def prepare(device: str) -> None:
    """Before the submission is imported: collectives allowed."""
    ranks.prepare_ranks(point_to_point_only=False)
    tm.prepare_torch(device)


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """In every rank (gloo on CPU whatever the device): this rank's shards in, its output back."""
    import numpy as np
    import torch

    with ranks.rank_session() as (rank, world):
        args = shards(case_weights(kwargs), rank, world)
        tensors = {k: tm.tensor(v, "cpu") for k, v in args.items()}
        with ranks.submission_running():
            out = entry(**tensors)
        mutated = [k for k, t in tensors.items() if not np.array_equal(t.detach().numpy(), args[k])]
        if not isinstance(out, torch.Tensor):
            return {"problem": f"rank {rank}: tp_mlp must return a tensor, got {type(out).__name__}", "mutated": mutated}
        return {"out": out.detach().cpu().numpy().copy(), "mutated": mutated}
