# exercise: gradient-accumulation
from torch import nn


def accumulated_step(model, optimizer, micro_batches):
    optimizer.zero_grad()
    total = 0.0
    for x, y in micro_batches:
        loss = nn.functional.mse_loss(model(x), y)  # not divided by the number of micro-batches
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total / len(micro_batches)
