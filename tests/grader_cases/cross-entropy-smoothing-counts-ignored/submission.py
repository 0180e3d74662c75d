# exercise: cross-entropy-smoothing
# Mistake: the ignored rows are masked in the target term but still enter the smoothing term.
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    n, c = logits.shape
    if not 0 <= label_smoothing <= 1:
        raise ValueError("label_smoothing must be in [0, 1]")
    keep = targets != ignore_index
    if not keep.any():
        raise ValueError("every target is ignored")
    if np.any((targets[keep] < 0) | (targets[keep] >= c)):
        raise ValueError("target out of range")
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    nll = -logp[np.arange(n), np.where(keep, targets, 0)]
    nll_mean = (nll * keep).sum() / keep.sum()
    smooth_mean = -logp.sum(axis=1).sum() / keep.sum()
    return float((1 - label_smoothing) * nll_mean + label_smoothing / c * smooth_mean)
