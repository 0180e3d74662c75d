# exercise: logistic-regression
# Mistake: the textbook sigmoid and log(p): exp overflows and log(0) appears at scores of +-1e3.
import numpy as np


def logistic_regression_step(X, y, w, b, lr, l2=0.0):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.5 * l2 * np.dot(w, w)
    grad_w = X.T @ (p - y) / len(y) + l2 * w
    grad_b = np.mean(p - y)
    return w - lr * grad_w, float(b - lr * grad_b), float(loss)
