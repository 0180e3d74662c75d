# exercise: mlp-param-count
import sys


def count_mlp_params(layer_sizes, bias=True):
    sys.exit(4)
