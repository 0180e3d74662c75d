# exercise: mlp-param-count
import no_such_module_xyz


def count_mlp_params(layer_sizes, bias=True):
    return no_such_module_xyz.count(layer_sizes)
