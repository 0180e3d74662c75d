# exercise: mlp-param-count
def count_params(layer_sizes, bias=True):  # the wrong name
    return 0
