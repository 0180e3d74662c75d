"""Reference solution of gradient-accumulation."""

import torch
from torch import nn


def accumulated_step(model: nn.Module, optimizer: torch.optim.Optimizer,
                     micro_batches: list[tuple[torch.Tensor, torch.Tensor]]) -> float:
    """One optimizer step equal to a step on the concatenated batch; returns its mean loss."""
    optimizer.zero_grad()  # start from clean gradients: backward() adds into .grad
    k = len(micro_batches)
    total = 0.0
    for x, y in micro_batches:
        # equal-size micro-batches: the full batch's mean loss is the mean of their means,
        # so each backward gets 1/k of its micro-batch's loss
        loss = nn.functional.mse_loss(model(x), y) / k
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total
