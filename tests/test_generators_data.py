"""The training-data bank's generators, each checked against an independent computation.

The MinHash-LSH candidate probability is checked by simulating MinHash itself: random hash values
for every element of two sets with a known Jaccard similarity, banded signatures, and the rate at
which at least one band agrees. Epochs over a mixture component are checked by walking a token
stream that cycles through the component.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

SAMPLE = {
    "lsh_candidate_pct": dict(s_pct=80, bands=450, rows=20),
    "mixture_epochs": dict(budget_b=1400, share_pct=4.5, size_b=25.7),
}

test_every_data_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_data", SAMPLE)


# --- MinHash and LSH, simulated ---------------------------------------------------------------


def _sets_with_jaccard(common: int, only_a: int, only_b: int) -> tuple[np.ndarray, np.ndarray]:
    """Element ids of two sets whose Jaccard similarity is common / (common + only_a + only_b)."""
    a = np.arange(common + only_a)
    b = np.concatenate([np.arange(common), np.arange(common + only_a, common + only_a + only_b)])
    return a, b


def _minhash_signatures(rng: np.random.Generator, trials: int, n_hashes: int, a: np.ndarray,
                        b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of A and B under ``n_hashes`` independent random hash functions, for each trial.

    A random hash function is a random value per element of the universe (ties have probability 0),
    which induces a uniformly random order of the elements, as in Broder's min-wise sampling.
    """
    universe = int(max(a.max(), b.max())) + 1
    values = rng.random((trials, n_hashes, universe))
    return values[:, :, a].min(axis=2), values[:, :, b].min(axis=2)


@pytest.mark.parametrize("common,only_a,only_b", [(80, 10, 10), (50, 30, 20), (30, 35, 35)])
def test_minhash_agreement_rate_estimates_jaccard(common: int, only_a: int, only_b: int) -> None:
    rng = np.random.default_rng(1)
    a, b = _sets_with_jaccard(common, only_a, only_b)
    sig_a, sig_b = _minhash_signatures(rng, trials=40, n_hashes=200, a=a, b=b)
    jaccard = common / (common + only_a + only_b)
    rate = float((sig_a == sig_b).mean())
    n = sig_a.size
    assert abs(rate - jaccard) < 5 * math.sqrt(jaccard * (1 - jaccard) / n)


@pytest.mark.parametrize("s_pct,bands,rows", [(80, 20, 5), (60, 20, 5), (75, 14, 8), (50, 10, 3), (90, 4, 10)])
def test_lsh_candidate_rate_matches_a_simulation(s_pct: int, bands: int, rows: int) -> None:
    rng = np.random.default_rng(s_pct * 1000 + bands * 10 + rows)
    common = s_pct  # 100-element union split so that Jaccard is exactly s_pct / 100
    rest = 100 - common
    a, b = _sets_with_jaccard(common, rest // 2, rest - rest // 2)
    trials = 3000
    sig_a, sig_b = _minhash_signatures(rng, trials, bands * rows, a, b)
    band_equal = (sig_a == sig_b).reshape(trials, bands, rows).all(axis=2)
    simulated = float(band_equal.any(axis=1).mean())
    got, extra = run("lsh_candidate_pct", s_pct=s_pct, bands=bands, rows=rows)
    p = got / 100
    assert abs(simulated - p) < 5 * math.sqrt(max(p * (1 - p), 1e-4) / trials) + 1e-3, (simulated, p)
    assert extra["n_hashes"] == bands * rows


def test_lsh_reproduces_the_near_dup_configuration_of_lee_et_al() -> None:
    # 9,000 hashes in 450 buckets of 20: a pair at Jaccard 0.8 is almost surely a candidate, one at 0.5 almost never
    high, extra = run("lsh_candidate_pct", s_pct=80, bands=450, rows=20)
    low, _ = run("lsh_candidate_pct", s_pct=50, bands=450, rows=20)
    assert high == pytest.approx(99.46, abs=0.01) and low < 0.05
    assert extra["threshold"] == pytest.approx(0.7368, abs=1e-4)


def test_candidate_probability_is_monotone_in_similarity() -> None:
    values = [run("lsh_candidate_pct", s_pct=s, bands=14, rows=8)[0] for s in range(0, 101, 5)]
    assert values == sorted(values) and values[0] == 0 and values[-1] == pytest.approx(100)


# --- Epochs over a mixture component ----------------------------------------------------------


def _walk_epochs(budget_tokens: int, share_pct: float, component_tokens: int) -> float:
    """Draw the component's share of a token budget by cycling through its tokens; count the passes."""
    drawn = round(budget_tokens * share_pct / 100)
    position, passes = 0, 0
    for _ in range(drawn):
        position += 1
        if position == component_tokens:
            position, passes = 0, passes + 1
    return passes + position / component_tokens


@pytest.mark.parametrize("budget,share,size", [(20000, 10, 500), (14000, 4.5, 257), (3000, 25, 2500), (1000, 2, 7)])
def test_mixture_epochs_match_a_token_walk(budget: int, share: float, size: int) -> None:
    got, extra = run("mixture_epochs", budget_b=budget, share_pct=share, size_b=size)
    assert got == pytest.approx(_walk_epochs(budget, share, size), rel=1e-9)
    assert extra["component_tokens_b"] == pytest.approx(budget * share / 100)


def test_mixture_epochs_reproduce_llama_wikipedia_row() -> None:
    # LLaMA Table 1: Wikipedia at 4.5 % of 1.4T tokens is 2.45 epochs, i.e. about 25.7B unique tokens
    got, _ = run("mixture_epochs", budget_b=1400, share_pct=4.5, size_b=63 / 2.45)
    assert got == pytest.approx(2.45, rel=1e-9)


def test_data_templates_use_these_generators_and_instantiate() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    mine = [t for t in bank.templates if t.topic == "data"]
    assert len(mine) >= 2
    assert {t.generator for t in mine} <= set(SAMPLE)
    for t in mine:
        for seed in range(20):
            q = instantiate(t, seed)
            assert math.isfinite(q.answer) and q.answer >= 0, (t.id, seed)
