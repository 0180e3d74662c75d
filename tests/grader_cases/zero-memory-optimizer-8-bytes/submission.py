# exercise: zero-memory
# Mistake: counts Adam's m and v (8 bytes) but forgets the fp32 master weights (K = 12, not 8).


def zero_memory_per_gpu(n_params, n_gpus, stage):
    if stage not in (0, 1, 2, 3):
        raise ValueError("stage must be 0-3")
    w, g, o = 2.0 * n_params, 2.0 * n_params, 8.0 * n_params
    if stage >= 1:
        o /= n_gpus
    if stage >= 2:
        g /= n_gpus
    if stage >= 3:
        w /= n_gpus
    return w + g + o
