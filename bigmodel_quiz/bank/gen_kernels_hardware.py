"""Answer generators of the kernels-and-hardware bank's parametric templates (registered on import)."""

from __future__ import annotations

from bigmodel_quiz.bank.generators import POS, generator


def _matmul_flops_bytes(m: int, k: int, n: int, bytes_per_el: float) -> tuple[float, float]:
    """FLOPs (2·M·K·N: one multiply and one add per term) and the bytes of reading A, B and writing C once."""
    return 2.0 * m * k * n, bytes_per_el * (m * k + k * n + m * n)


@generator("matmul_intensity", extras=("flops", "bytes", "ridge"),
           m=POS, k=POS, n=POS, bytes_per_el=(0, None), peak_tflops=(0, None), bandwidth_gbs=(0, None))
def matmul_intensity(m: int, k: int, n: int, bytes_per_el: float, peak_tflops: float,
                     bandwidth_gbs: float) -> tuple[float, dict]:
    """Arithmetic intensity of an (M,K)×(K,N) matmul in FLOPs per byte of off-chip traffic (roofline x-axis)."""
    flops, nbytes = _matmul_flops_bytes(m, k, n, bytes_per_el)
    ridge = peak_tflops * 1e12 / (bandwidth_gbs * 1e9)
    return flops / nbytes, {"flops": flops, "bytes": nbytes, "ridge": ridge}


@generator("matmul_roofline_ms", extras=("flops", "bytes", "compute_ms", "memory_ms", "intensity", "ridge"),
           m=POS, k=POS, n=POS, bytes_per_el=(0, None), peak_tflops=(0, None), bandwidth_gbs=(0, None))
def matmul_roofline_ms(m: int, k: int, n: int, bytes_per_el: float, peak_tflops: float,
                       bandwidth_gbs: float) -> tuple[float, dict]:
    """Roofline lower bound on a matmul's time: max(FLOPs / peak, bytes / bandwidth), in ms (Williams et al. 2009)."""
    flops, nbytes = _matmul_flops_bytes(m, k, n, bytes_per_el)
    compute = flops / (peak_tflops * 1e12)
    memory = nbytes / (bandwidth_gbs * 1e9)
    return 1e3 * max(compute, memory), {
        "flops": flops, "bytes": nbytes, "compute_ms": 1e3 * compute, "memory_ms": 1e3 * memory,
        "intensity": flops / nbytes, "ridge": peak_tflops * 1e12 / (bandwidth_gbs * 1e9)}


@generator("mfu_pct", extras=("flops_per_token", "achieved_tflops_per_gpu", "cluster_tokens_per_s"),
           params_b=(0, None), tokens_per_gpu_s=(0, None), n_gpus=POS, peak_tflops=(0, None))
def mfu_pct(params_b: float, tokens_per_gpu_s: float, n_gpus: int, peak_tflops: float) -> tuple[float, dict]:
    """Model FLOPs utilisation with 6N training FLOPs per token (attention FLOPs left out), in percent.

    The throughput is given per GPU so that every combination of parameters stays physical; the
    cluster-wide figure shown to the user is derived from it.
    """
    per_token = 6 * params_b * 1e9
    achieved = per_token * tokens_per_gpu_s
    return 100 * achieved / (peak_tflops * 1e12), {"flops_per_token": per_token,
                                                    "achieved_tflops_per_gpu": achieved / 1e12,
                                                    "cluster_tokens_per_s": tokens_per_gpu_s * n_gpus}
