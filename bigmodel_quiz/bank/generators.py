"""Named answer generators for parametric questions.

A bank's template names one of these; its answer is computed here, never by
evaluating text from the bank. Each generator declares its parameters with the
range of values it accepts, so `quiz validate` can reject a template whose
declared range leaves it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Generator:
    """A registered generator: its function and accepted parameter bounds."""

    name: str
    func: Callable[..., object]
    params: dict[str, tuple[float | None, float | None]]
    extras: tuple[str, ...] = ()

    def __call__(self, **kwargs: object) -> tuple[float, dict]:
        result: Any = self.func(**kwargs)
        if isinstance(result, tuple):
            value, extra = result
            return float(value), dict(extra)
        return float(result), {}


_REGISTRY: dict[str, Generator] = {}


def generator(name: str, *, extras: tuple[str, ...] = (), **params: tuple[float | None, float | None]):
    """Register a generator taking ``params`` (each with (lo, hi) bounds, None = open)."""

    def wrap(func: Callable[..., object]) -> Callable[..., object]:
        _REGISTRY[name] = Generator(name, func, params, extras)
        return func

    return wrap


def get(name: str) -> Generator | None:
    """The generator called ``name``, if any."""
    return _REGISTRY.get(name)


def names() -> list[str]:
    """All generator names, sorted."""
    return sorted(_REGISTRY)


POS = (1, None)


@generator("mlp_params", extras=("weights", "biases"), d_in=POS, d_hidden=POS, d_out=POS)
def mlp_params(d_in: int, d_hidden: int, d_out: int) -> tuple[int, dict]:
    """One hidden layer MLP with biases: d_in·h + h + h·d_out + d_out."""
    weights = d_in * d_hidden + d_hidden * d_out
    biases = d_hidden + d_out
    return weights + biases, {"weights": weights, "biases": biases}


@generator("gpt_params", extras=("per_layer", "embeddings"),
           vocab_size=POS, n_positions=POS, d_model=POS, n_layers=POS)
def gpt_params(vocab_size: int, n_positions: int, d_model: int, n_layers: int) -> tuple[int, dict]:
    """GPT-2 layout with tied embeddings and d_ff = 4·d_model."""
    d = d_model
    per_layer = 12 * d * d + 13 * d  # qkv 3d²+3d, proj d²+d, mlp 8d²+5d, two LNs 4d
    embeddings = vocab_size * d + n_positions * d
    total = embeddings + n_layers * per_layer + 2 * d
    return total, {"per_layer": per_layer, "embeddings": embeddings}


# --- Parameter counts -------------------------------------------------------


@generator("conv2d_params", extras=("weights", "biases", "per_filter"), c_in=POS, c_out=POS, kernel=POS)
def conv2d_params(c_in: int, c_out: int, kernel: int) -> tuple[int, dict]:
    """nn.Conv2d(c_in, c_out, kernel) with bias: c_out·(c_in·k² + 1)."""
    per_filter = c_in * kernel * kernel
    weights = c_out * per_filter
    return weights + c_out, {"weights": weights, "biases": c_out, "per_filter": per_filter}


@generator("embedding_params", extras=("params_m",), vocab_size=POS, d_model=POS)
def embedding_params(vocab_size: int, d_model: int) -> tuple[int, dict]:
    """An embedding table of vocab_size rows of d_model values."""
    total = vocab_size * d_model
    return total, {"params_m": total / 1e6}


@generator("lstm_params", extras=("first_layer", "other_layer"),
           input_size=POS, hidden_size=POS, num_layers=POS)
def lstm_params(input_size: int, hidden_size: int, num_layers: int) -> tuple[int, dict]:
    """nn.LSTM layout: per layer 4h·(in + h) weights and two bias vectors of 4h (b_ih, b_hh)."""
    h = hidden_size
    first = 4 * h * (input_size + h) + 8 * h
    other = 4 * h * (h + h) + 8 * h
    return first + (num_layers - 1) * other, {"first_layer": first, "other_layer": other}


@generator("tp_shard_params", extras=("attn_per_gpu", "mlp_per_gpu", "full_layer"),
           d_model=POS, tp=POS)
def tp_shard_params(d_model: int, tp: int) -> tuple[float, dict]:
    """Weight-matrix parameters of one GPT block held by each of ``tp`` Megatron tensor-parallel ranks.

    QKV (d×3d) and MLP up (d×4d) are split by columns, attention output (d×d) and MLP down
    (4d×d) by rows: 12d²/tp per rank (biases and LayerNorm ignored).
    """
    d = d_model
    attn = 4 * d * d / tp
    mlp = 8 * d * d / tp
    return attn + mlp, {"attn_per_gpu": attn, "mlp_per_gpu": mlp, "full_layer": 12 * d * d}


@generator("lora_params", extras=("per_matrix", "full_per_matrix", "n_matrices", "pct_of_adapted"),
           d_model=POS, rank=POS, n_layers=POS, matrices_per_layer=POS)
def lora_params(d_model: int, rank: int, n_layers: int, matrices_per_layer: int) -> tuple[int, dict]:
    """LoRA on square d×d projections: B (d×r) and A (r×d), r·(d_in + d_out) per adapted matrix."""
    per_matrix = rank * (d_model + d_model)
    n = n_layers * matrices_per_layer
    full = d_model * d_model
    return n * per_matrix, {"per_matrix": per_matrix, "full_per_matrix": full, "n_matrices": n,
                            "pct_of_adapted": 100.0 * per_matrix / full}


# --- Memory -----------------------------------------------------------------

GB = 1e9  # decimal gigabyte, as in the bank-format unit table


@generator("weight_memory_gb", extras=("bytes_per_param",), params_b=(0, None), bits=(1, 64))
def weight_memory_gb(params_b: float, bits: int) -> tuple[float, dict]:
    """Weights only: params · bits/8 bytes, in GB."""
    bpp = bits / 8
    return params_b * 1e9 * bpp / GB, {"bytes_per_param": bpp}


@generator("adam_memory_gb", extras=("weights_gb", "grads_gb", "optimizer_gb"), params_b=(0, None))
def adam_memory_gb(params_b: float) -> tuple[float, dict]:
    """Mixed-precision Adam model states (ZeRO paper): 2 + 2 + 12 = 16 bytes per parameter."""
    n = params_b * 1e9
    w, g, o = 2 * n / GB, 2 * n / GB, 12 * n / GB
    return w + g + o, {"weights_gb": w, "grads_gb": g, "optimizer_gb": o}


@generator("zero_memory_gb", extras=("baseline_gb", "replicated_gb", "sharded_gb"),
           params_b=(0, None), n_gpus=POS, stage=(0, 3))
def zero_memory_gb(params_b: float, n_gpus: int, stage: int) -> tuple[float, dict]:
    """Per-GPU model states under ZeRO stage 0-3 with mixed-precision Adam (K = 12).

    stage 0: 16Ψ; 1: 4Ψ + 12Ψ/N; 2: 2Ψ + 14Ψ/N; 3: 16Ψ/N  (Rajbhandari et al., SC20).
    """
    if stage not in (0, 1, 2, 3):
        raise ValueError(f"ZeRO stage must be 0, 1, 2 or 3, not {stage}")
    psi = params_b * 1e9
    replicated_bytes = {0: 16, 1: 4, 2: 2, 3: 0}[stage]
    sharded_bytes = 16 - replicated_bytes
    rep = replicated_bytes * psi / GB
    shard = sharded_bytes * psi / n_gpus / GB
    return rep + shard, {"baseline_gb": 16 * psi / GB, "replicated_gb": rep, "sharded_gb": shard}


@generator("kv_cache_gb", extras=("per_token_bytes", "total_bytes"),
           n_layers=POS, n_kv_heads=POS, head_dim=POS, seq_len=POS, batch=POS, bytes_per_elem=(0, None))
def kv_cache_gb(n_layers: int, n_kv_heads: int, head_dim: int, seq_len: int, batch: int,
                bytes_per_elem: float) -> tuple[float, dict]:
    """K and V for every layer, KV head, position and sequence: 2·L·h_kv·d_head·s·b·bytes."""
    per_token = 2 * n_layers * n_kv_heads * head_dim * bytes_per_elem
    total = per_token * seq_len * batch
    return total / GB, {"per_token_bytes": per_token, "total_bytes": total}


@generator("qlora_memory_gb", extras=("base_gb", "lora_gb"), params_b=(0, None), lora_params_m=(0, None))
def qlora_memory_gb(params_b: float, lora_params_m: float) -> tuple[float, dict]:
    """Frozen 4-bit base (0.5 byte/param) + LoRA adapters trained with mixed-precision Adam (16 bytes/param)."""
    base = params_b * 1e9 * 0.5 / GB
    lora = lora_params_m * 1e6 * 16 / GB
    return base + lora, {"base_gb": base, "lora_gb": lora}


# --- Compute and time -------------------------------------------------------


@generator("training_flops", extras=("n_params", "n_tokens"), params_b=(0, None), tokens_b=(0, None))
def training_flops(params_b: float, tokens_b: float) -> tuple[float, dict]:
    """C ≈ 6·N·D (2ND forward + 4ND backward; Kaplan et al. 2020)."""
    n, d = params_b * 1e9, tokens_b * 1e9
    return 6 * n * d, {"n_params": n, "n_tokens": d}


@generator("training_days", extras=("flops", "cluster_flops", "seconds"),
           params_b=(0, None), tokens_b=(0, None), n_gpus=POS, peak_tflops=(0, None), mfu_pct=(1, 100))
def training_days(params_b: float, tokens_b: float, n_gpus: int, peak_tflops: float,
                  mfu_pct: float) -> tuple[float, dict]:
    """6·N·D FLOPs at n_gpus × peak × MFU sustained FLOP/s, in days."""
    flops = 6 * params_b * 1e9 * tokens_b * 1e9
    sustained = n_gpus * peak_tflops * 1e12 * mfu_pct / 100
    seconds = flops / sustained
    return seconds / 86400, {"flops": flops, "cluster_flops": sustained, "seconds": seconds}


@generator("chinchilla_tokens", extras=("tokens_b",), params_b=(0, None))
def chinchilla_tokens(params_b: float) -> tuple[float, dict]:
    """Compute-optimal training tokens ≈ 20 per parameter (Hoffmann et al. 2022)."""
    tokens = 20 * params_b * 1e9
    return tokens, {"tokens_b": tokens / 1e9}


@generator("decode_ms_per_token", extras=("weight_gb", "bytes_per_param", "tokens_per_s"),
           params_b=(0, None), bits=(1, 64), bandwidth_gbs=(0, None))
def decode_ms_per_token(params_b: float, bits: int, bandwidth_gbs: float) -> tuple[float, dict]:
    """Memory-bound decode at batch 1: every weight is read once per token; time = bytes / bandwidth."""
    bpp = bits / 8
    weight_gb = params_b * 1e9 * bpp / GB
    seconds = weight_gb / bandwidth_gbs
    return seconds * 1e3, {"weight_gb": weight_gb, "bytes_per_param": bpp, "tokens_per_s": 1 / seconds}


# --- Distributed training -------------------------------------------------


@generator("ring_allreduce_gb", extras=("size_gb", "factor"),
           params_b=(0, None), n_gpus=(2, None), bytes_per_elem=(0, None))
def ring_allreduce_gb(params_b: float, n_gpus: int, bytes_per_elem: float) -> tuple[float, dict]:
    """Bytes each GPU sends in a ring all-reduce of S bytes: 2(N−1)/N · S."""
    size = params_b * 1e9 * bytes_per_elem / GB
    factor = 2 * (n_gpus - 1) / n_gpus
    return factor * size, {"size_gb": size, "factor": factor}


@generator("pipeline_bubble_pct", extras=("idle_slots", "total_slots"), stages=POS, micro_batches=POS)
def pipeline_bubble_pct(stages: int, micro_batches: int) -> tuple[float, dict]:
    """GPipe-style schedule: idle fraction (p−1)/(m+p−1) of each stage's time, in percent."""
    total = micro_batches + stages - 1
    return 100.0 * (stages - 1) / total, {"idle_slots": stages - 1, "total_slots": total}


