# exercise: roc-auc
# Mistake: only strictly greater pairs count; ties should count one half.
import numpy as np


def roc_auc(y_true, scores):
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("need both classes")
    return float((pos[:, None] > neg[None, :]).mean())
