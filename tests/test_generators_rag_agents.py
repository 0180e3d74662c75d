"""The RAG-and-agents bank's generators, each checked against an independent computation.

PQ codes and HNSW memory are checked against the bytes of numpy arrays laid out as the indexes store
them (uint8 sub-codes packed per vector; float32 vectors plus int32 base-layer neighbour lists); the RRF
score against a fusion of two explicit ranked lists in exact fractions; recall@k against a brute-force
count over an explicit ranking.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

SAMPLE = {
    "pq_codes_gb": dict(n_millions=100, dim=768, m=64, nbits=8),
    "hnsw_flat_gb": dict(n_millions=10, dim=128, M=32),
    "rrf_score": dict(rank_a=1, rank_b=3, k=60),
    "recall_at_k_pct": dict(r1=2, r2=5, r3=9, n_relevant=4, k=5),
}

test_every_rag_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_rag_agents", SAMPLE)


# --- Product quantization: bytes of packed codes -------------------------------------------------


def _packed_code_bytes(n: int, m: int, nbits: int) -> int:
    """Pack n random codes of m sub-indices (nbits each) into a bit string per vector, as a PQ index stores them."""
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 2**nbits, size=(n, m))
    bits = ((codes[..., None] >> np.arange(nbits)) & 1).astype(np.uint8).reshape(n, m * nbits)
    return np.packbits(bits, axis=1).nbytes


@pytest.mark.parametrize(("dim", "m", "nbits"), [(768, 64, 8), (768, 96, 8), (128, 16, 8), (1024, 32, 4),
                                                 (384, 48, 10), (64, 8, 12)])
def test_pq_codes_match_packed_arrays(dim: int, m: int, nbits: int) -> None:
    n = 1000
    gb, extra = run("pq_codes_gb", n_millions=n / 1e6, dim=dim, m=m, nbits=nbits)
    packed = _packed_code_bytes(n, m, nbits)
    assert gb * 1e9 == pytest.approx(packed, rel=1e-12)
    raw = np.zeros((n, dim), dtype=np.float32).nbytes
    assert extra["float32_gb"] * 1e9 == pytest.approx(raw, rel=1e-12)
    assert extra["compression"] == pytest.approx(raw / packed)
    assert extra["code_bits"] == m * nbits == m * np.log2(2**nbits)


def test_pq_rejects_sub_quantizers_that_do_not_divide_the_dimension() -> None:
    with pytest.raises(ValueError):
        run("pq_codes_gb", n_millions=1, dim=100, m=64, nbits=8)


# --- HNSW: float32 vectors plus the base layer's 2·M int32 neighbour ids -----------------------------


@pytest.mark.parametrize(("dim", "M"), [(128, 32), (768, 16), (1536, 48), (96, 8)])
def test_hnsw_memory_matches_vector_and_link_arrays(dim: int, M: int) -> None:
    n = 500
    vectors = np.zeros((n, dim), dtype=np.float32)
    links = np.full((n, 2 * M), -1, dtype=np.int32)  # base layer: up to Mmax0 = 2·M neighbours per node
    gb, extra = run("hnsw_flat_gb", n_millions=n / 1e6, dim=dim, M=M)
    assert gb * 1e9 == pytest.approx(vectors.nbytes + links.nbytes, rel=1e-12)
    assert extra["overhead_pct"] == pytest.approx(100 * links.nbytes / vectors.nbytes)


# --- Reciprocal rank fusion: two explicit ranked lists -----------------------------------------------


def _fused(lists: list[list[str]], k: int) -> dict[str, Fraction]:
    scores: dict[str, Fraction] = {}
    for ranking in lists:
        for position, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, Fraction(0)) + Fraction(1, k + position)
    return scores


@pytest.mark.parametrize(("ra", "rb", "k"), [(1, 3, 60), (1, 1, 60), (5, 2, 60), (10, 20, 60), (2, 7, 10), (4, 4, 1)])
def test_rrf_matches_fusing_two_lists(ra: int, rb: int, k: int) -> None:
    size = 30
    list_a = [f"a{i}" for i in range(size)]
    list_b = [f"b{i}" for i in range(size)]
    list_a[ra - 1] = "target"
    list_b[rb - 1] = "target"
    fused = _fused([list_a, list_b], k)
    score, extra = run("rrf_score", rank_a=ra, rank_b=rb, k=k)
    assert score == pytest.approx(float(fused["target"]), rel=1e-12)
    assert extra["top_alone"] == pytest.approx(float(_fused([["solo"]], k)["solo"]), rel=1e-12)


def test_rrf_prefers_two_good_ranks_over_one_first_place() -> None:
    # k = 60 flattens rank differences: 3rd and 3rd beats 1st in one list alone
    both, extra = run("rrf_score", rank_a=3, rank_b=3, k=60)
    assert both > extra["top_alone"]


# --- Recall@k: brute force over an explicit ranking ----------------------------------------------------


@pytest.mark.parametrize(("r1", "r2", "r3", "n_rel", "k"), [(2, 5, 9, 4, 5), (1, 4, 9, 3, 10), (3, 8, 15, 6, 3),
                                                           (1, 2, 3, 3, 1), (2, 6, 12, 5, 20), (3, 4, 10, 8, 4)])
def test_recall_matches_brute_force(r1: int, r2: int, r3: int, n_rel: int, k: int) -> None:
    ranking = ["irrelevant"] * 50
    for r in (r1, r2, r3):
        ranking[r - 1] = "relevant"
    top = ranking[:k]
    hits = top.count("relevant")
    recall, extra = run("recall_at_k_pct", r1=r1, r2=r2, r3=r3, n_relevant=n_rel, k=k)
    assert recall == pytest.approx(100 * hits / n_rel)
    assert extra["hits"] == hits
    assert extra["precision_pct"] == pytest.approx(100 * hits / k)
    assert extra["reciprocal_rank"] == pytest.approx(1 / (ranking.index("relevant") + 1))


def test_recall_rejects_unordered_ranks_and_too_few_relevant() -> None:
    with pytest.raises(ValueError):
        run("recall_at_k_pct", r1=5, r2=2, r3=9, n_relevant=4, k=5)
    with pytest.raises(ValueError):
        run("recall_at_k_pct", r1=1, r2=2, r3=9, n_relevant=2, k=5)


# --- The shipped templates ----------------------------------------------------------------------------


def test_rag_templates_use_these_generators_and_instantiate() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    mine = [t for t in bank.templates if t.topic == "rag-agents"]
    assert len(mine) >= 2
    assert {t.generator for t in mine} <= set(SAMPLE)
    for t in mine:
        for seed in range(20):
            q = instantiate(t, seed)
            assert q.answer >= 0, (t.id, seed)
