# exercise: tensor-parallel-mlp
"""Reference: the Megatron-LM tensor-parallel MLP (column-parallel w1, row-parallel w2, one all-reduce)."""

import torch
import torch.distributed as dist


def tp_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    """x (N,D); this rank's w1 columns (D,F/world) and b1 slice; its w2 rows (F/world,D); b2 (D,)."""
    # Column-parallel: this rank's hidden features are complete, so GELU applies locally.
    hidden = torch.nn.functional.gelu(x @ w1_shard + b1_shard)
    # Row-parallel: each rank holds a partial sum of the output; one all-reduce completes it.
    out = hidden @ w2_shard
    dist.all_reduce(out, op=dist.ReduceOp.SUM)
    return out + b2  # once, after the sum: added on every rank before it, b2 would count world times
