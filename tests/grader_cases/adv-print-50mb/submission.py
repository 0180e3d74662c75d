# exercise: mlp-param-count
printed = False


def count_mlp_params(layer_sizes, bias=True):
    global printed
    if not printed:
        printed = True
        print("x" * (50 * 1024 * 1024))  # 50 MB of debugging output
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError("need at least two widths, each >= 1")
    return sum(a * b + (b if bias else 0) for a, b in zip(layer_sizes, layer_sizes[1:]))
