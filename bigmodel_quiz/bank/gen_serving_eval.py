"""Answer generators of the serving (inference-deployment) and LLM-evaluation templates (registered on import).

Serving: KV blocks under paging, prefill time from 2·N FLOPs per token, end-to-end latency from TTFT
and TPOT. Evaluation: Elo expected score and online update, bits per byte from a per-token loss.
"""

from __future__ import annotations

import math

from bigmodel_quiz.bank.generators import POS, generator

# --- Serving ----------------------------------------------------------------------------


@generator("paged_kv_blocks", extras=("total_tokens", "slots", "wasted_slots", "wasted_pct"),
           prompt_tokens=POS, output_tokens=(0, None), block_size=POS)
def paged_kv_blocks(prompt_tokens: int, output_tokens: int, block_size: int) -> tuple[int, dict]:
    """KV blocks a sequence holds under paging (Kwon et al. 2023): ⌈(prompt + generated) / block size⌉.

    Only the last block can be partly empty, so the waste is blocks·B − tokens < B slots.
    """
    total = prompt_tokens + output_tokens
    blocks = -(-total // block_size)
    slots = blocks * block_size
    return blocks, {"total_tokens": total, "slots": slots, "wasted_slots": slots - total,
                    "wasted_pct": 100.0 * (slots - total) / slots}


@generator("prefill_time_ms", extras=("flops", "tflops", "sustained_tflops"),
           params_b=(0, None), prompt_tokens=POS, peak_tflops=(0, None), mfu_pct=(1, 100))
def prefill_time_ms(params_b: float, prompt_tokens: int, peak_tflops: float, mfu_pct: float) -> tuple[float, dict]:
    """Compute-bound prefill: 2·N FLOPs per prompt token (attention FLOPs left out) at peak × MFU, in ms."""
    flops = 2.0 * params_b * 1e9 * prompt_tokens
    sustained = peak_tflops * 1e12 * mfu_pct / 100
    return 1e3 * flops / sustained, {"flops": flops, "tflops": flops / 1e12, "sustained_tflops": sustained / 1e12}


@generator("e2e_latency_s", extras=("decode_s", "later_tokens", "tokens_per_s"),
           ttft_ms=(0, None), tpot_ms=(0, None), output_tokens=POS)
def e2e_latency_s(ttft_ms: float, tpot_ms: float, output_tokens: int) -> tuple[float, dict]:
    """End-to-end latency of a streamed response: TTFT for the first token, then TPOT for each of the n − 1 others."""
    later = output_tokens - 1
    decode = later * tpot_ms / 1e3
    total = ttft_ms / 1e3 + decode
    return total, {"decode_s": decode, "later_tokens": later, "tokens_per_s": output_tokens / total}


# --- Evaluation -------------------------------------------------------------------------

ELO_BASE, ELO_SCALE = 10.0, 400.0  # the Elo scale used by Chatbot Arena (FastChat rating_systems.py)


def _expected(rating_a: float, rating_b: float) -> float:
    """E_A = 1 / (1 + 10^((R_B − R_A)/400))."""
    return 1.0 / (1.0 + ELO_BASE ** ((rating_b - rating_a) / ELO_SCALE))


@generator("elo_expected_pct", extras=("diff", "odds"), rating_a=(None, None), rating_b=(None, None))
def elo_expected_pct(rating_a: float, rating_b: float) -> tuple[float, dict]:
    """A's expected score against B on the Elo scale (base 10, scale 400), in percent."""
    diff = rating_a - rating_b
    return 100.0 * _expected(rating_a, rating_b), {"diff": diff, "odds": ELO_BASE ** (diff / ELO_SCALE)}


@generator("elo_update", extras=("expected", "delta", "new_b"),
           rating_a=(None, None), rating_b=(None, None), k=(0, None), score=(0, 1))
def elo_update(rating_a: float, rating_b: float, k: float, score: float) -> tuple[float, dict]:
    """A's rating after one game with result S_A (1 win, 0.5 tie, 0 loss): R_A + K·(S_A − E_A); B moves by the opposite amount."""
    if score not in (0, 0.5, 1):
        raise ValueError(f"an Elo game result is 0, 0.5 or 1, not {score}")
    e = _expected(rating_a, rating_b)
    delta = k * (score - e)
    return rating_a + delta, {"expected": e, "delta": delta, "new_b": rating_b - delta}


@generator("bits_per_byte", extras=("total_nats", "total_bits", "bits_per_token", "bytes_per_token"),
           loss_nats=(0, None), n_tokens=POS, n_bytes=POS)
def bits_per_byte(loss_nats: float, n_tokens: int, n_bytes: int) -> tuple[float, dict]:
    """Tokenizer-independent loss: mean per-token cross-entropy (nats) × tokens / (bytes · ln 2)."""
    total = loss_nats * n_tokens
    bits = total / math.log(2)
    return bits / n_bytes, {"total_nats": total, "total_bits": bits, "bits_per_token": loss_nats / math.log(2),
                            "bytes_per_token": n_bytes / n_tokens}
