"""Answer generators of the parametric templates, each checked against an independent computation.

Parameter counts are checked against modules built with torch, bytes against
``element_size()``, metrics against from-definition computations, communication and
pipeline formulas against small simulations. The shipped templates must validate,
instantiate for many seeds and accept their own exact answers.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import math
import random
from fractions import Fraction
from pathlib import Path

import pytest

from bigmodel_quiz.bank import generators
from bigmodel_quiz.bank.answers import grade
from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

TOPICS = ("parameter-scale", "distributed-training", "evaluation-metrics", "inference-deployment",
          "training-optimisation", "fine-tuning")
NO_TORCH = "PyTorch is not installed: this check compares against torch modules/dtypes"


def run(name: str, **kwargs: object) -> tuple[float, dict]:
    gen = generators.get(name)
    assert gen is not None, name
    return gen(**kwargs)


def value(name: str, **kwargs: object) -> float:
    return run(name, **kwargs)[0]


@pytest.fixture
def torch():
    return pytest.importorskip("torch", reason=NO_TORCH)


# One valid call per generator: the registry check below makes sure a new generator gets one.
SAMPLE: dict[str, dict] = {
    "mlp_params": dict(d_in=784, d_hidden=128, d_out=10),
    "gpt_params": dict(vocab_size=50257, n_positions=1024, d_model=768, n_layers=12),
    "conv2d_params": dict(c_in=3, c_out=64, kernel=7),
    "embedding_params": dict(vocab_size=32000, d_model=4096),
    "lstm_params": dict(input_size=300, hidden_size=512, num_layers=2),
    "tp_shard_params": dict(d_model=4096, tp=8),
    "lora_params": dict(d_model=4096, rank=8, n_layers=32, matrices_per_layer=2),
    "weight_memory_gb": dict(params_b=7, bits=16),
    "adam_memory_gb": dict(params_b=7),
    "zero_memory_gb": dict(params_b=7.5, n_gpus=64, stage=2),
    "kv_cache_gb": dict(n_layers=32, n_kv_heads=32, head_dim=128, seq_len=4096, batch=1, bytes_per_elem=2),
    "qlora_memory_gb": dict(params_b=65, lora_params_m=160),
    "training_flops": dict(params_b=175, tokens_b=300),
    "training_days": dict(params_b=65, tokens_b=1400, n_gpus=2048, peak_tflops=312, mfu_pct=47.5),
    "chinchilla_tokens": dict(params_b=70),
    "decode_ms_per_token": dict(params_b=7, bits=16, bandwidth_gbs=2039),
    "ring_allreduce_gb": dict(params_b=1.3, n_gpus=8, bytes_per_elem=2),
    "pipeline_bubble_pct": dict(stages=4, micro_batches=8),
    "effective_batch": dict(micro_batch=4, grad_accum=8, n_gpus=16),
    "training_steps": dict(tokens_b=300, global_batch=1024, seq_len=2048),
    "perplexity": dict(loss=2.0),
    "f1_pct": dict(tp=80, fp=20, fn=40, tn=1000),
    "pass_at_k_pct": dict(n=20, c=3, k=5),
}


# --- The registry -----------------------------------------------------------


def test_registry_keeps_the_original_generators() -> None:
    assert {"mlp_params", "gpt_params"} <= set(generators.names())
    assert len(generators.names()) >= 16


@pytest.mark.parametrize("name", sorted(SAMPLE))
def test_declared_params_and_extras_match_the_function(name: str) -> None:
    gen = generators.get(name)
    assert gen is not None
    assert list(inspect.signature(gen.func).parameters) == list(gen.params)
    assert set(SAMPLE[name]) == set(gen.params)
    for pname, (lo, hi) in gen.params.items():
        v = SAMPLE[name][pname]
        assert (lo is None or v >= lo) and (hi is None or v <= hi), (pname, v)
    answer, extra = gen(**SAMPLE[name])
    assert math.isfinite(answer)
    assert set(extra) == set(gen.extras)


def test_every_generator_has_a_sample() -> None:
    # Generators of the topic modules (bank/gen_<topic>.py) are sampled in tests/test_generators_<topic>.py.
    core = {n for n in generators.names() if generators.get(n).func.__module__ == generators.__name__}
    assert core == set(SAMPLE)


# --- Parameter counts against torch modules ---------------------------------


def _numel(module) -> int:
    return sum(p.numel() for p in module.parameters())


def _gpt2(torch, vocab: int, n_pos: int, d: int, n_layers: int):
    nn = torch.nn
    meta = {"device": "meta"}  # shapes only: GPT-2 XL-size configs cost no memory

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln_1 = nn.LayerNorm(d, **meta)
            self.c_attn = nn.Linear(d, 3 * d, **meta)
            self.c_proj = nn.Linear(d, d, **meta)
            self.ln_2 = nn.LayerNorm(d, **meta)
            self.c_fc = nn.Linear(d, 4 * d, **meta)
            self.mlp_proj = nn.Linear(4 * d, d, **meta)

    class GPT2(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wte = nn.Embedding(vocab, d, **meta)
            self.wpe = nn.Embedding(n_pos, d, **meta)
            self.h = nn.ModuleList(Block() for _ in range(n_layers))
            self.ln_f = nn.LayerNorm(d, **meta)
            self.lm_head = nn.Linear(d, vocab, bias=False, **meta)
            self.lm_head.weight = self.wte.weight  # tied: parameters() yields it once

    return GPT2()


def test_gpt2_small_has_124_439_808_parameters(torch) -> None:
    model = _gpt2(torch, 50257, 1024, 768, 12)
    assert _numel(model) == 124_439_808
    assert value("gpt_params", vocab_size=50257, n_positions=1024, d_model=768, n_layers=12) == 124_439_808


@pytest.mark.parametrize("cfg", [(32000, 2048, 512, 2), (50304, 1024, 1024, 24), (65536, 4096, 1600, 48)])
def test_gpt_params_match_a_torch_gpt2(torch, cfg) -> None:
    vocab, n_pos, d, n_layers = cfg
    answer, extra = run("gpt_params", vocab_size=vocab, n_positions=n_pos, d_model=d, n_layers=n_layers)
    model = _gpt2(torch, vocab, n_pos, d, n_layers)
    assert answer == _numel(model)
    assert extra["per_layer"] == _numel(model.h[0])
    assert extra["embeddings"] == _numel(model.wte) + _numel(model.wpe)


@pytest.mark.parametrize("cfg", [(784, 128, 10), (3072, 1024, 1000), (1, 1, 1)])
def test_mlp_params_match_torch(torch, cfg) -> None:
    nn = torch.nn
    d_in, h, d_out = cfg
    mlp = nn.Sequential(nn.Linear(d_in, h), nn.ReLU(), nn.Linear(h, d_out))
    answer, extra = run("mlp_params", d_in=d_in, d_hidden=h, d_out=d_out)
    assert answer == _numel(mlp)
    assert extra["biases"] == sum(m.bias.numel() for m in mlp if isinstance(m, nn.Linear))


@pytest.mark.parametrize("cfg", [(3, 64, 7), (64, 128, 3), (256, 512, 1), (128, 16, 5)])
def test_conv2d_params_match_torch(torch, cfg) -> None:
    c_in, c_out, k = cfg
    conv = torch.nn.Conv2d(c_in, c_out, kernel_size=k)
    answer, extra = run("conv2d_params", c_in=c_in, c_out=c_out, kernel=k)
    assert answer == _numel(conv)
    assert extra["weights"] == conv.weight.numel() and extra["biases"] == conv.bias.numel()


@pytest.mark.parametrize("cfg", [(32000, 4096), (50257, 768), (151936, 1024)])
def test_embedding_params_match_torch(torch, cfg) -> None:
    vocab, d = cfg
    emb = torch.nn.Embedding(vocab, d, device="meta")
    assert value("embedding_params", vocab_size=vocab, d_model=d) == _numel(emb)


@pytest.mark.parametrize("cfg", [(128, 128, 1), (300, 512, 2), (512, 1024, 3), (256, 128, 2)])
def test_lstm_params_match_torch_with_two_bias_vectors(torch, cfg) -> None:
    i, h, layers = cfg
    lstm = torch.nn.LSTM(input_size=i, hidden_size=h, num_layers=layers)
    answer, extra = run("lstm_params", input_size=i, hidden_size=h, num_layers=layers)
    assert answer == _numel(lstm)
    assert extra["first_layer"] == sum(p.numel() for n, p in lstm.named_parameters() if n.endswith("_l0"))
    assert {n for n, _ in lstm.named_parameters() if n.endswith("_l0")} == {
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}


@pytest.mark.parametrize("cfg", [(1024, 2), (4096, 8), (5120, 4), (768, 1)])
def test_tensor_parallel_shard_matches_megatron_splits_of_torch_weights(torch, cfg) -> None:
    d, tp = cfg
    nn = torch.nn
    meta = {"device": "meta", "bias": False}
    # (layer, split dim of the [out, in] weight): column-parallel splits outputs, row-parallel inputs
    layers = [(nn.Linear(d, 3 * d, **meta), 0), (nn.Linear(d, d, **meta), 1),
              (nn.Linear(d, 4 * d, **meta), 0), (nn.Linear(4 * d, d, **meta), 1)]
    per_rank = [0] * tp
    for layer, dim in layers:
        shards = torch.chunk(layer.weight, tp, dim=dim)
        assert len(shards) == tp
        for r, s in enumerate(shards):
            per_rank[r] += s.numel()
    answer, extra = run("tp_shard_params", d_model=d, tp=tp)
    assert len(set(per_rank)) == 1 and answer == per_rank[0]
    assert extra["full_layer"] == sum(_numel(layer) for layer, _ in layers)


@pytest.mark.parametrize("cfg", [(4096, 8, 32, 2), (5120, 16, 40, 4), (2048, 4, 24, 4)])
def test_lora_params_match_torch_adapters(torch, cfg) -> None:
    d, r, n_layers, per_layer = cfg
    nn = torch.nn
    adapters = nn.ModuleList(
        nn.ModuleDict({"A": nn.Linear(d, r, bias=False, device="meta"), "B": nn.Linear(r, d, bias=False, device="meta")})
        for _ in range(n_layers * per_layer))
    answer, extra = run("lora_params", d_model=d, rank=r, n_layers=n_layers, matrices_per_layer=per_layer)
    assert answer == _numel(adapters)
    assert extra["per_matrix"] == _numel(adapters[0])


def test_lora_matches_the_gpt3_rows_of_the_lora_paper() -> None:
    # Hu et al. 2021, Table 4: GPT-3 175B (96 layers, d = 12288), W_q and W_v: r=1 → 4.7M, r=8 → 37.7M.
    for r, reported_m in ((1, 4.7), (8, 37.7)):
        got = value("lora_params", d_model=12288, rank=r, n_layers=96, matrices_per_layer=2)
        assert round(got / 1e6, 1) == reported_m


# --- Bytes against element_size() -------------------------------------------


def _size(torch, dtype) -> int:
    return torch.tensor([], dtype=dtype).element_size()


def test_weight_memory_matches_element_size(torch) -> None:
    for dtype in (torch.float32, torch.bfloat16, torch.float16, torch.int8):
        bits = 8 * _size(torch, dtype)
        for params_b in (1.3, 7, 70):
            assert value("weight_memory_gb", params_b=params_b, bits=bits) == pytest.approx(
                params_b * 1e9 * _size(torch, dtype) / 1e9)
    # int4: two values per byte (torch packs them in quint4x2 / uint8 storage)
    assert value("weight_memory_gb", params_b=7, bits=4) == pytest.approx(7e9 * _size(torch, torch.uint8) / 2 / 1e9)


def test_adam_mixed_precision_bytes_from_a_real_optimizer_state(torch) -> None:
    n = 1000
    master = torch.zeros(n, dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([master], lr=1e-3)
    master.grad = torch.ones(n)
    opt.step()
    moments = sum(v.numel() * v.element_size() for v in opt.state[master].values()
                  if torch.is_tensor(v) and v.numel() == n)
    model_copy = torch.zeros(n, dtype=torch.bfloat16)
    grad_copy = torch.zeros(n, dtype=torch.bfloat16)
    total = (moments + master.numel() * master.element_size()
             + model_copy.numel() * model_copy.element_size() + grad_copy.numel() * grad_copy.element_size())
    assert total == 16 * n
    answer, extra = run("adam_memory_gb", params_b=n / 1e9)
    assert answer * 1e9 == pytest.approx(total)
    assert extra["optimizer_gb"] * 1e9 == pytest.approx(moments + master.numel() * master.element_size())


def test_qlora_bytes_from_element_sizes(torch) -> None:
    base_bytes = 0.5 * _size(torch, torch.uint8)  # NF4: two 4-bit codes per byte
    lora_bytes = 2 * _size(torch, torch.bfloat16) + 3 * _size(torch, torch.float32)
    answer, extra = run("qlora_memory_gb", params_b=65, lora_params_m=160)
    assert extra["base_gb"] == pytest.approx(65e9 * base_bytes / 1e9)
    assert answer == pytest.approx((65e9 * base_bytes + 160e6 * lora_bytes) / 1e9)


def test_kv_cache_matches_allocated_cache_tensors(torch) -> None:
    for dtype in (torch.float16, torch.int8):
        layers, kv_heads, head_dim, seq, batch = 3, 2, 16, 40, 5
        cache = [torch.empty(batch, kv_heads, seq, head_dim, dtype=dtype) for _ in range(layers) for _kv in "kv"]
        nbytes = sum(t.numel() * t.element_size() for t in cache)
        answer, extra = run("kv_cache_gb", n_layers=layers, n_kv_heads=kv_heads, head_dim=head_dim,
                            seq_len=seq, batch=batch, bytes_per_elem=_size(torch, dtype))
        assert answer * 1e9 == pytest.approx(nbytes)
        assert extra["total_bytes"] == nbytes


def test_kv_cache_of_llama2_7b_at_4k_is_2_gib() -> None:
    # 32 layers, 32 KV heads, head_dim 128, fp16, one 4096-token sequence: 2 GiB
    answer = value("kv_cache_gb", n_layers=32, n_kv_heads=32, head_dim=128, seq_len=4096, batch=1, bytes_per_elem=2)
    assert answer * 1e9 == 2 * 2**30


def test_decode_time_from_weight_bytes_and_bandwidth(torch) -> None:
    for dtype, bits in ((torch.float16, 16), (torch.int8, 8)):
        nbytes = 7e9 * _size(torch, dtype)
        seconds = nbytes / (2039 * 1e9)
        answer, extra = run("decode_ms_per_token", params_b=7, bits=bits, bandwidth_gbs=2039)
        assert answer == pytest.approx(seconds * 1000)
        assert extra["tokens_per_s"] == pytest.approx(1 / seconds)


def test_zero_stages_match_component_sharding_and_the_paper() -> None:
    # Components of mixed-precision Adam: (bytes per parameter, first ZeRO stage that shards it).
    components = {"fp16 params": (2, 3), "fp16 grads": (2, 2), "fp32 optimizer states": (12, 1)}
    for params_b, n in ((7.5, 64), (13, 8), (70, 256)):
        for stage in range(4):
            expected = sum(b * params_b * 1e9 / (n if stage >= first else 1) for b, first in components.values())
            assert value("zero_memory_gb", params_b=params_b, n_gpus=n, stage=stage) * 1e9 == pytest.approx(expected)
    # Rajbhandari et al. 2020, Figure 1: Ψ = 7.5B, N_d = 64 → 120, 31.4, 16.6, 1.9 GB
    got = [round(value("zero_memory_gb", params_b=7.5, n_gpus=64, stage=s), 1) for s in range(4)]
    assert got == [120.0, 31.4, 16.6, 1.9]
    with pytest.raises(ValueError):
        value("zero_memory_gb", params_b=7.5, n_gpus=64, stage=4)


# --- Compute and time ---------------------------------------------------------


def test_training_flops_match_a_flop_counter_on_forward_and_backward(torch) -> None:
    from torch.utils.flop_counter import FlopCounterMode

    nn = torch.nn
    model = nn.Sequential(nn.Linear(64, 256, bias=False), nn.ReLU(), nn.Linear(256, 64, bias=False),
                          nn.Linear(64, 32, bias=False))
    tokens = 48
    x = torch.randn(tokens, 64, requires_grad=True)  # gradients w.r.t. every layer's input, as inside a deep net
    with FlopCounterMode(display=False) as counter:
        model(x).square().sum().backward()
    n = _numel(model)
    assert value("training_flops", params_b=n / 1e9, tokens_b=tokens / 1e9) == pytest.approx(counter.get_total_flops())


def test_training_flops_of_gpt3() -> None:
    # Brown et al. 2020: 175B parameters, 300B tokens → about 3.14e23 FLOPs
    assert value("training_flops", params_b=175, tokens_b=300) == pytest.approx(3.14e23, rel=0.01)


def test_training_days_match_the_llama_throughput_report() -> None:
    # Touvron et al. 2023 (LLaMA): 65B on 1.4T tokens, 2048 A100-80GB at ~380 tokens/s/GPU → ~21 days.
    days_from_throughput = 1.4e12 / (380 * 2048) / 86400
    mfu = 100 * 6 * 65e9 * 380 / 312e12  # the MFU that throughput implies on 312 TFLOP/s parts
    answer, extra = run("training_days", params_b=65, tokens_b=1400, n_gpus=2048, peak_tflops=312, mfu_pct=mfu)
    assert answer == pytest.approx(days_from_throughput, rel=1e-9)
    assert 20 < answer < 22
    assert extra["seconds"] == pytest.approx(answer * 86400)


def test_chinchilla_tokens() -> None:
    # Hoffmann et al. 2022: Chinchilla, 70B parameters, 1.4T tokens
    assert value("chinchilla_tokens", params_b=70) == pytest.approx(1.4e12)


def test_training_steps_exact_fraction() -> None:
    for tokens_b, batch, seq in ((300, 1024, 2048), (100, 512, 1024), (2000, 2048, 4096)):
        exact = Fraction(tokens_b * 10**9, batch * seq)
        assert value("training_steps", tokens_b=tokens_b, global_batch=batch, seq_len=seq) == pytest.approx(float(exact))


# --- Distributed training: small simulations --------------------------------


def _simulate_ring_allreduce(n_ranks: int, n_elems: int, rng: random.Random) -> tuple[list[int], bool]:
    """Run reduce-scatter + all-gather on a ring; elements each rank sends, and whether all agree on the sum."""
    chunk = n_elems // n_ranks
    data = [[[rng.random() for _ in range(chunk)] for _ in range(n_ranks)] for _ in range(n_ranks)]
    expected = [[sum(data[r][c][i] for r in range(n_ranks)) for i in range(chunk)] for c in range(n_ranks)]
    sent = [0] * n_ranks
    for step in range(n_ranks - 1):  # reduce-scatter
        msgs = [(r, (r - step) % n_ranks, list(data[r][(r - step) % n_ranks])) for r in range(n_ranks)]
        for r, c, payload in msgs:
            sent[r] += len(payload)
            dst = (r + 1) % n_ranks
            data[dst][c] = [a + b for a, b in zip(data[dst][c], payload)]
    for step in range(n_ranks - 1):  # all-gather: rank r starts with the reduced chunk r + 1
        msgs = [(r, (r + 1 - step) % n_ranks, list(data[r][(r + 1 - step) % n_ranks])) for r in range(n_ranks)]
        for r, c, payload in msgs:
            sent[r] += len(payload)
            data[(r + 1) % n_ranks][c] = payload
    ok = all(math.isclose(data[r][c][i], expected[c][i], rel_tol=1e-12)
             for r in range(n_ranks) for c in range(n_ranks) for i in range(chunk))
    return sent, ok


@pytest.mark.parametrize("n_ranks", [2, 3, 4, 8])
def test_ring_allreduce_bytes_match_a_simulated_ring(n_ranks: int) -> None:
    rng = random.Random(n_ranks)
    n_elems = n_ranks * 6
    sent, ok = _simulate_ring_allreduce(n_ranks, n_elems, rng)
    assert ok
    for bytes_per_elem in (2, 4):
        got = value("ring_allreduce_gb", params_b=n_elems / 1e9, n_gpus=n_ranks, bytes_per_elem=bytes_per_elem)
        assert all(got * 1e9 == pytest.approx(s * bytes_per_elem) for s in sent)


def _simulate_gpipe(p: int, m: int, t_fwd: float, t_bwd: float) -> float:
    """Idle fraction per stage of a GPipe schedule (all forwards, then all backwards, then flush)."""
    f_end = [[0.0] * m for _ in range(p)]
    for s in range(p):
        for j in range(m):
            start = max(f_end[s - 1][j] if s else 0.0, f_end[s][j - 1] if j else 0.0)
            f_end[s][j] = start + t_fwd
    b_end = [[0.0] * m for _ in range(p)]
    order = list(reversed(range(m)))
    for s in reversed(range(p)):
        prev = f_end[s][m - 1]  # a stage starts backwards after its last forward
        for j in order:
            start = max(prev, b_end[s + 1][j] if s < p - 1 else 0.0)
            b_end[s][j] = prev = start + t_bwd
    makespan = max(b_end[s][order[-1]] for s in range(p))
    busy = m * (t_fwd + t_bwd)
    return 1 - busy / makespan


@pytest.mark.parametrize("p,m", [(2, 1), (4, 8), (8, 4), (16, 64), (3, 5)])
def test_pipeline_bubble_matches_a_simulated_schedule(p: int, m: int) -> None:
    for t_fwd, t_bwd in ((1.0, 1.0), (1.0, 2.0)):
        idle = _simulate_gpipe(p, m, t_fwd, t_bwd)
        assert value("pipeline_bubble_pct", stages=p, micro_batches=m) == pytest.approx(100 * idle)


def test_effective_batch_equals_the_batch_whose_gradient_accumulation_reproduces(torch) -> None:
    micro, accum, ranks = 3, 4, 2
    torch.manual_seed(0)
    big = value("effective_batch", micro_batch=micro, grad_accum=accum, n_gpus=ranks)
    x, y = torch.randn(int(big), 5, dtype=torch.float64), torch.randn(int(big), dtype=torch.float64)
    w0 = torch.randn(5, dtype=torch.float64)

    w = w0.clone().requires_grad_(True)
    ((x @ w - y) ** 2).mean().backward()
    full = w.grad.clone()

    per_rank = []
    seen = 0
    for r in range(ranks):
        w = w0.clone().requires_grad_(True)
        for a in range(accum):
            lo = (r * accum + a) * micro
            xb, yb = x[lo:lo + micro], y[lo:lo + micro]
            (((xb @ w - yb) ** 2).mean() / accum).backward()
            seen += len(xb)
        per_rank.append(w.grad.clone())
    averaged = torch.stack(per_rank).mean(0)  # what DDP's all-reduce leaves on every rank
    assert seen == big
    assert torch.allclose(averaged, full)


# --- Metrics from their definitions -----------------------------------------


def test_perplexity_is_the_inverse_geometric_mean_token_probability() -> None:
    rng = random.Random(1)
    for _ in range(20):
        probs = [rng.uniform(0.01, 1.0) for _ in range(rng.randint(1, 30))]
        mean_nll = -sum(math.log(p) for p in probs) / len(probs)
        inv_geo_mean = math.prod(probs) ** (-1 / len(probs))
        assert value("perplexity", loss=mean_nll) == pytest.approx(inv_geo_mean)
    # a uniform guess over V tokens has perplexity V
    assert value("perplexity", loss=math.log(50257)) == pytest.approx(50257)


def test_f1_from_counted_predictions() -> None:
    rng = random.Random(2)
    for _ in range(20):
        n = rng.randint(50, 400)
        truth = [rng.random() < 0.3 for _ in range(n)]
        pred = [t if rng.random() < 0.8 else not t for t in truth]
        if not any(t and p for t, p in zip(truth, pred)):
            continue
        tp = sum(t and p for t, p in zip(truth, pred))
        fp = sum(p and not t for t, p in zip(truth, pred))
        fn = sum(t and not p for t, p in zip(truth, pred))
        tn = n - tp - fp - fn
        predicted = {i for i, p in enumerate(pred) if p}
        actual = {i for i, t in enumerate(truth) if t}
        dice = 2 * len(predicted & actual) / (len(predicted) + len(actual))  # F1 as set overlap
        precision, recall = len(predicted & actual) / len(predicted), len(predicted & actual) / len(actual)
        answer, extra = run("f1_pct", tp=tp, fp=fp, fn=fn, tn=tn)
        assert answer == pytest.approx(100 * dice)
        assert extra["precision_pct"] == pytest.approx(100 * precision)
        assert extra["recall_pct"] == pytest.approx(100 * recall)
        assert extra["accuracy_pct"] == pytest.approx(100 * sum(t == p for t, p in zip(truth, pred)) / n)


@pytest.mark.parametrize("n,c,k", [(10, 3, 1), (10, 3, 2), (12, 1, 5), (8, 0, 3), (9, 9, 4), (11, 4, 11)])
def test_pass_at_k_matches_enumerating_all_k_subsets(n: int, c: int, k: int) -> None:
    samples = [i < c for i in range(n)]  # c correct samples
    subsets = list(itertools.combinations(range(n), k))
    hit = sum(any(samples[i] for i in s) for s in subsets) / len(subsets)
    assert value("pass_at_k_pct", n=n, c=c, k=k) == pytest.approx(100 * hit)


def test_pass_at_k_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        value("pass_at_k_pct", n=5, c=6, k=1)
    with pytest.raises(ValueError):
        value("pass_at_k_pct", n=5, c=1, k=6)


# --- The shipped templates ----------------------------------------------------


@pytest.fixture(scope="module")
def all_templates():
    bank, problems = load()
    assert [str(p) for p in problems] == []
    ids = {q.id for q in bank.questions}
    assert not [t.id for t in bank.templates if t.id in ids]
    return {t.id: t for t in bank.templates}


def test_at_least_15_templates_over_five_topics(all_templates) -> None:
    assert len(all_templates) >= 15
    topics = {t.topic for t in all_templates.values()}
    assert len(topics & set(TOPICS)) >= 5, topics


def test_every_template_instantiates_and_accepts_its_exact_answer(all_templates) -> None:
    assert all_templates
    for t in all_templates.values():
        assert t.references and {"en", "zh"} <= set(t.prompt) and {"en", "zh"} <= set(t.explanation), t.id
        answers = set()
        for seed in range(21):
            q = instantiate(t, seed)
            assert q.template == t.id
            assert math.isfinite(float(q.answer)), (t.id, seed)
            for lang in ("en", "zh"):
                assert q.prompt[lang].strip() and q.explanation[lang].strip(), (t.id, lang)
            assert grade(q, f"{q.answer!r}").correct, (t.id, seed, q.answer)
            answers.add(q.answer)
        assert len(answers) > 1, f"{t.id} gives the same answer for every seed"


def _template(all_templates, tid: str):
    if tid not in all_templates:
        pytest.fail(f"template {tid} is not shipped")
    return all_templates[tid]


def _combos(template) -> list[dict]:
    """Every parameter at its extremes (choices: first and last; ranges: lo and hi)."""
    axes = []
    for p in template.params:
        axes.append([(p.name, v) for v in ((p.choices[0], p.choices[-1]) if p.choices else (p.lo, p.hi))])
    return [dict(c) for c in itertools.product(*axes)]


@pytest.mark.parametrize("tid,slip", [
    # leaving out the position embeddings, or all biases and LayerNorms
    ("tpl-gpt2-param-count", lambda v, a: a - v["n_positions"] * v["d_model"]),
    ("tpl-gpt2-param-count", lambda v, a: 12 * v["d_model"] ** 2 * v["n_layers"]
     + (v["vocab_size"] + v["n_positions"]) * v["d_model"]),
    # the textbook LSTM with one bias vector per gate
    ("tpl-lstm-param-count", lambda v, a: a - 4 * v["hidden_size"] * v["num_layers"]),
    ("tpl-mlp-param-count", lambda v, a: a - v["d_hidden"] - v["d_out"]),
    ("tpl-conv2d-param-count", lambda v, a: a - v["c_out"]),
    # log base 2 instead of natural log
    ("tpl-perplexity-from-loss", lambda v, a: 2 ** v["loss"]),
    # forgetting the all-gather half of the ring
    ("tpl-ring-allreduce-bytes", lambda v, a: a / 2),
])
def test_tolerance_rejects_the_classic_slip(all_templates, tid, slip) -> None:
    t = _template(all_templates, tid)
    gen = generators.get(t.generator)
    q0 = instantiate(t, 0)
    for values in _combos(t):
        answer, _ = gen(**values)
        q = dataclasses.replace(q0, answer=answer)
        assert grade(q, repr(float(answer))).correct
        wrong = slip(values, answer)
        assert not grade(q, repr(float(wrong))).correct, (tid, values, answer, wrong)


@pytest.mark.parametrize("gen_name,bad", [
    ("zero_memory_gb", {"params_b": "{choices: [7]}", "n_gpus": "{choices: [0, 8]}", "stage": "{range: [0, 3]}"}),
    ("zero_memory_gb", {"params_b": "{choices: [7]}", "n_gpus": "{choices: [8]}", "stage": "{range: [1, 4]}"}),
    ("pipeline_bubble_pct", {"stages": "{range: [0, 4]}", "micro_batches": "{choices: [8]}"}),
    ("ring_allreduce_gb", {"params_b": "{choices: [7]}", "n_gpus": "{choices: [1, 8]}", "bytes_per_elem": "{choices: [2]}"}),
    ("training_days", {"params_b": "{choices: [7]}", "tokens_b": "{choices: [300]}", "n_gpus": "{choices: [8]}",
                       "peak_tflops": "{choices: [312]}", "mfu_pct": "{range: [30, 120]}"}),
])
def test_generator_bounds_reject_nonsense_params(tmp_path: Path, gen_name: str, bad: dict) -> None:
    params = "\n".join(f"      {k}: {v}" for k, v in bad.items())
    (tmp_path / "t.yaml").write_text(f"""\
topic:
  id: t
  title: {{en: T, zh: T}}
  description: {{en: D, zh: D}}
templates:
  - id: tpl-bad
    generator: {gen_name}
    difficulty: easy
    tags: [x]
    params:
{params}
    prompt: {{en: "P {{answer}}", zh: "P {{answer}}"}}
    explanation: {{en: E, zh: E}}
    unit: ""
    references: [{{source: R, locator: p. 1}}]
""", encoding="utf-8")
    _, problems = load([tmp_path / "t.yaml"], base=tmp_path)
    assert any("out of range for the generator" in str(p) for p in problems), [str(p) for p in problems]
