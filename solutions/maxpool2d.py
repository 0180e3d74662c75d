"""Reference: 2-D max pooling without padding."""

import numpy as np


def maxpool2d(x, kernel_size, stride=None):
    """x (N,C,H,W) -> (N,C,OH,OW); stride defaults to kernel_size; partial windows are dropped."""
    if stride is None:
        stride = kernel_size
    if kernel_size < 1 or stride < 1:
        raise ValueError("kernel_size and stride must be >= 1")
    n, c, h, w = x.shape
    out_h = (h - kernel_size) // stride + 1
    out_w = (w - kernel_size) // stride + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(f"kernel_size {kernel_size} is larger than the input ({h}x{w})")
    out = np.full((n, c, out_h, out_w), -np.inf, dtype=x.dtype)
    for i in range(kernel_size):
        for j in range(kernel_size):
            window = x[:, :, i : i + stride * out_h : stride, j : j + stride * out_w : stride]
            np.maximum(out, window, out=out)
    return out
