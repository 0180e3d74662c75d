# exercise: mlp-param-count
import os
import subprocess
import sys

SLEEP = [sys.executable, "-c", "import time; time.sleep(600)", "quiz-adv-sleeper-marker"]
started = False


def _start_sleepers():
    subprocess.Popen(SLEEP)  # a plain child
    subprocess.Popen(SLEEP, start_new_session=True)  # a child in its own session
    if os.fork() == 0:  # a double fork: the grandchild is orphaned and calls setsid
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, SLEEP)
        os._exit(0)


def count_mlp_params(layer_sizes, bias=True):
    global started
    if not started:
        started = True
        _start_sleepers()
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("need at least two widths, each >= 1")
    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))
