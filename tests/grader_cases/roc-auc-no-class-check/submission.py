# exercise: roc-auc
# Mistake: no check for an empty input or a single class: 0/0 gives NaN instead of ValueError.
import numpy as np


def roc_auc(y_true, scores):
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.float64(wins) / (len(pos) * len(neg)))
