# exercise: maxpool2d
# Mistake: keeps the partial windows at the border (ceil mode) instead of dropping them.
import math

import numpy as np


def maxpool2d(x, kernel_size, stride=None):
    stride = stride or kernel_size
    n, c, h, w = x.shape
    oh = math.ceil((h - kernel_size) / stride) + 1
    ow = math.ceil((w - kernel_size) / stride) + 1
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = x[:, :, i * stride : i * stride + kernel_size, j * stride : j * stride + kernel_size]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out
