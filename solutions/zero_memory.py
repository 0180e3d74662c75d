"""Reference: model-state memory per GPU under ZeRO stages 0-3 (Rajbhandari et al., 2020)."""


def zero_memory_per_gpu(n_params: int, n_gpus: int, stage: int) -> float:
    """Bytes of fp16 weights, fp16 gradients and fp32 Adam states held by one GPU."""
    if stage not in (0, 1, 2, 3):
        raise ValueError(f"stage must be 0, 1, 2 or 3, got {stage}")
    if n_gpus < 1:
        raise ValueError(f"n_gpus must be >= 1, got {n_gpus}")
    psi, n = float(n_params), n_gpus
    weights, grads, optimizer = 2 * psi, 2 * psi, 12 * psi  # K = 12: fp32 copy, m and v
    if stage >= 1:
        optimizer /= n
    if stage >= 2:
        grads /= n
    if stage >= 3:
        weights /= n
    return weights + grads + optimizer
