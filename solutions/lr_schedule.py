"""Reference: linear warm-up, then cosine decay to min_lr, then min_lr."""

import math


def lr_at(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    """The learning rate at ``step`` (0-based) of a warm-up + cosine schedule."""
    if min(step, max_lr, warmup_steps, total_steps, min_lr) < 0:
        raise ValueError("every argument must be non-negative")
    if warmup_steps > total_steps:
        raise ValueError(f"warmup_steps ({warmup_steps}) must not exceed total_steps ({total_steps})")
    if min_lr > max_lr:
        raise ValueError(f"min_lr ({min_lr}) must not exceed max_lr ({max_lr})")
    if step < warmup_steps:
        return max_lr * step / warmup_steps  # step 0 trains at 0, step warmup_steps reaches max_lr
    if step >= total_steps:
        return float(min_lr)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # 0 at the end of warm-up, < 1 here
    return min_lr + 0.5 * (max_lr - min_lr) * (1.0 + math.cos(math.pi * progress))
