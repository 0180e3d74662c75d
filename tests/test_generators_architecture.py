"""Generators of the architecture bank, each checked against an independent computation.

Parameter counts come from modules built with torch (on the meta device, so full-size
configurations cost no memory), KV-cache bytes from allocated cache tensors, RoPE
wavelengths from the inverse frequencies a rotary embedding builds and from the rotation
angle itself, and LLaMA's FFN width from a brute-force search and the published configs.
"""

from __future__ import annotations

import math

import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.answers import grade
from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

try:
    import torch
except ImportError:  # the checks that need torch say so instead of passing silently
    torch = None

NO_TORCH = pytest.mark.skipif(torch is None, reason="PyTorch is not installed: this check counts torch module parameters")

SAMPLE: dict[str, dict] = {
    "gqa_kv_saving_gb": dict(n_layers=80, n_heads=64, n_kv_heads=8, head_dim=128, seq_len=4096, batch=1,
                             bytes_per_elem=2),
    "moe_active_params": dict(d_model=4096, d_ff=14336, n_layers=32, n_experts=8, top_k=2, vocab_size=32000,
                              kv_dim=1024),
    "rope_wavelength": dict(head_dim=128, base=10000, pair=63, context_len=4096),
    "swiglu_ffn_params": dict(d_model=4096, multiple_of=256),
    "swa_kv_cache_mib": dict(n_layers=32, n_kv_heads=8, head_dim=128, window=4096, seq_len=32768, batch=1,
                             bytes_per_elem=2),
}

test_every_architecture_generator_has_a_sample, test_declared_params_and_extras_match_the_function = sample_tests("gen_architecture", SAMPLE)


# --- KV cache: bytes of allocated cache tensors -------------------------------


@NO_TORCH
@pytest.mark.parametrize("cfg", [(3, 8, 2, 16, 40, 5, torch and torch.float16),
                                 (2, 4, 1, 32, 7, 3, torch and torch.float32),
                                 (4, 6, 3, 8, 11, 2, torch and torch.int8)])
def test_gqa_saving_matches_allocated_caches(cfg) -> None:
    layers, heads, kv_heads, head_dim, seq, batch, dtype = cfg

    def cache_bytes(n_kv: int) -> int:
        tensors = [torch.empty(batch, n_kv, seq, head_dim, dtype=dtype) for _ in range(layers) for _kv in "kv"]
        return sum(t.numel() * t.element_size() for t in tensors)

    size = torch.empty(0, dtype=dtype).element_size()
    answer, extra = run("gqa_kv_saving_gb", n_layers=layers, n_heads=heads, n_kv_heads=kv_heads,
                        head_dim=head_dim, seq_len=seq, batch=batch, bytes_per_elem=size)
    assert extra["mha_gb"] * 1e9 == pytest.approx(cache_bytes(heads))
    assert extra["gqa_gb"] * 1e9 == pytest.approx(cache_bytes(kv_heads))
    assert answer * 1e9 == pytest.approx(cache_bytes(heads) - cache_bytes(kv_heads))


