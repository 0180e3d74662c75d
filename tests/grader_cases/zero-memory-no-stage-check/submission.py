# exercise: zero-memory
# Mistake: any stage above 2 is treated as stage 3 and invalid stages never raise.


def zero_memory_per_gpu(n_params, n_gpus, stage):
    psi, n = float(n_params), n_gpus
    if stage <= 0:
        return 16 * psi
    if stage == 1:
        return 4 * psi + 12 * psi / n
    if stage == 2:
        return 2 * psi + 14 * psi / n
    return 16 * psi / n
