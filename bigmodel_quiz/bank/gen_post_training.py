"""Answer generators of the post-training bank's parametric templates (registered on import)."""

from __future__ import annotations

import math

from bigmodel_quiz.bank.generators import generator

LOGPROB = (None, 0)  # a sequence log-probability is never positive


def _neg_log_sigmoid(x: float) -> float:
    """−log σ(x) = log(1 + e^(−x)), computed without overflow for large |x|."""
    if x >= 0:
        return math.log1p(math.exp(-x))
    return -x + math.log1p(math.exp(x))


@generator("dpo_loss", extras=("reward_chosen", "reward_rejected", "margin"),
           beta=(0, None), policy_chosen=LOGPROB, ref_chosen=LOGPROB,
           policy_rejected=LOGPROB, ref_rejected=LOGPROB)
def dpo_loss(beta: float, policy_chosen: float, ref_chosen: float, policy_rejected: float,
             ref_rejected: float) -> tuple[float, dict]:
    """DPO loss of one pair (Rafailov et al. 2023, Eq. 7): −log σ(r̂_w − r̂_l), r̂ = β·log π_θ/π_ref."""
    reward_chosen = beta * (policy_chosen - ref_chosen)
    reward_rejected = beta * (policy_rejected - ref_rejected)
    margin = reward_chosen - reward_rejected
    return _neg_log_sigmoid(margin), {"reward_chosen": reward_chosen, "reward_rejected": reward_rejected,
                                      "margin": margin}


@generator("grpo_advantage", extras=("mean", "std", "wrong_advantage"), group_size=(2, None), n_correct=(1, None))
def grpo_advantage(group_size: int, n_correct: int) -> tuple[float, dict]:
    """GRPO outcome advantage (Shao et al. 2024, §4.1.2) of a correct sample, rewards 1/0.

    Â = (r − mean) / std over the group, with the population standard deviation. A group
    whose samples all score the same has no advantage at all, so it is refused.
    """
    if not 1 <= n_correct < group_size:
        raise ValueError(f"need 1 <= n_correct < group_size, got {n_correct} of {group_size}")
    p = n_correct / group_size
    std = math.sqrt(p * (1 - p))  # population std of a 0/1 vector with mean p
    return (1 - p) / std, {"mean": p, "std": std, "wrong_advantage": -p / std}


@generator("bon_kl_nats", extras=("log_n",), n=(1, None))
def bon_kl_nats(n: int) -> tuple[float, dict]:
    """KL(best-of-n ‖ base policy) = log n − (n − 1)/n nats (Stiennon et al. 2020, App. G.3)."""
    log_n = math.log(n)
    return log_n - (n - 1) / n, {"log_n": log_n}


@generator("ppo_clip_objective", extras=("unclipped", "clipped", "clipped_ratio"),
           ratio=(0, None), advantage=(None, None), eps=(0, 1))
def ppo_clip_objective(ratio: float, advantage: float, eps: float) -> tuple[float, dict]:
    """PPO's clipped surrogate of one token (Schulman et al. 2017, Eq. 7): min(ρA, clip(ρ, 1−ε, 1+ε)A)."""
    clipped_ratio = min(max(ratio, 1 - eps), 1 + eps)
    unclipped = ratio * advantage
    clipped = clipped_ratio * advantage
    return min(unclipped, clipped), {"unclipped": unclipped, "clipped": clipped, "clipped_ratio": clipped_ratio}
