# exercise: mlp-param-count
def helper(a, b):
    if a > 0:
        raise RuntimeError("layer too wide")
    return a * b


def count_mlp_params(layer_sizes, bias=True):
    return sum(helper(a, b) for a, b in zip(layer_sizes, layer_sizes[1:]))
