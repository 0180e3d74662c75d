"""Reference: cross-entropy with label smoothing and ignored targets, as torch computes it."""

import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    """Mean over the kept targets of (1−ε)·(−log p_y) + (ε/C)·Σ_c(−log p_c)."""
    n, c = logits.shape
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    keep = targets != ignore_index
    if not keep.any():
        raise ValueError("every target is ignored: the mean is undefined")
    kept = targets[keep]
    if ((kept < 0) | (kept >= c)).any():
        raise ValueError(f"targets must be in [0, {c}) or equal ignore_index={ignore_index}")
    z = logits[keep]
    logp = z - z.max(axis=1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))  # stable log-softmax
    nll = -logp[np.arange(len(kept)), kept]
    uniform = -logp.sum(axis=1)  # the ignored rows never enter either term
    return float(((1 - label_smoothing) * nll + label_smoothing / c * uniform).mean())
