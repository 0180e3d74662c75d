# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("need at least two widths, each >= 1")
    total = 0
    while len(layer_sizes) > 1:  # consumes the caller's list
        a = layer_sizes.pop(0)
        total += a * layer_sizes[0] + (layer_sizes[0] if bias else 0)
    return total
