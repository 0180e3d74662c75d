# exercise: swiglu-mlp
# Mistake: silu(z) = z / (1 + exp(-z)): right values, but exp(-z) overflows for z around -1000.
import numpy as np


def swiglu_mlp(x, w_gate, w_up, w_down):
    gate = x @ w_gate
    return (gate / (1.0 + np.exp(-gate)) * (x @ w_up)) @ w_down
