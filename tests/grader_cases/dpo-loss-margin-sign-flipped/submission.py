# exercise: dpo-loss
# Mistake: the margin is rejected minus chosen.
import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    chosen = beta * (policy_chosen - ref_chosen)
    rejected = beta * (policy_rejected - ref_rejected)
    return float(np.mean(np.logaddexp(0.0, chosen - rejected))), chosen, rejected
