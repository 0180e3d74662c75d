# exercise: swiglu-mlp
# Mistake: the activation is applied to the up projection instead of the gate.
import numpy as np


def swiglu_mlp(x, w_gate, w_up, w_down):
    up = x @ w_up
    e = np.exp(-np.abs(up))
    silu_up = up * np.where(up >= 0, 1 / (1 + e), e / (1 + e))
    return (silu_up * (x @ w_gate)) @ w_down
