# exercise: confusion-matrix
# Mistake: np.zeros defaults to float64, so the counts come back as floats.
import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    for labels in (y_true, y_pred):
        if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError("label out of range")
    cm = np.zeros((num_classes, num_classes))
    np.add.at(cm, (y_true, y_pred), 1)
    return cm
