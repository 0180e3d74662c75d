# exercise: kmeans
# Mistake: the new centroids are built from the non-empty clusters only, so an empty cluster disappears.
import numpy as np


def kmeans(x, init_centroids, n_iter):
    if n_iter < 1:
        raise ValueError("n_iter must be at least 1")
    c = np.array(init_centroids, dtype=float)
    labels = None
    for _ in range(n_iter):
        new = ((x[:, None, :] - c[None]) ** 2).sum(-1).argmin(1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        c = np.array([x[labels == j].mean(0) for j in range(len(c)) if np.any(labels == j)])
    return c, labels
