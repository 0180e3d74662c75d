# exercise: ridge-regression
# Mistake: a negative lam is not rejected.
import numpy as np


def ridge_regression(X, y, lam):
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)