@NO_TORCH
def test_gqa_cache_is_what_grouped_attention_reads() -> None:
    # Attention whose K/V heads are shared by groups of query heads gives the same output as
    # MHA over K/V repeated per group: the cache needs only the n_kv_heads distinct heads.
    g = torch.Generator().manual_seed(0)
    batch, heads, kv_heads, seq, head_dim = 2, 8, 2, 5, 4
    q = torch.randn(batch, heads, seq, head_dim, generator=g)
    k = torch.randn(batch, kv_heads, seq, head_dim, generator=g)
    v = torch.randn(batch, kv_heads, seq, head_dim, generator=g)
    rep = heads // kv_heads
    expanded = torch.nn.functional.scaled_dot_product_attention(
        q, k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1), is_causal=True)
    manual = []
    for h in range(heads):
        kh, vh = k[:, h // rep], v[:, h // rep]
        scores = q[:, h] @ kh.transpose(-1, -2) / math.sqrt(head_dim)
        scores = scores.masked_fill(torch.ones(seq, seq, dtype=torch.bool).triu(1), float("-inf"))
        manual.append(scores.softmax(-1) @ vh)
    torch.testing.assert_close(expanded, torch.stack(manual, dim=1))
    _, extra = run("gqa_kv_saving_gb", n_layers=1, n_heads=heads, n_kv_heads=kv_heads, head_dim=head_dim,
                   seq_len=seq, batch=batch, bytes_per_elem=4)
    assert extra["gqa_gb"] * 1e9 == (k.numel() + v.numel()) * 4


def test_gqa_rejects_heads_that_do_not_divide() -> None:
    with pytest.raises(ValueError):
        run("gqa_kv_saving_gb", n_layers=1, n_heads=10, n_kv_heads=4, head_dim=8, seq_len=1, batch=1,
            bytes_per_elem=2)


# --- MoE: parameters of a torch Mixtral-style model ---------------------------


def _moe_model(d: int, d_ff: int, n_layers: int, n_experts: int, vocab: int, kv_dim: int):
    nn = torch.nn
    meta = {"device": "meta", "bias": False}

    class Expert(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w1 = nn.Linear(d, d_ff, **meta)
            self.w3 = nn.Linear(d, d_ff, **meta)
            self.w2 = nn.Linear(d_ff, d, **meta)

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.attn_norm = nn.RMSNorm(d, device="meta")
            self.q = nn.Linear(d, d, **meta)
            self.k = nn.Linear(d, kv_dim, **meta)
            self.v = nn.Linear(d, kv_dim, **meta)
            self.o = nn.Linear(d, d, **meta)
            self.ffn_norm = nn.RMSNorm(d, device="meta")
            self.router = nn.Linear(d, n_experts, **meta)
            self.experts = nn.ModuleList(Expert() for _ in range(n_experts))

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(vocab, d, device="meta")
            self.layers = nn.ModuleList(Layer() for _ in range(n_layers))
            self.norm = nn.RMSNorm(d, device="meta")
            self.lm_head = nn.Linear(d, vocab, **meta)

    return Model()


def _numel(module) -> int:
    return sum(p.numel() for p in module.parameters())


@NO_TORCH
@pytest.mark.parametrize("cfg", [
    dict(d_model=4096, d_ff=14336, n_layers=32, n_experts=8, top_k=2, vocab_size=32000, kv_dim=1024),  # Mixtral 8x7B
    dict(d_model=64, d_ff=96, n_layers=3, n_experts=16, top_k=1, vocab_size=500, kv_dim=64),
    dict(d_model=128, d_ff=352, n_layers=2, n_experts=4, top_k=4, vocab_size=1000, kv_dim=32),
])
def test_moe_counts_match_a_torch_model(cfg) -> None:
    model = _moe_model(cfg["d_model"], cfg["d_ff"], cfg["n_layers"], cfg["n_experts"], cfg["vocab_size"],
                       cfg["kv_dim"])
    total = _numel(model)
    # A token runs everything except the experts its router did not pick.
    unused = sum(_numel(layer.experts[i]) for layer in model.layers for i in range(cfg["top_k"], cfg["n_experts"]))
    answer, extra = run("moe_active_params", **cfg)
    assert extra["total"] == total
    assert answer == total - unused


def test_mixtral_is_47b_total_13b_active() -> None:
    answer, extra = run("moe_active_params", **SAMPLE["moe_active_params"])
    assert round(extra["total_b"]) == 47 and round(answer / 1e9) == 13


# --- RoPE wavelength ----------------------------------------------------------


@NO_TORCH
@pytest.mark.parametrize("head_dim,base", [(128, 10000), (64, 10000), (128, 500000), (96, 1000000)])
def test_rope_wavelength_matches_rotary_inverse_frequencies(head_dim: int, base: int) -> None:
    # The inverse frequencies as a rotary embedding builds them (one per pair of dimensions).
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    for pair in range(head_dim // 2):
        answer, extra = run("rope_wavelength", head_dim=head_dim, base=base, pair=pair, context_len=4096)
        assert answer == pytest.approx(2 * math.pi / inv_freq[pair].item(), rel=1e-12)
        assert extra["rotations"] == pytest.approx(4096 * inv_freq[pair].item() / (2 * math.pi), rel=1e-12)


@pytest.mark.parametrize("pair", [0, 5, 20])
def test_rope_angle_returns_to_start_after_one_wavelength(pair: int) -> None:
    # From the rotation angle m·θ itself: the angle first reaches 2π (one full turn) at m = λ.
    head_dim, base = 64, 10000
    wavelength, extra = run("rope_wavelength", head_dim=head_dim, base=base, pair=pair, context_len=1)
    theta = base ** (-2 * pair / head_dim)
    lo, hi = 0.0, 1e9
    for _ in range(200):  # bisection for the position where the angle equals 2π
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mid * theta < 2 * math.pi else (lo, mid)
    assert wavelength == pytest.approx(lo, rel=1e-9)
    assert math.cos(wavelength * theta) == pytest.approx(1.0) and math.sin(wavelength * theta) == pytest.approx(0.0, abs=1e-9)


def test_rope_rejects_a_pair_outside_the_head() -> None:
    with pytest.raises(ValueError):
        run("rope_wavelength", head_dim=64, base=10000, pair=32, context_len=1)


# --- SwiGLU FFN ---------------------------------------------------------------


def _brute_force_width(d: int, multiple_of: int) -> int:
    target = math.floor(8 * d / 3)
    width = 0
    while width < target:
        width += multiple_of
    return width


@pytest.mark.parametrize("d,published", [(4096, 11008), (5120, 13824), (6656, 17920), (8192, 22016)])
def test_ffn_width_reproduces_the_llama_configs(d: int, published: int) -> None:
    # LLaMA 7B / 13B / 33B / 65B with multiple_of = 256.
    _, extra = run("swiglu_ffn_params", d_model=d, multiple_of=256)
    assert extra["d_ff"] == published == _brute_force_width(d, 256)


@NO_TORCH
@pytest.mark.parametrize("d,multiple_of", [(4096, 256), (512, 64), (768, 128), (1000, 7), (96, 1)])
def test_swiglu_params_match_a_torch_ffn(d: int, multiple_of: int) -> None:
    width = _brute_force_width(d, multiple_of)
    nn = torch.nn
    ffn = nn.ModuleDict({"w1": nn.Linear(d, width, bias=False, device="meta"),
                         "w3": nn.Linear(d, width, bias=False, device="meta"),
                         "w2": nn.Linear(width, d, bias=False, device="meta")})
    gelu_ffn = nn.Sequential(nn.Linear(d, 4 * d, bias=False, device="meta"), nn.GELU(),
                             nn.Linear(4 * d, d, bias=False, device="meta"))
    answer, extra = run("swiglu_ffn_params", d_model=d, multiple_of=multiple_of)
    assert answer == _numel(ffn)
    assert extra["gelu_params"] == _numel(gelu_ffn)


# --- Sliding-window KV cache: a simulated rolling buffer ----------------------


def _rolling_buffer(window: int, seq_len: int) -> list[int | None]:
    """Write positions 0..seq_len-1 into slot i mod window; return which position each slot holds."""
    slots: list[int | None] = [None] * window
    for pos in range(seq_len):
        slots[pos % window] = pos
    return slots


@NO_TORCH
@pytest.mark.parametrize("window,seq_len", [(16, 5), (16, 16), (16, 17), (8, 100), (4096, 32768)])
def test_swa_cache_matches_a_simulated_rolling_buffer(window: int, seq_len: int) -> None:
    layers, kv_heads, head_dim, batch = 2, 3, 4, 2
    slots = _rolling_buffer(window, seq_len)
    held = [p for p in slots if p is not None]
    # The buffer holds exactly the last min(seq_len, window) positions: the attention window.
    assert sorted(held) == list(range(max(0, seq_len - window), seq_len))
    cache = [torch.empty(batch, kv_heads, len(held), head_dim, dtype=torch.float16)
             for _ in range(layers) for _kv in "kv"]
    nbytes = sum(t.numel() * t.element_size() for t in cache)
    answer, extra = run("swa_kv_cache_mib", n_layers=layers, n_kv_heads=kv_heads, head_dim=head_dim,
                        window=window, seq_len=seq_len, batch=batch, bytes_per_elem=2)
    assert answer * 2**20 == pytest.approx(nbytes)
    assert extra["cached_tokens"] == len(held)


def test_mistral_rolling_buffer_saves_8x_at_32k() -> None:
    answer, extra = run("swa_kv_cache_mib", **SAMPLE["swa_kv_cache_mib"])
    assert answer == 512 and extra["full_mib"] == 4096 and extra["saving_factor"] == 8


# --- The shipped templates ----------------------------------------------------


def test_architecture_templates_instantiate_and_accept_their_exact_answers() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    templates = [t for t in bank.templates if t.topic == "architecture"]
    assert len(templates) >= 5
    assert {t.generator for t in templates} >= set(SAMPLE)
    for t in templates:
        answers = set()
        for seed in range(25):
            q = instantiate(t, seed)
            assert math.isfinite(float(q.answer)), (t.id, seed)
            assert grade(q, f"{q.answer!r}").correct, (t.id, seed, q.answer)
            for lang in ("en", "zh"):
                assert "{" not in q.prompt[lang] and "{" not in q.explanation[lang], (t.id, lang)
            answers.add(q.answer)
        assert len(answers) > 1, t.id
