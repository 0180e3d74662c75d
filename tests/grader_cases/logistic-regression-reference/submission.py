# exercise: logistic-regression
"""Reference: one gradient-descent step of L2-regularised logistic regression, stable at any score."""

import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def logistic_regression_step(X, y, w, b, lr, l2=0.0):
    """(new w, new b, loss before the step): mean BCE + (l2/2)·‖w‖², the bias not decayed."""
    z = X @ w + b
    # −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = log(1 + e^z) − y·z, and logaddexp(0, z) is log(1 + e^z) without overflow
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * np.dot(w, w))
    err = _sigmoid(z) - y  # dloss/dz per example, before the 1/N of the mean
    grad_w = X.T @ err / len(y) + l2 * w
    grad_b = float(np.mean(err))
    return w - lr * grad_w, float(b - lr * grad_b), loss
