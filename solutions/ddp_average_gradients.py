"""Reference solution of ddp-average-gradients."""

import torch
import torch.distributed as dist


def average_gradients(model: torch.nn.Module) -> None:
    """Replace every gradient with its mean over the ranks, as DistributedDataParallel does."""
    world = dist.get_world_size()
    for param in model.parameters():
        if param.grad is None:  # unused or frozen: nothing to average, and no tensor to send
            continue
        dist.all_reduce(param.grad, op=dist.ReduceOp.SUM)
        param.grad /= world  # the sum of per-shard means is world × the full-batch mean
