"""Answer generators of the decoding bank's parametric templates (registered on import)."""

from __future__ import annotations

from bigmodel_quiz.bank.generators import GB, POS, generator


def _expected_tokens(alpha: float, gamma: int) -> float:
    """E[tokens per speculative step] = (1 − α^(γ+1)) / (1 − α) (Leviathan et al. 2023, Eq. 1); γ + 1 at α = 1."""
    if alpha >= 1:
        return float(gamma + 1)
    return (1 - alpha ** (gamma + 1)) / (1 - alpha)


@generator("spec_expected_tokens", extras=("alpha", "bonus_only", "target_calls_saved_pct"),
           alpha_pct=(0, 100), gamma=POS)
def spec_expected_tokens(alpha_pct: float, gamma: int) -> tuple[float, dict]:
    """Expected tokens produced by one draft-then-verify step with acceptance rate α and γ drafted tokens."""
    alpha = alpha_pct / 100
    e = _expected_tokens(alpha, gamma)
    return e, {"alpha": alpha, "bonus_only": alpha ** gamma, "target_calls_saved_pct": 100 * (1 - 1 / e)}


@generator("spec_speedup", extras=("alpha", "c", "expected_tokens", "step_cost"),
           alpha_pct=(0, 100), gamma=POS, cost_pct=(0, 100))
def spec_speedup(alpha_pct: float, gamma: int, cost_pct: float) -> tuple[float, dict]:
    """Walltime improvement (1 − α^(γ+1)) / ((1 − α)(γc + 1)) (Leviathan et al. 2023, Theorem 3.8)."""
    alpha, c = alpha_pct / 100, cost_pct / 100
    e = _expected_tokens(alpha, gamma)
    cost = gamma * c + 1
    return e / cost, {"alpha": alpha, "c": c, "expected_tokens": e, "step_cost": cost}


@generator("decode_step_ms", extras=("weight_gb", "kv_gb", "kv_per_token_bytes", "tokens_per_s"),
           params_b=(0, None), weight_bits=(1, 64), n_layers=POS, n_kv_heads=POS, head_dim=POS,
           context_len=POS, batch=POS, kv_bytes=(0, None), bandwidth_gbs=(0, None))
def decode_step_ms(params_b: float, weight_bits: int, n_layers: int, n_kv_heads: int, head_dim: int,
                   context_len: int, batch: int, kv_bytes: float, bandwidth_gbs: float) -> tuple[float, dict]:
    """Memory-bound lower bound on one decode step: read every weight once and every sequence's KV cache once.

    Weights: params · bits/8 bytes (shared by the batch). KV cache: 2·L·h_kv·d_head·bytes per token,
    for context_len tokens of each of ``batch`` sequences. Time = bytes / bandwidth.
    """
    weight = params_b * 1e9 * weight_bits / 8
    per_token = 2 * n_layers * n_kv_heads * head_dim * kv_bytes
    kv = per_token * context_len * batch
    seconds = (weight + kv) / (bandwidth_gbs * GB)
    return seconds * 1e3, {"weight_gb": weight / GB, "kv_gb": kv / GB, "kv_per_token_bytes": per_token,
                           "tokens_per_s": batch / seconds}
