"""Reference: the roofline lower bound for one decode step of a dense model."""


def decode_step_seconds(n_params, bytes_per_param, batch, mem_bandwidth, peak_flops):
    """max(time to read every weight once, time to do 2 FLOPs per weight per sequence)."""
    if min(n_params, bytes_per_param, batch, mem_bandwidth, peak_flops) <= 0:
        raise ValueError("every argument must be positive")
    memory = n_params * bytes_per_param / mem_bandwidth  # the weights are read once per step, for the whole batch
    compute = 2.0 * n_params * batch / peak_flops  # a multiply and an add per weight per sequence
    return float(max(memory, compute))  # the two overlap: the slower one bounds the step
