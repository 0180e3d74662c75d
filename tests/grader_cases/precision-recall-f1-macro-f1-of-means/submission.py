# exercise: precision-recall-f1
# Mistake: macro F1 computed as the F1 of macro precision and macro recall.
import numpy as np


def precision_recall_f1(y_true, y_pred, average="binary"):
    if average not in ("binary", "micro", "macro") or len(y_true) == 0:
        raise ValueError("bad input")

    def div(a, b):
        return a / b if b else 0.0

    def counts(label):
        tp = np.sum((y_true == label) & (y_pred == label))
        return tp, np.sum(y_pred == label), np.sum(y_true == label)

    if average == "binary":
        labels = [1]
    else:
        labels = np.union1d(y_true, y_pred)
    stats = [counts(label) for label in labels]
    if average == "micro":
        stats = [tuple(map(sum, zip(*stats)))]
    p = np.mean([div(tp, pp) for tp, pp, _ in stats])
    r = np.mean([div(tp, ap) for tp, _, ap in stats])
    return float(p), float(r), float(div(2 * p * r, p + r))
