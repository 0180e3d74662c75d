# exercise: lr-schedule
# Mistake: the warm-up counts steps from 1, so step 0 already trains at max_lr/warmup_steps.
import math


def lr_at(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if min(step, max_lr, warmup_steps, total_steps, min_lr) < 0 or warmup_steps > total_steps or min_lr > max_lr:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (max_lr - min_lr) * (1 + math.cos(math.pi * progress))
