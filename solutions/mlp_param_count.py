"""Reference solution of `mlp-param-count`: parameters of a fully connected network."""


def count_mlp_params(layer_sizes: list[int], bias: bool = True) -> int:
    """Weights (and biases) of every Linear layer between consecutive widths."""
    if len(layer_sizes) < 2:
        raise ValueError("need at least an input and an output width")
    if any(size < 1 for size in layer_sizes):
        raise ValueError("every layer width must be at least 1")
    total = 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        total += fan_in * fan_out  # the weight matrix
        if bias:
            total += fan_out  # one bias per output unit
    return total
