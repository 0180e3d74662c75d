# exercise: rms-norm
# Mistake: centres each row first, which turns RMSNorm into LayerNorm (without a bias).
import numpy as np


def rms_norm(x, weight, eps=1e-6):
    centred = x - x.mean(axis=-1, keepdims=True)
    return centred / np.sqrt(np.mean(centred**2, axis=-1, keepdims=True) + eps) * weight
