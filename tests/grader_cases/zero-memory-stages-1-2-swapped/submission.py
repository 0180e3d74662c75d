# exercise: zero-memory
# Mistake: stage 1 also partitions the gradients (that is stage 2), and stage 2 only the optimizer.


def zero_memory_per_gpu(n_params, n_gpus, stage):
    psi, n = float(n_params), n_gpus
    if stage == 0:
        return 16 * psi
    if stage == 1:
        return 2 * psi + 14 * psi / n
    if stage == 2:
        return 4 * psi + 12 * psi / n
    if stage == 3:
        return 16 * psi / n
    raise ValueError("stage must be 0-3")
