"""Reference: confusion matrix with rows = true class, columns = predicted class."""

import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    """Return an integer (num_classes, num_classes) matrix of counts."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred have different shapes")
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(f"{name} has a label outside [0, {num_classes})")
    # Encode each (true, pred) pair as one index and count them all in one pass.
    flat = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)
