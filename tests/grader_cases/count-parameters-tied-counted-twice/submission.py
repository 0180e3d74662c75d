# exercise: count-parameters
import torch


def count_parameters(model: torch.nn.Module, trainable_only: bool = False) -> int:
    # Walks every module's own parameters: a weight shared by two modules is seen twice.
    total = 0
    for module in model.modules():
        for p in module.parameters(recurse=False):
            if p.requires_grad or not trainable_only:
                total += p.numel()
    return total
