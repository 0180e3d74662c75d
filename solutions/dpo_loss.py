"""Reference: the Direct Preference Optimization loss on sequence log-probabilities."""

import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    """(mean −log σ(chosen reward − rejected reward), chosen rewards, rejected rewards)."""
    chosen = beta * (policy_chosen - ref_chosen)  # implicit rewards β·log(π/π_ref)
    rejected = beta * (policy_rejected - ref_rejected)
    margin = chosen - rejected
    # −log σ(z) = log(1 + e^(−z)), computed without overflow for |z| in the thousands.
    losses = np.logaddexp(0.0, -margin)
    return float(losses.mean()), chosen, rejected
