"""The serving and LLM-evaluation generators, each checked against an independent computation.

KV blocks come from simulating a paged allocator token by token; prefill FLOPs from torch's FLOP
counter on a bias-free linear stack; end-to-end latency from a simulated token stream; Elo from a
battle-by-battle rating loop and a brute-force Bradley–Terry likelihood fit; bits per byte from the
log-probabilities of a toy model on real bytes.
"""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

try:
    import torch
    from torch.utils.flop_counter import FlopCounterMode
except ImportError:  # pragma: no cover - exercised only without torch
    torch = None

NO_TORCH = "PyTorch is not installed: this check counts FLOPs with torch's FLOP counter"

SAMPLE = {
    "paged_kv_blocks": dict(prompt_tokens=100, output_tokens=50, block_size=16),
    "prefill_time_ms": dict(params_b=8, prompt_tokens=4000, peak_tflops=989, mfu_pct=50),
    "e2e_latency_s": dict(ttft_ms=200, tpot_ms=20, output_tokens=256),
    "elo_expected_pct": dict(rating_a=1100, rating_b=1000),
    "elo_update": dict(rating_a=1600, rating_b=1500, k=32, score=0),
    "bits_per_byte": dict(loss_nats=2.0, n_tokens=1000, n_bytes=4200),
}

test_every_serving_eval_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_serving_eval", SAMPLE)
TEMPLATES = {"tpl-paged-kv-blocks", "tpl-prefill-time", "tpl-e2e-latency-ttft-tpot",
             "tpl-elo-expected-score", "tpl-elo-update", "tpl-bits-per-byte"}


def test_samples_match_the_bank_questions_worked_by_hand() -> None:
    # The static questions em-elo-expected-score-numeric, em-elo-update-numeric, em-bits-per-byte-numeric,
    # id-paged-blocks-needed-numeric, id-prefill-flops-ttft-numeric and id-ttft-tpot-end-to-end-latency.
    assert run("paged_kv_blocks", **SAMPLE["paged_kv_blocks"])[0] == 10
    assert run("prefill_time_ms", **SAMPLE["prefill_time_ms"])[0] == pytest.approx(129.42, abs=0.01)
    assert run("e2e_latency_s", **SAMPLE["e2e_latency_s"])[0] == pytest.approx(5.3)
    assert run("elo_expected_pct", **SAMPLE["elo_expected_pct"])[0] == pytest.approx(64.01, abs=0.01)
    assert run("elo_update", **SAMPLE["elo_update"])[0] == pytest.approx(1579.52, abs=0.01)
    assert run("bits_per_byte", **SAMPLE["bits_per_byte"])[0] == pytest.approx(0.687, abs=0.001)


# --- KV blocks: a paged allocator simulated token by token --------------------------------


class PagedAllocator:
    """A toy block manager: a sequence gets a new fixed-size block only when its last one is full."""

    def __init__(self, block_size: int) -> None:
        self.block_size = block_size
        self.blocks: list[list[int]] = []

    def append(self, token: int) -> None:
        if not self.blocks or len(self.blocks[-1]) == self.block_size:
            self.blocks.append([])
        self.blocks[-1].append(token)


@pytest.mark.parametrize("seed", range(40))
def test_paged_kv_blocks_matches_a_simulated_allocator(seed: int) -> None:
    rng = random.Random(seed)
    prompt, output, block = rng.randint(1, 3000), rng.randint(0, 1000), rng.choice([1, 8, 16, 32])
    alloc = PagedAllocator(block)
    for t in range(prompt + output):  # prefill writes the prompt, then one token per decoding step
        alloc.append(t)
    blocks, extra = run("paged_kv_blocks", prompt_tokens=prompt, output_tokens=output, block_size=block)
    assert blocks == len(alloc.blocks)
    assert extra["wasted_slots"] == block - len(alloc.blocks[-1])
    assert all(len(b) == block for b in alloc.blocks[:-1])  # only the last block can be partly empty
    assert 0 <= extra["wasted_slots"] < block


