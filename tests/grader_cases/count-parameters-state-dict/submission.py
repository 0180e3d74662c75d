# exercise: count-parameters
import torch


def count_parameters(model: torch.nn.Module, trainable_only: bool = False) -> int:
    # state_dict() holds buffers too, and a tied weight under both of its names.
    return sum(t.numel() for t in model.state_dict().values())
