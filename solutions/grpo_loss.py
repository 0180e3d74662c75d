"""Reference: the GRPO clipped surrogate loss with group-normalised advantages."""

import numpy as np


def grpo_loss(logp_new, logp_old, rewards, group_size, clip_eps=0.2, eps=1e-4):
    """−mean(min(ratio·A, clip(ratio, 1 ± clip_eps)·A)), A normalised within each group."""
    if group_size < 1:
        raise ValueError(f"group_size must be >= 1, got {group_size}")
    if len(rewards) % group_size:
        raise ValueError(f"{len(rewards)} sequences do not split into groups of {group_size}")
    groups = rewards.reshape(-1, group_size)
    mean = groups.mean(axis=1, keepdims=True)
    std = groups.std(axis=1, keepdims=True)  # population std (ddof 0)
    adv = (groups - mean) / (std + eps)
    # A group whose rewards are all equal carries no signal: exactly 0, not rounding noise / eps.
    adv = np.where(groups.max(axis=1, keepdims=True) == groups.min(axis=1, keepdims=True), 0.0, adv).ravel()
    ratio = np.exp(logp_new - logp_old)
    surrogate = np.minimum(ratio * adv, np.clip(ratio, 1 - clip_eps, 1 + clip_eps) * adv)
    return float(-surrogate.mean()) + 0.0  # +0.0: no "-0.0" when every advantage is 0