# --- Prefill: 2·N FLOPs per token, counted by torch ----------------------------------------


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize(("widths", "tokens"), [((64, 256, 64), 7), ((32, 48, 80, 32), 33), ((128, 128), 5)])
def test_prefill_flops_match_torch_flop_counter(widths: tuple[int, ...], tokens: int) -> None:
    layers = [torch.nn.Linear(a, b, bias=False) for a, b in zip(widths, widths[1:])]
    model = torch.nn.Sequential(*layers)
    n_params = sum(p.numel() for p in model.parameters())
    x = torch.randn(1, tokens, widths[0])
    with FlopCounterMode(display=False) as counter:
        model(x)
    ms, extra = run("prefill_time_ms", params_b=n_params / 1e9, prompt_tokens=tokens, peak_tflops=1, mfu_pct=100)
    assert extra["flops"] == pytest.approx(counter.get_total_flops())
    assert ms == pytest.approx(1e3 * counter.get_total_flops() / 1e12)  # at 1 TFLOP/s sustained


def test_prefill_time_scales_inversely_with_sustained_compute() -> None:
    full, _ = run("prefill_time_ms", params_b=7, prompt_tokens=2048, peak_tflops=989, mfu_pct=100)
    half, _ = run("prefill_time_ms", params_b=7, prompt_tokens=2048, peak_tflops=989, mfu_pct=50)
    assert half == pytest.approx(2 * full)


# --- End-to-end latency: a simulated token stream ------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_e2e_latency_matches_a_simulated_stream(seed: int) -> None:
    rng = random.Random(seed)
    ttft, tpot, n = rng.choice([80, 150, 400]), rng.choice([8, 25, 60]), rng.randint(1, 1000)
    arrivals = []
    clock = 0.0
    for i in range(n):
        clock += ttft if i == 0 else tpot  # first token after the prefill, then one per decoding step
        arrivals.append(clock)
    total, extra = run("e2e_latency_s", ttft_ms=ttft, tpot_ms=tpot, output_tokens=n)
    assert total == pytest.approx(arrivals[-1] / 1e3)
    gaps = np.diff([0.0, *arrivals])
    assert extra["later_tokens"] == len(gaps) - 1
    if n > 1:
        assert np.mean(gaps[1:]) == pytest.approx(tpot)  # the TPOT a benchmark would measure


# --- Elo: battle-by-battle loop and a brute-force Bradley–Terry fit ------------------------


def online_elo(battles: list[tuple[str, str, float]], k: float, start: dict[str, float] | None = None,
               init: float = 1000.0) -> dict[str, float]:
    """The Arena-style online Elo loop, written out: each battle moves both ratings by K·(S − E)."""
    rating: dict[str, float] = dict(start or {})
    for a, b, s in battles:
        ra, rb = rating.setdefault(a, init), rating.setdefault(b, init)
        ea = 1 / (1 + 10 ** ((rb - ra) / 400))
        eb = 1 / (1 + 10 ** ((ra - rb) / 400))
        rating[a] = ra + k * (s - ea)
        rating[b] = rb + k * ((1 - s) - eb)
    return rating


@pytest.mark.parametrize("seed", range(20))
def test_elo_update_matches_the_online_loop(seed: int) -> None:
    rng = random.Random(seed)
    ra, rb = rng.randint(900, 1500), rng.randint(900, 1500)
    k, s = rng.choice([4, 16, 32]), rng.choice([0, 0.5, 1])
    after = online_elo([("A", "B", s)], k, start={"A": ra, "B": rb})
    new_a, extra = run("elo_update", rating_a=ra, rating_b=rb, k=k, score=s)
    assert new_a == pytest.approx(after["A"])
    assert extra["new_b"] == pytest.approx(after["B"])
    assert new_a + extra["new_b"] == pytest.approx(ra + rb)  # zero-sum


