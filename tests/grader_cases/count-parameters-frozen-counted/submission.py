# exercise: count-parameters
import torch


def count_parameters(model: torch.nn.Module, trainable_only: bool = False) -> int:
    # Forgets to honour trainable_only.
    return sum(p.numel() for p in model.parameters())
