# exercise: roc-auc
# Mistake: the rank-sum formula with ordinal ranks from argsort: tied scores get different ranks,
# so the answer depends on how the sort happens to order them.
import numpy as np


def roc_auc(y_true, scores):
    n_pos = int(np.sum(y_true == 1))
    n_neg = len(y_true) - n_pos
    if len(y_true) == 0 or n_pos == 0 or n_neg == 0:
        raise ValueError("need both classes")
    ranks = np.empty(len(scores))
    ranks[np.argsort(scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return float((ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