@generator("effective_batch", extras=("per_gpu_per_step",), micro_batch=POS, grad_accum=POS, n_gpus=POS)
def effective_batch(micro_batch: int, grad_accum: int, n_gpus: int) -> tuple[int, dict]:
    """Samples per optimizer step: micro-batch × accumulation steps × data-parallel ranks."""
    per_gpu = micro_batch * grad_accum
    return per_gpu * n_gpus, {"per_gpu_per_step": per_gpu}


@generator("training_steps", extras=("tokens_per_step",), tokens_b=(0, None), global_batch=POS, seq_len=POS)
def training_steps(tokens_b: float, global_batch: int, seq_len: int) -> tuple[float, dict]:
    """Optimizer steps to consume a token budget: D / (global batch × sequence length)."""
    per_step = global_batch * seq_len
    return tokens_b * 1e9 / per_step, {"tokens_per_step": per_step}


# --- Evaluation metrics -----------------------------------------------------


@generator("perplexity", loss=(0, 50))
def perplexity(loss: float) -> float:
    """Perplexity = exp(mean cross-entropy in nats)."""
    return math.exp(loss)


@generator("f1_pct", extras=("precision_pct", "recall_pct", "accuracy_pct"),
           tp=POS, fp=(0, None), fn=(0, None), tn=(0, None))
