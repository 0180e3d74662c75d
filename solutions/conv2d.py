"""Reference: 2-D convolution as deep-learning frameworks define it (cross-correlation)."""

import numpy as np


def conv2d(x, w, b, stride=1, padding=0):
    """x (N,C,H,W), w (F,C,KH,KW), b (F,) -> (N,F,OH,OW), zero padding, no kernel flip."""
    n, c, h, wd = x.shape
    f, c_w, kh, kw = w.shape
    if c != c_w:
        raise ValueError(f"x has {c} channels but w expects {c_w}")
    if stride < 1 or padding < 0:
        raise ValueError("stride must be >= 1 and padding >= 0")
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out_h = (h + 2 * padding - kh) // stride + 1
    out_w = (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, out_h, out_w), dtype=np.result_type(x, w, b))
    # One matrix product per kernel offset: the loops run KH*KW times, not once per pixel.
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i : i + stride * out_h : stride, j : j + stride * out_w : stride]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
    return out + b[None, :, None, None]
