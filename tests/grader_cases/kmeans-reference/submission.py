# exercise: kmeans
"""Reference: Lloyd's k-means from given centroids; an empty cluster keeps its centroid."""

import numpy as np


def kmeans(x, init_centroids, n_iter):
    """(centroids (K,D) after the last move, labels (N,) of the last assignment)."""
    if n_iter < 1:
        raise ValueError(f"n_iter must be at least 1, got {n_iter}")
    centroids = np.array(init_centroids, dtype=np.float64)  # a copy: the input stays untouched
    previous = None
    for _ in range(n_iter):
        dist = ((x[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1)  # (N, K) squared distances
        labels = dist.argmin(axis=1)  # the first minimum: ties go to the lower index
        if previous is not None and np.array_equal(labels, previous):
            break  # converged: moving again would give the same centroids
        for j in range(len(centroids)):
            members = x[labels == j]
            if len(members):  # an empty cluster keeps its centroid (and its index)
                centroids[j] = members.mean(axis=0)
        previous = labels
    return centroids, labels
