# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("bad sizes")
    return (a * b + b for a, b in zip(layer_sizes, layer_sizes[1:]))  # forgot sum()
