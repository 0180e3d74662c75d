# exercise: rnn-forward
# Mistake: stacks the states time-major, (T, N, H), instead of batch-first (N, T, H).
import numpy as np


def rnn_forward(x, h0, w_xh, w_hh, b):
    h = h0
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ w_xh + h @ w_hh + b)
        states.append(h)
    return np.stack(states), h
