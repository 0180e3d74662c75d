# exercise: maxpool2d
# Mistake: always uses non-overlapping windows (stride = kernel_size), ignoring the stride argument.
import numpy as np


def maxpool2d(x, kernel_size, stride=None):
    k = kernel_size
    n, c, h, w = x.shape
    oh, ow = h // k, w // k
    return x[:, :, : oh * k, : ow * k].reshape(n, c, oh, k, ow, k).max(axis=(3, 5))
