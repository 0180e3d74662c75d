# exercise: confusion-matrix
# Mistake: cm[y_true, y_pred] += 1 writes each (true, pred) position once, so repeats are lost.
import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    for labels in (y_true, y_pred):
        if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError("label out of range")
    cm = np.zeros((num_classes, num_classes), dtype=int)
    cm[y_true, y_pred] += 1
    return cm
