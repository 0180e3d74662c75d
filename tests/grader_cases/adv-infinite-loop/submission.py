# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    while True:  # forgot to advance the loop
        pass
