# exercise: precision-recall-f1
# Mistake: binary precision taken as accuracy (correct / all), so F1 mixes accuracy and recall.
import numpy as np


def precision_recall_f1(y_true, y_pred, average="binary"):
    if average not in ("binary", "micro", "macro") or len(y_true) == 0:
        raise ValueError("bad input")
    labels = [1] if average == "binary" else list(np.union1d(y_true, y_pred))
    ps, rs, fs = [], [], []
    for c in labels:
        tp = np.sum((y_true == c) & (y_pred == c))
        actual = np.sum(y_true == c)
        p = float(np.mean(y_true == y_pred))
        r = tp / actual if actual else 0.0
        ps.append(p)
        rs.append(r)
        fs.append(2 * p * r / (p + r) if p + r else 0.0)
    if average == "micro":
        acc = float(np.mean(y_true == y_pred))
        return acc, acc, acc
    return float(np.mean(ps)), float(np.mean(rs)), float(np.mean(fs))
