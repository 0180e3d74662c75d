# exercise: tensor-parallel-mlp
import torch
import torch.distributed as dist


def tp_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    out = torch.nn.functional.gelu(x @ w1_shard + b1_shard) @ w2_shard + b2  # every rank adds the bias
    dist.all_reduce(out)
    return out
