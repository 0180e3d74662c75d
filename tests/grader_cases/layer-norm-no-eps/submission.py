# exercise: layer-norm
# Mistake: no eps at all, so a constant row divides 0 by 0.
import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var) * gamma + beta
