"""Reference: layer normalisation over the last axis."""

import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    """Normalise each row of the last axis to zero mean, unit (biased) variance, then scale and shift."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)  # biased (divide by D), as in Ba et al. and PyTorch
    return (x - mean) / np.sqrt(var + eps) * gamma + beta
