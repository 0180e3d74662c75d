"""tensor-parallel-mlp: the Megatron MLP across a gloo group of 2 or 4 ranks.

Every rank builds its shards from a seeded NumPy generator, calls the submission and
sends back its output; the parent computes the single-device MLP in float64 and names
the classic slips (b2 added on every rank, an all-reduce before the GELU, no all-reduce,
the tanh GELU) by recomputing them.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import ranks
from bigmodel_quiz.exercises.child.tensor_parallel_mlp import case_weights, shards
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-5, 1e-5  # float32, sums of ≤ 4 partial outputs


def cases(seed: int) -> list[Case]:
    """World sizes 2 and 4, one token, a narrow model, a random one."""
    import random

    r = random.Random(seed)
    d_rand = r.choice([4, 8, 12])
    spec = [
        ("world-2", "deterministic", 2, 4, 8),
        ("world-4", "deterministic", 4, 5, 8),
        ("world-2-one-token", "edge", 2, 1, 6),
        ("world-4-one-token", "edge", 4, 1, 4),
        ("world-4-wide", "edge", 4, 3, 16),
        ("random", "random", r.choice([2, 4]), r.randint(1, 8), d_rand),
    ]
    return [
        Case(name, {"world_size": ws, "n": n, "d_model": d, "data_seed": seed if kind == "random" else 40 + i},
             kind=kind, seed=seed if kind == "random" else None, check=check_tp,
             note=f"{ws} ranks; x ({n}, {d}), hidden {4 * d} ({4 * d // ws} per rank)")
        for i, (name, kind, ws, n, d) in enumerate(spec)
    ]


# ----------------------------------------------------------------------------- grader side


def _gelu(z: Any, kind: str = "erf") -> Any:
    import math

    import numpy as np

    if kind == "tanh":
        return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))
    return 0.5 * z * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))


def mlp_np(full: dict[str, Any], gelu: str = "erf") -> Any:
    """The single-device MLP in float64: gelu(x @ w1 + b1) @ w2 + b2."""
    import numpy as np

    p = {k: np.asarray(v, np.float64) for k, v in full.items()}
    return _gelu(p["x"] @ p["w1"] + p["b1"], gelu) @ p["w2"] + p["b2"]


def slips(full: dict[str, Any], world: int) -> list[tuple[list[Any], str]]:
    """Per-rank outputs of the classic slips, each with the message that names it."""
    import numpy as np

    p = {k: np.asarray(v, np.float64) for k, v in full.items()}
    per = [shards(p, r, world) for r in range(world)]
    pre = [s["x"] @ s["w1_shard"] + s["b1_shard"] for s in per]
    partial = [_gelu(h) @ s["w2_shard"] for h, s in zip(pre, per)]
    want = sum(partial) + p["b2"]
    summed_hidden = sum(pre)
    return [
        ([want + (world - 1) * p["b2"]] * world,
         f"b2 was added on every rank before the all-reduce, so the sum holds it {world} times: add b2 once, after "
         "the all-reduce (or on one rank only before it)"),
        ([sum(_gelu(summed_hidden) @ s["w2_shard"] for s in per) + p["b2"]] * world,
         "the hidden activations were all-reduced before the GELU: with w1 split by columns each rank's hidden "
         "features are already complete, so apply GELU locally and all-reduce only the partial outputs after w2 "
         "(summing different columns mixes unrelated features)"),
        ([_gelu(summed_hidden) @ s["w2_shard"] + p["b2"] for s in per],
         "the hidden activations were all-reduced before the GELU (and the outputs never summed): apply GELU "
         "locally and all-reduce the partial outputs after w2"),
        ([_gelu(sum(h @ s["w2_shard"] for h, s in zip(pre, per))) + p["b2"]] * world,
         "GELU was applied after the all-reduce: it belongs between the two matmuls, on each rank's own hidden "
         "shard, before w2"),
        ([part + p["b2"] for part in partial],
         "the partial outputs were never summed across ranks: after h @ w2_shard call dist.all_reduce(out) "
         "(sum), then add b2"),
        ([want - p["b2"]] * world, "b2 was never added"),
        ([mlp_np(full, "tanh")] * world,
         "the GELU is the tanh approximation: use the exact (erf) GELU, torch.nn.functional.gelu(z) with its default"),
    ]


def check_tp(case: Case, got: Any, expected: Any) -> str | None:
    """Every rank returns the single-device output; the slip named."""
    import numpy as np

    kw = case.kwargs
    world = kw["world_size"]
    full = case_weights(kw)
    want = mlp_np(full)
    results = ranks.per_rank(got)
    outs = []
    for rank, res in enumerate(results):
        if res.get("mutated"):
            return (f"rank {rank}: tp_mlp modified its argument {res['mutated'][0]!r} in place (an in-place "
                    "all_reduce on an input, or +=): reduce a tensor of your own")
        if res.get("problem"):
            return str(res["problem"])
        out = np.asarray(res["out"], dtype=np.float64)
        if out.shape != want.shape:
            return f"rank {rank}: output of shape {out.shape}, expected {want.shape} (N, D): every rank returns the full output"
        outs.append(out)
    bad = [r for r, o in enumerate(outs) if not np.allclose(o, want, rtol=RTOL, atol=ATOL)]
    if not bad:
        return None
    rank = bad[0]
    idx = tuple(int(i) for i in np.argwhere(~np.isclose(outs[rank], want, rtol=RTOL, atol=ATOL))[0])
    msg = (f"rank {rank}: wrong at {list(idx)}: expected {want[idx]:.6g} (the single-device MLP), "
           f"got {outs[rank][idx]:.6g}")
    for variant, why in slips(full, world):
        if all(np.allclose(o, v, rtol=RTOL, atol=ATOL) for o, v in zip(outs, variant)):
            return f"{msg}: {why}"
    return msg


SPEC = ExerciseSpec(
    cases=cases,
    timeout=30,
    rtol=RTOL, atol=ATOL,
    world_size=ranks.case_world_size,
    child="tensor_parallel_mlp",
)