def test_elo_loop_from_equal_ratings_agrees_with_the_generator() -> None:
    after = online_elo([("A", "B", 1.0)], k=32)
    new_a, extra = run("elo_update", rating_a=1000, rating_b=1000, k=32, score=1)
    assert after["A"] == pytest.approx(new_a) == pytest.approx(1016)
    assert after["B"] == pytest.approx(extra["new_b"]) == pytest.approx(984)


def test_online_elo_depends_on_battle_order() -> None:
    # The claim behind em-elo-order-dependence-trap: same outcomes, different order, different ratings.
    wins_then_losses = online_elo([("A", "B", 1)] * 5 + [("A", "B", 0)] * 5, k=32)
    losses_then_wins = online_elo([("A", "B", 0)] * 5 + [("A", "B", 1)] * 5, k=32)
    assert abs(wins_then_losses["A"] - losses_then_wins["A"]) > 1


@pytest.mark.parametrize(("wins", "losses"), [(64, 36), (75, 25), (30, 70), (50, 50)])
def test_elo_expected_score_is_the_bradley_terry_fit(wins: int, losses: int) -> None:
    # Brute-force maximum likelihood over the rating gap of two models on the Elo scale; the
    # generator's win probability at the fitted gap must reproduce the observed win rate.
    gaps = np.arange(-600, 600, 0.01)
    p = 1 / (1 + 10 ** (-gaps / 400))
    loglik = wins * np.log(p) + losses * np.log1p(-p)
    best = float(gaps[np.argmax(loglik)])
    pct, extra = run("elo_expected_pct", rating_a=1000 + best, rating_b=1000)
    assert pct == pytest.approx(100 * wins / (wins + losses), abs=0.01)
    assert extra["odds"] == pytest.approx(wins / losses, rel=1e-3)


def test_elo_expected_score_by_simulation() -> None:
    pct, _ = run("elo_expected_pct", rating_a=1150, rating_b=1000)
    rng = random.Random(0)
    n = 200_000
    won = sum(rng.random() < pct / 100 for _ in range(n))
    refit, _ = run("elo_expected_pct", rating_a=1000 + 400 * math.log10(won / (n - won)), rating_b=1000)
    assert refit == pytest.approx(pct, abs=0.5)


# --- Bits per byte: a toy model's log-probabilities on real bytes ---------------------------


def test_bits_per_byte_of_a_uniform_two_byte_token_model_is_8() -> None:
    data = bytes(random.Random(1).randrange(256) for _ in range(4000))
    tokens = [data[i:i + 2] for i in range(0, len(data), 2)]  # a "tokenizer" of 2-byte pieces
    loss = math.log(256 ** 2)  # uniform over all 65,536 two-byte tokens, in nats
    bpb, _ = run("bits_per_byte", loss_nats=loss, n_tokens=len(tokens), n_bytes=len(data))
    assert bpb == pytest.approx(8.0)


def test_bits_per_byte_from_unigram_log_probs() -> None:
    text = "the cat sat on the mat, then the cat ate the rat. " * 20
    words = text.split(" ")
    counts = Counter(words)
    total = sum(counts.values())
    bits = -sum(math.log2(counts[w] / total) for w in words)  # summed in bits, per token
    n_bytes = len(" ".join(words).encode("utf-8"))
    mean_nats = -sum(math.log(counts[w] / total) for w in words) / len(words)
    bpb, extra = run("bits_per_byte", loss_nats=mean_nats, n_tokens=len(words), n_bytes=n_bytes)
    assert bpb == pytest.approx(bits / n_bytes)
    assert extra["total_bits"] == pytest.approx(bits)


# --- The banks' templates ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates():
    bank, problems = load()
    return {t.id: t for t in bank.templates if t.id in TEMPLATES}


def test_templates_exist_and_instantiate(templates) -> None:
    assert set(templates) == TEMPLATES
    for t in templates.values():
        for seed in range(25):
            q = instantiate(t, seed)
            assert math.isfinite(q.answer) and q.answer > 0, (t.id, seed)
            assert "{" not in q.prompt["en"] and "{" not in q.explanation["zh"]