def f1_pct(tp: int, fp: int, fn: int, tn: int) -> tuple[float, dict]:
    """F1 = 2PR/(P+R) = 2TP/(2TP+FP+FN), in percent (TN only enters the accuracy extra)."""
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    accuracy = (tp + tn) / (tp + fp + fn + tn)
    return 100 * f1, {"precision_pct": 100 * precision, "recall_pct": 100 * recall,
                      "accuracy_pct": 100 * accuracy}


@generator("pass_at_k_pct", extras=("fail_prob",), n=POS, c=(0, None), k=POS)
def pass_at_k_pct(n: int, c: int, k: int) -> tuple[float, dict]:
    """Unbiased pass@k from n samples with c correct: 1 − C(n−c, k)/C(n, k) (Chen et al. 2021), in percent."""
    if c > n or k > n:
        raise ValueError(f"need c <= n and k <= n, got n={n}, c={c}, k={k}")
    fail = math.comb(n - c, k) / math.comb(n, k)
    return 100 * (1 - fail), {"fail_prob": fail}


# Each topic with many templates keeps its generators in a module of its own; importing
# them here registers them (at the end, so that ``generator`` is defined first).
from bigmodel_quiz.bank import gen_architecture, gen_decoding, gen_post_training, gen_tokenization  # noqa: E402,F401
from bigmodel_quiz.bank import gen_data, gen_kernels_hardware  # noqa: E402,F401
from bigmodel_quiz.bank import gen_serving_eval  # noqa: E402,F401
from bigmodel_quiz.bank import gen_multimodal, gen_rag_agents  # noqa: E402,F401
