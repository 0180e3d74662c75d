# exercise: grpo-loss
# Mistake: the sample standard deviation (ddof=1), as torch's .std() computes by default.
import numpy as np


def grpo_loss(logp_new, logp_old, rewards, group_size, clip_eps=0.2, eps=1e-4):
    if group_size < 1 or len(rewards) % group_size:
        raise ValueError("bad group_size")
    g = rewards.reshape(-1, group_size)
    flat = g.max(axis=1, keepdims=True) == g.min(axis=1, keepdims=True)
    std = g.std(axis=1, ddof=1, keepdims=True) if group_size > 1 else np.zeros_like(g)
    adv = np.where(flat, 0.0, (g - g.mean(axis=1, keepdims=True)) / (std + eps)).ravel()
    ratio = np.exp(logp_new - logp_old)
    return float(-np.mean(np.minimum(ratio * adv, np.clip(ratio, 1 - clip_eps, 1 + clip_eps) * adv)))
