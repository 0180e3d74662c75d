# exercise: tensor-parallel-mlp
import torch
import torch.distributed as dist


def tp_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    out = torch.nn.functional.gelu(x @ w1_shard + b1_shard) @ w2_shard
    if dist.get_rank() == 0:  # a collective that only one rank enters never completes
        dist.all_reduce(out)
    return out + b2
