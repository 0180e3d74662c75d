# exercise: conv2d
import numpy as np


def conv2d(x, w, b, stride=1, padding=0):
    big = np.ones((1 << 16, 1 << 16))  # 32 GiB: far over the limit
    return big
