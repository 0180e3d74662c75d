"""Reference: precision, recall and F1 with binary, micro and macro averaging."""

import numpy as np


def _ratio(num, den):
    # A 0/0 ratio counts as 0 (scikit-learn's zero_division=0).
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den != 0)


def precision_recall_f1(y_true, y_pred, average="binary"):
    """Return (precision, recall, f1) as floats."""
    if average not in ("binary", "micro", "macro"):
        raise ValueError(f"average must be 'binary', 'micro' or 'macro', got {average!r}")
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.size == 0:
        raise ValueError("empty input")
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred have different shapes")
    labels = np.array([1]) if average == "binary" else np.union1d(y_true, y_pred)

    # Per-label counts: true positives, predicted positives, actual positives.
    is_true = y_true[None, :] == labels[:, None]
    is_pred = y_pred[None, :] == labels[:, None]
    tp = (is_true & is_pred).sum(axis=1).astype(float)
    pred_pos = is_pred.sum(axis=1).astype(float)
    true_pos = is_true.sum(axis=1).astype(float)
    if average == "micro":
        tp, pred_pos, true_pos = tp.sum(keepdims=True), pred_pos.sum(keepdims=True), true_pos.sum(keepdims=True)

    precision = _ratio(tp, pred_pos)
    recall = _ratio(tp, true_pos)
    f1 = _ratio(2 * tp, pred_pos + true_pos)  # = 2PR/(P+R), and 0 where both are 0
    # Macro: each metric is averaged over labels on its own.
    return float(precision.mean()), float(recall.mean()), float(f1.mean())
