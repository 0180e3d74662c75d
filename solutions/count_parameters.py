"""Reference solution of count-parameters."""

import torch


def count_parameters(model: torch.nn.Module, trainable_only: bool = False) -> int:
    """Number of parameter elements; a tensor shared by two modules counts once."""
    # model.parameters() already yields each Parameter object once, even when two
    # modules hold it (tied embeddings) or a module is used twice.
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
