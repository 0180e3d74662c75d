# exercise: confusion-matrix
# Mistake: no range check; an out-of-range label raises IndexError (or wraps around) instead of ValueError.
import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    cm = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm
