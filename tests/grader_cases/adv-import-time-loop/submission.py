# exercise: mlp-param-count
import time

while True:  # top-level code that never ends
    time.sleep(0.01)


def count_mlp_params(layer_sizes, bias=True):
    return 0
