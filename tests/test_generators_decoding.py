"""The decoding bank's generators, each checked against an independent computation.

The speculative-decoding formulas are checked by exact enumeration of the accepted prefix and
by simulating the draft-then-verify step itself (Leviathan et al. 2023, Algorithm 1) on random
distributions; the decode-step bound is checked against the bytes of KV-cache tensors built
with torch.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

try:
    import torch
except ImportError:  # pragma: no cover - exercised only without torch
    torch = None

NO_TORCH = "PyTorch is not installed: this check compares against torch tensors"

SAMPLE = {
    "spec_expected_tokens": dict(alpha_pct=80, gamma=4),
    "spec_speedup": dict(alpha_pct=80, gamma=4, cost_pct=5),
    "decode_step_ms": dict(params_b=8, weight_bits=16, n_layers=32, n_kv_heads=8, head_dim=128,
                           context_len=8192, batch=16, kv_bytes=2, bandwidth_gbs=3350),
}

test_every_decoding_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_decoding", SAMPLE)


# --- Expected tokens per step: exact enumeration ------------------------------------------


def _enumerated_tokens(alpha: Fraction, gamma: int) -> Fraction:
    """Sum over the position of the first rejection: k accepted drafts then one target token."""
    total = Fraction(0)
    for k in range(gamma):  # k accepted, draft k+1 rejected: k + 1 tokens (the resampled one)
        total += alpha ** k * (1 - alpha) * (k + 1)
    total += alpha ** gamma * (gamma + 1)  # all accepted: gamma drafts + the bonus token
    return total


@pytest.mark.parametrize("alpha_pct", [0, 20, 50, 62, 75, 80, 90, 99, 100])
@pytest.mark.parametrize("gamma", [1, 2, 3, 4, 5, 7, 10])
def test_expected_tokens_match_enumeration(alpha_pct: int, gamma: int) -> None:
    exact = _enumerated_tokens(Fraction(alpha_pct, 100), gamma)
    assert run("spec_expected_tokens", alpha_pct=alpha_pct, gamma=gamma)[0] == pytest.approx(float(exact), rel=1e-12)


def test_speedup_reproduces_leviathan_table_1() -> None:
    # alpha, gamma, speed from Table 1 (c = 0)
    for alpha, gamma, speed in [(60, 2, 1.96), (70, 3, 2.53), (80, 2, 2.44), (80, 5, 3.69), (90, 2, 2.71),
                                (90, 10, 6.86)]:
        assert run("spec_speedup", alpha_pct=alpha, gamma=gamma, cost_pct=0)[0] == pytest.approx(speed, abs=0.006)


def test_speedup_at_gamma_one_is_corollary_3_9() -> None:
    for a, c in [(0.5, 0.1), (0.8, 0.05), (0.3, 0.3)]:
        got = run("spec_speedup", alpha_pct=100 * a, gamma=1, cost_pct=100 * c)[0]
        assert got == pytest.approx((1 + a) / (1 + c))


# --- Simulating speculative sampling itself ---------------------------------------------


def _random_pair(rng: np.random.Generator, vocab: int, sharpness: float) -> tuple[np.ndarray, np.ndarray]:
    p = rng.dirichlet(np.full(vocab, sharpness))
    q = 0.6 * p + 0.4 * rng.dirichlet(np.full(vocab, sharpness))
    return p, q / q.sum()


def _speculative_step(rng, p: np.ndarray, q: np.ndarray, gamma: int) -> tuple[int, int]:
    """One run of Algorithm 1 with the same p and q at every position: (tokens produced, first token)."""
    vocab = len(p)
    first = None
    for i in range(gamma):
        x = rng.choice(vocab, p=q)
        if rng.random() > min(1.0, p[x] / q[x]):  # rejected: resample from norm(max(0, p − q))
            residual = np.maximum(p - q, 0)
            t = rng.choice(vocab, p=residual / residual.sum())
            return i + 1, (t if first is None else first)
        first = x if first is None else first
    return gamma + 1, first  # all accepted: one more token from p


@pytest.mark.parametrize("gamma", [1, 3, 5])
def test_simulated_tokens_per_step_match_the_formula(gamma: int) -> None:
    rng = np.random.default_rng(1234 + gamma)
    p, q = _random_pair(rng, vocab=12, sharpness=0.7)
    alpha = float(np.minimum(p, q).sum())  # Corollary 3.6: alpha = sum_x min(p, q)
    n = 40_000
    results = [_speculative_step(rng, p, q, gamma) for _ in range(n)]
    tokens = np.array([r[0] for r in results], dtype=float)
    expected = run("spec_expected_tokens", alpha_pct=100 * alpha, gamma=gamma)[0]
    assert tokens.mean() == pytest.approx(expected, abs=4 * tokens.std() / np.sqrt(n))
    # the first emitted token is distributed as the target p, whatever q is
    first = np.bincount([r[1] for r in results], minlength=len(p)) / n
    assert np.abs(first - p).max() < 0.015
    # and the walltime improvement is tokens per step over the step's cost gamma*c + 1
    c = 0.04
    speed = run("spec_speedup", alpha_pct=100 * alpha, gamma=gamma, cost_pct=100 * c)[0]
    assert speed == pytest.approx(tokens.mean() / (gamma * c + 1), rel=0.02)


# --- Decode-step bytes against torch tensors --------------------------------------------


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize("layers,kv_heads,head_dim,ctx,batch,dtype", [
    (32, 8, 128, 8192, 16, "float16"), (32, 32, 128, 4096, 1, "bfloat16"), (80, 8, 128, 32768, 4, "float16"),
    (28, 4, 128, 2048, 64, "float8_e4m3fn"),
])
def test_decode_step_bytes_match_kv_tensors(layers, kv_heads, head_dim, ctx, batch, dtype) -> None:
    dt = getattr(torch, dtype)
    cache = [torch.empty(batch, kv_heads, ctx, head_dim, dtype=dt, device="meta") for _ in range(2 * layers)]
    kv_bytes_total = sum(t.numel() * t.element_size() for t in cache)
    weights = torch.empty(1000, dtype=torch.bfloat16, device="meta")
    params_b, bw = 7.0, 2000.0
    weight_bytes = params_b * 1e9 * weights.element_size()
    ms, extra = run("decode_step_ms", params_b=params_b, weight_bits=8 * weights.element_size(),
                    n_layers=layers, n_kv_heads=kv_heads, head_dim=head_dim, context_len=ctx, batch=batch,
                    kv_bytes=torch.empty(0, dtype=dt).element_size(), bandwidth_gbs=bw)
    assert extra["kv_gb"] * 1e9 == pytest.approx(kv_bytes_total)
    assert ms == pytest.approx((weight_bytes + kv_bytes_total) / (bw * 1e9) * 1e3)


# --- The shipped templates ----------------------------------------------------------


def test_decoding_templates_use_these_generators_and_instantiate() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    mine = [t for t in bank.templates if t.topic == "decoding"]
    assert len(mine) >= 2
    assert {t.generator for t in mine} <= set(SAMPLE)
    for t in mine:
        for seed in range(10):
            q = instantiate(t, seed)
            assert q.answer > 0, (t.id, seed)
