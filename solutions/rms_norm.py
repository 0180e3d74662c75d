"""Reference: RMSNorm (Zhang & Sennrich, 2019) over the last axis."""

import numpy as np


def rms_norm(x, weight, eps=1e-6):
    """x / sqrt(mean(x**2) + eps) * weight, the mean over the last axis; no centring, no bias."""
    mean_square = np.mean(x * x, axis=-1, keepdims=True)
    return x / np.sqrt(mean_square + eps) * weight
