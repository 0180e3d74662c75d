# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:])
