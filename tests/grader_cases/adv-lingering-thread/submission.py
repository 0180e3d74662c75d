# exercise: mlp-param-count
import threading
import time

# A non-daemon thread that never ends must not keep the grade waiting.
threading.Thread(target=lambda: time.sleep(600)).start()


def count_mlp_params(layer_sizes, bias=True):
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("need at least two widths, each >= 1")
    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))
