"""Child side of ddp-average-gradients: in every rank, backward on its shard, then the submission averages.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm
from bigmodel_quiz.exercises.child import ranks

D_IN, HIDDEN, D_OUT = 6, 8, 2


def data(kwargs: dict[str, Any]) -> tuple[list[tuple[Any, Any]], Any, Any]:
    layers = tm.mlp_init(kwargs["data_seed"], [D_IN, HIDDEN, D_OUT])
    x, y = tm.regression_batch(kwargs["data_seed"], kwargs["world_size"] * kwargs["shard"], D_IN, D_OUT)
    return layers, x, y


def prepare(device: str) -> None:
    """Before the submission is imported: collectives allowed, sends counted."""
    ranks.prepare_ranks(point_to_point_only=False)
    tm.prepare_torch(device)


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """In every rank (gloo on CPU): backward on this rank's shard, then the submission averages."""
    import torch
    from torch import nn

    with ranks.rank_session() as (rank, _):
        layers, x, y = data(kwargs)
        model = nn.Module()
        net = model.net = tm.mlp_module(layers, "tanh", "cpu")
        model.unused = nn.Parameter(torch.zeros(3))  # never in the forward pass: its .grad stays None
        rows = slice(rank * kwargs["shard"], (rank + 1) * kwargs["shard"])
        loss = nn.functional.mse_loss(net(tm.tensor(x[rows], "cpu")), tm.tensor(y[rows], "cpu"))
        loss.backward()
        with ranks.submission_running():
            entry(model)
        return {name: None if p.grad is None else p.grad.detach().numpy().copy() for name, p in model.named_parameters()}
