# exercise: grpo-loss
# Mistake: the rewards are normalised over the whole batch instead of within each group.
import numpy as np


def grpo_loss(logp_new, logp_old, rewards, group_size, clip_eps=0.2, eps=1e-4):
    if group_size < 1 or len(rewards) % group_size:
        raise ValueError("bad group_size")
    if rewards.max() == rewards.min():
        adv = np.zeros_like(rewards)
    else:
        adv = (rewards - rewards.mean()) / (rewards.std() + eps)
    ratio = np.exp(logp_new - logp_old)
    return float(-np.mean(np.minimum(ratio * adv, np.clip(ratio, 1 - clip_eps, 1 + clip_eps) * adv)))
