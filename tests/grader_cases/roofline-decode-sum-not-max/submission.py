# exercise: roofline-decode
# Mistake: the memory and compute times are added instead of overlapping (max).


def decode_step_seconds(n_params, bytes_per_param, batch, mem_bandwidth, peak_flops):
    if min(n_params, bytes_per_param, batch, mem_bandwidth, peak_flops) <= 0:
        raise ValueError("arguments must be positive")
    memory = n_params * bytes_per_param / mem_bandwidth
    compute = 2 * n_params * batch / peak_flops
    return memory + compute
