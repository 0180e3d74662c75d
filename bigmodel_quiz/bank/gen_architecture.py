"""Answer generators of the architecture bank's parametric templates (registered on import)."""

from __future__ import annotations

import math

from bigmodel_quiz.bank.generators import generator

POS = (1, None)
GB = 1e9  # decimal gigabyte, as in the bank-format unit table


@generator("gqa_kv_saving_gb", extras=("mha_gb", "gqa_gb", "per_token_mha", "per_token_gqa", "ratio"),
           n_layers=POS, n_heads=POS, n_kv_heads=POS, head_dim=POS, seq_len=POS, batch=POS,
           bytes_per_elem=(0, None))
def gqa_kv_saving_gb(n_layers: int, n_heads: int, n_kv_heads: int, head_dim: int, seq_len: int,
                     batch: int, bytes_per_elem: float) -> tuple[float, dict]:
    """KV cache saved by grouped-query attention against multi-head attention, in GB.

    Each layer caches one K and one V vector of head_dim per KV head and position:
    MHA has n_heads KV heads, GQA n_kv_heads (n_kv_heads = 1 is multi-query attention).
    """
    if n_heads % n_kv_heads:
        raise ValueError(f"n_heads ({n_heads}) must be a multiple of n_kv_heads ({n_kv_heads})")
    per_head_token = 2 * n_layers * head_dim * bytes_per_elem  # K and V of one head, all layers
    per_token_mha = per_head_token * n_heads
    per_token_gqa = per_head_token * n_kv_heads
    tokens = seq_len * batch
    mha = per_token_mha * tokens / GB
    gqa = per_token_gqa * tokens / GB
    return mha - gqa, {"mha_gb": mha, "gqa_gb": gqa, "per_token_mha": per_token_mha,
                       "per_token_gqa": per_token_gqa, "ratio": n_heads // n_kv_heads}


@generator("moe_active_params", extras=("total", "total_b", "active_b", "expert_params", "per_layer_dense",
                                        "active_pct"),
           d_model=POS, d_ff=POS, n_layers=POS, n_experts=POS, top_k=POS, vocab_size=POS, kv_dim=POS)
def moe_active_params(d_model: int, d_ff: int, n_layers: int, n_experts: int, top_k: int,
                      vocab_size: int, kv_dim: int) -> tuple[int, dict]:
    """Parameters one token uses in a Mixtral-style sparse MoE decoder (no biases).

    Per layer: attention W_q, W_o (d×d) and W_k, W_v (d×kv_dim); a router (d×E); E SwiGLU experts
    of 3·d·d_ff; two RMSNorm gains (2d). Untied input embedding and LM head (V·d each) and a
    final RMSNorm (d). A token runs the dense parts and top_k of the E experts.
    """
    if top_k > n_experts:
        raise ValueError(f"top_k ({top_k}) cannot exceed n_experts ({n_experts})")
    d = d_model
    expert = 3 * d * d_ff
    dense_layer = 2 * d * d + 2 * d * kv_dim + d * n_experts + 2 * d
    outside = 2 * vocab_size * d + d
    total = n_layers * (dense_layer + n_experts * expert) + outside
    active = n_layers * (dense_layer + top_k * expert) + outside
    return active, {"total": total, "total_b": total / 1e9, "active_b": active / 1e9, "expert_params": expert,
                    "per_layer_dense": dense_layer, "active_pct": 100.0 * active / total}


@generator("rope_wavelength", extras=("theta", "rotations", "exponent"),
           head_dim=(2, None), base=(2, None), pair=(0, None), context_len=POS)
def rope_wavelength(head_dim: int, base: float, pair: int, context_len: int) -> tuple[float, dict]:
    """Wavelength in tokens of RoPE dimension pair i (0-based): 2π / θ_i with θ_i = base^(−2i/d).

    ``rotations`` is how many full turns that pair makes over ``context_len`` positions
    (YaRN's r = L / λ).
    """
    if head_dim % 2 or pair >= head_dim // 2:
        raise ValueError(f"pair must index one of the {head_dim // 2} pairs of an even head_dim")
    exponent = 2 * pair / head_dim
    theta = base ** (-exponent)
    wavelength = 2 * math.pi / theta
    return wavelength, {"theta": theta, "rotations": context_len / wavelength, "exponent": exponent}


def llama_ffn_width(d_model: int, multiple_of: int) -> int:
    """LLaMA's SwiGLU hidden width: int(2/3 · 4d), rounded up to a multiple of ``multiple_of``."""
    hidden = int(2 * (4 * d_model) / 3)
    return multiple_of * ((hidden + multiple_of - 1) // multiple_of)


@generator("swiglu_ffn_params", extras=("d_ff", "exact_width", "gelu_params", "ratio_to_gelu"),
           d_model=POS, multiple_of=POS)
def swiglu_ffn_params(d_model: int, multiple_of: int) -> tuple[int, dict]:
    """Weights of one SwiGLU FFN (W1, W3: d×d_ff; W2: d_ff×d; no biases) with LLaMA's d_ff rule."""
    d_ff = llama_ffn_width(d_model, multiple_of)
    params = 3 * d_model * d_ff
    gelu = 2 * d_model * 4 * d_model
    return params, {"d_ff": d_ff, "exact_width": 8 * d_model / 3, "gelu_params": gelu,
                    "ratio_to_gelu": params / gelu}


MIB = 2**20


@generator("swa_kv_cache_mib", extras=("per_token_bytes", "cached_tokens", "full_mib", "saving_factor"),
           n_layers=POS, n_kv_heads=POS, head_dim=POS, window=POS, seq_len=POS, batch=POS,
           bytes_per_elem=(0, None))
def swa_kv_cache_mib(n_layers: int, n_kv_heads: int, head_dim: int, window: int, seq_len: int, batch: int,
                     bytes_per_elem: float) -> tuple[float, dict]:
    """KV cache of sliding-window attention with a rolling buffer of ``window`` slots, in MiB.

    Position i is written to slot i mod window, so at most ``window`` positions per sequence
    are ever held: min(seq_len, window) · 2 · L · h_kv · d_head · bytes per sequence.
    """
    per_token = 2 * n_layers * n_kv_heads * head_dim * bytes_per_elem
    cached = min(seq_len, window)
    total = per_token * cached * batch / MIB
    full = per_token * seq_len * batch / MIB
    return total, {"per_token_bytes": per_token, "cached_tokens": cached, "full_mib": full,
                   "saving_factor": seq_len / cached}
