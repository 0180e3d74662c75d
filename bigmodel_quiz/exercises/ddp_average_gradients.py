"""ddp-average-gradients: what DistributedDataParallel does after backward(), by hand."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import ranks
from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.child.ddp_average_gradients import D_IN, HIDDEN, D_OUT, data
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-5, 1e-6
NAMES = ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "unused"]


def cases(seed: int) -> list[Case]:
    """World sizes 2, 3 and 4, shards of one and of several samples, a random one."""
    import random

    r = random.Random(seed)
    spec = [(2, 4, "deterministic"), (3, 5, "deterministic"), (4, 3, "deterministic"), (3, 1, "edge"),
            (r.choice([2, 3, 4]), r.randint(1, 8), "random")]
    return [
        Case(f"world-{ws}-shard-{m}" + ("-random" if kind == "random" else ""),
             {"world_size": ws, "shard": m, "data_seed": seed if kind == "random" else 10 * ws + m},
             kind=kind, seed=seed if kind == "random" else None, check=check_average,
             note=f"{ws} ranks, {m} samples each; MLP {D_IN}→{HIDDEN}→{D_OUT} and one unused parameter")
        for ws, m, kind in spec
    ]


def check_average(case: Case, got: Any, expected_value: Any) -> str | None:
    """Every rank holds the full-batch gradient; unused parameters keep grad None."""
    import numpy as np

    kw = case.kwargs
    layers, x, y = data(kw)
    _, grads = tm.mse_loss_and_grads(layers, x, y, "tanh")
    want = dict(zip(NAMES[:4], [g for pair in grads for g in pair]))
    ws, m = kw["world_size"], kw["shard"]
    own: dict[str, Any] = {}  # what each rank had before averaging: its shard's gradient
    for rank, res in enumerate(ranks.per_rank(got)):
        if res.get("unused") is not None:
            return (f"rank {rank}: parameter 'unused' had no gradient (grad is None) and must keep none: skip parameters "
                    "whose .grad is None")
        for name in NAMES[:4]:
            have = res.get(name)
            if have is None:
                return f"rank {rank}: {name}.grad is None after averaging"
            have = np.asarray(have, dtype=np.float64)
            if np.allclose(have, want[name], rtol=RTOL, atol=ATOL):
                continue
            bad = np.unravel_index(int(np.argmax(np.abs(have - want[name]))), have.shape)
            msg = (f"rank {rank}: {name}.grad wrong at {list(map(int, bad))}: expected {want[name][bad]:.6g}, "
                   f"got {have[bad]:.6g}")
            factor = _factor(have, want[name])
            if factor is not None and np.isclose(factor, ws, rtol=1e-3):
                msg += (f"; the gradient is {ws}× the full-batch mean (world size {ws}): all_reduce sums over ranks — "
                        f"divide by the world size ({ws}) to get the mean")
            elif factor is not None and not np.isclose(factor, 1.0, rtol=1e-3):
                msg += f"; the gradient is {factor:.3g}× the full-batch mean"
            else:
                if not own:
                    rows = slice(rank * m, (rank + 1) * m)
                    own = dict(zip(NAMES[:4], [g for pair in tm.mse_loss_and_grads(layers, x[rows], y[rows], "tanh")[1] for g in pair]))
                if np.allclose(have, own[name], rtol=RTOL, atol=ATOL):
                    msg += "; that is still this rank's own shard gradient: the ranks never exchanged gradients"
            return msg
    return None


def _factor(have: Any, want: Any) -> float | None:
    import numpy as np

    denom = float(want.ravel() @ want.ravel())
    if denom == 0.0:
        return None
    f = float(have.ravel() @ want.ravel()) / denom
    return f if np.allclose(have, f * want, rtol=1e-3, atol=1e-7) else None


SPEC = ExerciseSpec(
    cases=cases,
    timeout=20,
    rtol=RTOL, atol=ATOL,
    world_size=ranks.case_world_size,
    child="ddp_average_gradients",
)
