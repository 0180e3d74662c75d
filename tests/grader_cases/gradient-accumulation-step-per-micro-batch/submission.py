# exercise: gradient-accumulation
from torch import nn


def accumulated_step(model, optimizer, micro_batches):
    k = len(micro_batches)
    total = 0.0
    for x, y in micro_batches:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y) / k
        loss.backward()
        optimizer.step()  # one step per micro-batch instead of one in all
        total += loss.item()
    return total
