# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    answer = input("how many? ")  # there is no one to answer
    return int(answer)
