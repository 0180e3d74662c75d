# exercise: layer-norm-backward
# Mistake: dx = dy * gamma / sigma, as if the mean and the variance did not depend on x.
import numpy as np


def layer_norm_backward(dy, x, gamma, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    std = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) / std
    return dy * gamma / std, (dy * x_hat).sum(axis=0), dy.sum(axis=0)
