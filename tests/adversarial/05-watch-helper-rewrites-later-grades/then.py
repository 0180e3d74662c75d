# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    raise NotImplementedError("the untouched starter")
