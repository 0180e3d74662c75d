# exercise: lr-schedule
# Mistake: the decay divides by one step fewer, so min_lr is reached at step total_steps - 1.
import math


def lr_at(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if min(step, max_lr, warmup_steps, total_steps, min_lr) < 0 or warmup_steps > total_steps or min_lr > max_lr:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    decay_steps = max(total_steps - warmup_steps - 1, 1)
    progress = min(1.0, (step - warmup_steps) / decay_steps)
    return min_lr + 0.5 * (max_lr - min_lr) * (1 + math.cos(math.pi * progress))
