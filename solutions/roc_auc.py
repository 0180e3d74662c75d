"""Reference: area under the ROC curve via the rank-sum (Mann-Whitney U) statistic."""

import numpy as np


def roc_auc(y_true, scores):
    """Probability that a random positive scores above a random negative; ties count one half."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    if y_true.size == 0:
        raise ValueError("empty input")
    if y_true.shape != scores.shape:
        raise ValueError("y_true and scores have different shapes")
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError("y_true must hold only 0 and 1")
    n_pos = int((y_true == 1).sum())
    n_neg = y_true.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("roc_auc needs both classes in y_true")

    # Average ranks (1-based): tied scores share the mean of the ranks they span, which is
    # exactly what counts each positive/negative tie as one half.
    uniq, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    first_rank = np.cumsum(counts) - counts + 1
    avg_rank = first_rank + (counts - 1) / 2.0
    ranks = avg_rank[inverse]
    u = ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
