"""Reference: ridge regression (L2-regularised least squares) without an intercept."""

import numpy as np


def ridge_regression(X, y, lam):
    """Return w minimising ||y - X w||^2 + lam ||w||^2."""
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    # Through the SVD X = U S V^T: w = V diag(s / (s^2 + lam)) U^T y. This never forms X^T X,
    # whose condition number is the square of X's, so ill-conditioned X stays accurate.
    u, s, vt = np.linalg.svd(X, full_matrices=False)
    return vt.T @ (s / (s**2 + lam) * (u.T @ y))
