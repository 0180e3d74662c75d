# exercise: ridge-regression
# Mistake: adds a column of ones (an intercept) that the statement does not ask for.
import numpy as np


def ridge_regression(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    X1 = np.column_stack([np.ones(len(X)), X])
    return np.linalg.solve(X1.T @ X1 + lam * np.eye(X1.shape[1]), X1.T @ y)
