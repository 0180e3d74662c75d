# exercise: maxpool2d
# Mistake: the running maximum starts at 0, so all-negative windows come out as 0.
import numpy as np


def maxpool2d(x, kernel_size, stride=None):
    stride = stride or kernel_size
    n, c, h, w = x.shape
    oh, ow = (h - kernel_size) // stride + 1, (w - kernel_size) // stride + 1
    out = np.zeros((n, c, oh, ow))
    for u in range(kernel_size):
        for v in range(kernel_size):
            out = np.maximum(out, x[:, :, u : u + stride * oh : stride, v : v + stride * ow : stride])
    return out
