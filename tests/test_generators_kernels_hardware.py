"""The kernels-and-hardware bank's generators, each checked against an independent computation.

Matmul FLOPs are counted by a brute-force loop over the multiply-adds and by torch's own FLOP
counter; bytes come from the ``nbytes`` of real tensors. The 6N-per-token rule behind MFU is checked
by counting the forward and backward FLOPs of a bias-free linear stack with torch's FLOP counter.
"""

from __future__ import annotations

import itertools
import math

import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

try:
    import torch
    from torch.utils.flop_counter import FlopCounterMode
except ImportError:  # pragma: no cover - exercised only without torch
    torch = None

NO_TORCH = "PyTorch is not installed: this check compares against torch tensors and its FLOP counter"

SAMPLE = {
    "matmul_intensity": dict(m=1, k=8192, n=8192, bytes_per_el=2, peak_tflops=989, bandwidth_gbs=3350),
    "matmul_roofline_ms": dict(m=4096, k=4096, n=4096, bytes_per_el=2, peak_tflops=989, bandwidth_gbs=3350),
    "mfu_pct": dict(params_b=70, tokens_per_gpu_s=600, n_gpus=2048, peak_tflops=989),
}

test_every_kernels_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_kernels_hardware", SAMPLE)


# --- Matmul FLOPs and bytes -------------------------------------------------------------------


def _brute_force_flops(m: int, k: int, n: int) -> int:
    """Walk the triple loop of C = A·B and count one multiply and one add per term."""
    flops = 0
    for _i, _j in itertools.product(range(m), range(n)):
        for _p in range(k):
            flops += 2  # c[i, j] += a[i, p] * b[p, j]
    return flops


@pytest.mark.parametrize("m,k,n", [(1, 7, 5), (3, 4, 6), (8, 8, 8), (5, 16, 2)])
def test_matmul_flops_match_a_brute_force_count(m: int, k: int, n: int) -> None:
    _, extra = run("matmul_intensity", m=m, k=k, n=n, bytes_per_el=2, peak_tflops=989, bandwidth_gbs=3350)
    assert extra["flops"] == _brute_force_flops(m, k, n)


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float8_e4m3fn"])
@pytest.mark.parametrize("m,k,n", [(1, 64, 96), (32, 128, 64), (128, 256, 512)])
def test_matmul_intensity_matches_torch_flops_and_tensor_bytes(m: int, k: int, n: int, dtype: str) -> None:
    dt = getattr(torch, dtype)
    a, b = torch.zeros(m, k, dtype=dt), torch.zeros(k, n, dtype=dt)
    c = torch.zeros(m, n, dtype=dt)  # the output written back
    nbytes = a.nbytes + b.nbytes + c.nbytes
    with FlopCounterMode(display=False) as counter:
        torch.mm(a.float(), b.float())
    flops = counter.get_total_flops()
    got, extra = run("matmul_intensity", m=m, k=k, n=n, bytes_per_el=a.element_size(), peak_tflops=989,
                     bandwidth_gbs=3350)
    assert extra["flops"] == flops and extra["bytes"] == nbytes
    assert got == pytest.approx(flops / nbytes, rel=1e-12)


def test_ridge_point_is_peak_over_bandwidth() -> None:
    _, extra = run("matmul_intensity", **SAMPLE["matmul_intensity"])
    assert extra["ridge"] == pytest.approx(989e12 / 3350e9, rel=1e-12)  # ≈ 295 FLOPs per byte


# --- Roofline time ----------------------------------------------------------------------------


@pytest.mark.parametrize("m", [1, 16, 128, 296, 1024, 16384])
@pytest.mark.parametrize("peak,bw", [(312, 2039), (989, 3350)])
def test_roofline_time_is_the_binding_roof(m: int, peak: float, bw: float) -> None:
    k, n = 8192, 8192
    ms, extra = run("matmul_roofline_ms", m=m, k=k, n=n, bytes_per_el=2, peak_tflops=peak, bandwidth_gbs=bw)
    compute_s = _brute_force_flops(1, 1, 1) * m * k * n / (peak * 1e12)
    memory_s = 2 * (m * k + k * n + m * n) / (bw * 1e9)
    assert ms == pytest.approx(1e3 * max(compute_s, memory_s), rel=1e-12)
    # Below the ridge the memory roof binds, above it the compute roof (Williams et al. 2009).
    if extra["intensity"] < extra["ridge"]:
        assert ms == pytest.approx(extra["memory_ms"])
    else:
        assert ms == pytest.approx(extra["compute_ms"])


def test_batch_one_decode_is_memory_bound_and_large_gemm_compute_bound() -> None:
    _, small = run("matmul_roofline_ms", m=1, k=8192, n=8192, bytes_per_el=2, peak_tflops=989, bandwidth_gbs=3350)
    _, big = run("matmul_roofline_ms", m=8192, k=8192, n=8192, bytes_per_el=2, peak_tflops=989, bandwidth_gbs=3350)
    assert small["memory_ms"] > 100 * small["compute_ms"]
    assert big["compute_ms"] > big["memory_ms"]


# --- MFU and the 6N rule ----------------------------------------------------------------------


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize("widths,tokens", [((64, 128, 64), 32), ((96, 96, 96, 48), 17), ((128, 512, 128), 8)])
def test_six_n_flops_per_token_matches_torch_forward_and_backward(widths: tuple[int, ...], tokens: int) -> None:
    torch.manual_seed(0)
    layers = [torch.nn.Linear(a, b, bias=False) for a, b in zip(widths, widths[1:])]
    model = torch.nn.Sequential(*layers)
    n_params = sum(p.numel() for p in model.parameters())
    x = torch.randn(tokens, widths[0], requires_grad=True)  # gradients flow to the input too, as inside a deep net
    with FlopCounterMode(display=False) as counter:
        model(x).sum().backward()
    assert counter.get_total_flops() == 6 * n_params * tokens
    # MFU of a (pretend) GPU that processed those tokens in one second at a peak of 1 TFLOP/s
    tokens_per_s, peak_tflops = 1.0e4, 989
    expected = 100 * counter.get_total_flops() / tokens * tokens_per_s / (peak_tflops * 1e12)
    got, _ = run("mfu_pct", params_b=n_params / 1e9, tokens_per_gpu_s=tokens_per_s, n_gpus=8, peak_tflops=peak_tflops)
    assert got == pytest.approx(expected, rel=1e-9)


def test_mfu_reproduces_a_worked_cluster_example() -> None:
    # 70B dense model, 1.2M tokens/s on 2048 H100s: 6·70e9·1.2e6 / (2048·989e12) ≈ 24.9 %
    got, extra = run("mfu_pct", params_b=70, tokens_per_gpu_s=1.2e6 / 2048, n_gpus=2048, peak_tflops=989)
    assert got == pytest.approx(24.88, abs=0.01)
    assert extra["cluster_tokens_per_s"] == pytest.approx(1.2e6)


def test_kernels_templates_use_these_generators_and_instantiate() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    mine = [t for t in bank.templates if t.topic == "kernels-hardware"]
    assert len(mine) >= 2
    assert {t.generator for t in mine} <= set(SAMPLE)
    for t in mine:
        for seed in range(20):
            q = instantiate(t, seed)
            assert math.isfinite(q.answer) and q.answer > 0, (t.id, seed)
            if t.generator == "mfu_pct":
                assert q.answer < 100, (t.id, seed)
