# exercise: ridge-regression
# Mistake: plain least squares; the penalty lam is never used.
import numpy as np


def ridge_regression(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    return np.linalg.lstsq(X, y, rcond=None)[0]
