# exercise: precision-recall-f1
# Mistake: no guard for 0/0: with no predicted positives precision becomes NaN.
import numpy as np


def precision_recall_f1(y_true, y_pred, average="binary"):
    if average not in ("binary", "micro", "macro") or len(y_true) == 0:
        raise ValueError("bad input")
    labels = [1] if average == "binary" else np.union1d(y_true, y_pred)
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels], dtype=float)
    pp = np.array([np.sum(y_pred == c) for c in labels], dtype=float)
    ap = np.array([np.sum(y_true == c) for c in labels], dtype=float)
    if average == "micro":
        tp, pp, ap = tp.sum(keepdims=True), pp.sum(keepdims=True), ap.sum(keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p, r = tp / pp, tp / ap
        f1 = 2 * p * r / (p + r)
    return float(p.mean()), float(r.mean()), float(f1.mean())
