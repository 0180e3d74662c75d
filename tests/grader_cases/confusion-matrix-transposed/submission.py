# exercise: confusion-matrix
# Mistake: rows = predicted class and columns = true class (the transpose of the convention).
import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    for labels in (y_true, y_pred):
        if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError("label out of range")
    cm = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(cm, (y_pred, y_true), 1)
    return cm
