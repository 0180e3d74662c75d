"""Answer generators of the RAG-and-agents bank's parametric templates (registered on import)."""

from __future__ import annotations

import math

from bigmodel_quiz.bank.generators import GB, POS, generator


@generator("pq_codes_gb", extras=("code_bits", "code_bytes", "float32_gb", "compression"),
           n_millions=(0, None), dim=POS, m=POS, nbits=(1, 16))
def pq_codes_gb(n_millions: float, dim: int, m: int, nbits: int) -> tuple[float, dict]:
    """Memory of product-quantization codes for N vectors, in GB (10⁹ bytes).

    Each vector is m sub-codes of nbits = log2(k*) bits: m·log2(k*) bits (Jégou et al. 2011, §II.B), stored
    as ceil(m·nbits/8) bytes as Faiss does. The extras compare with the float32 vectors (4·d bytes each).
    """
    if dim % m:
        raise ValueError(f"m = {m} must divide the dimension {dim}")
    bits = m * nbits
    code_bytes = math.ceil(bits / 8)
    n = n_millions * 1e6
    float32 = n * dim * 4
    return n * code_bytes / GB, {"code_bits": bits, "code_bytes": code_bytes, "float32_gb": float32 / GB,
                                 "compression": dim * 4 / code_bytes}


@generator("hnsw_flat_gb", extras=("bytes_per_vector", "vector_bytes", "link_bytes", "overhead_pct"),
           n_millions=(0, None), dim=POS, M=POS)
def hnsw_flat_gb(n_millions: float, dim: int, M: int) -> tuple[float, dict]:
    """Faiss's estimate of an IndexHNSWFlat's memory: (4·d + 2·M·4) bytes per vector, in GB (10⁹ bytes).

    The float32 vector (4·d bytes) plus the base layer's 2·M neighbour ids of 4 bytes (Mmax0 = 2·M,
    Malkov & Yashunin 2018, §4.1); the sparse upper layers are left out, as in the Faiss guideline.
    """
    vector = 4 * dim
    links = 2 * M * 4
    per = vector + links
    return n_millions * 1e6 * per / GB, {"bytes_per_vector": per, "vector_bytes": vector, "link_bytes": links,
                                         "overhead_pct": 100.0 * links / vector}


@generator("rrf_score", extras=("term_a", "term_b", "top_alone"), rank_a=POS, rank_b=POS, k=(0, None))
def rrf_score(rank_a: int, rank_b: int, k: float) -> tuple[float, dict]:
    """Reciprocal rank fusion of one document over two rankings: 1/(k + r_a) + 1/(k + r_b) (Cormack et al. 2009).

    ``top_alone`` is the score of a document ranked first in one list and missing from the other.
    """
    a, b = 1 / (k + rank_a), 1 / (k + rank_b)
    return a + b, {"term_a": a, "term_b": b, "top_alone": 1 / (k + 1)}


@generator("recall_at_k_pct", extras=("hits", "precision_pct", "reciprocal_rank"),
           r1=POS, r2=POS, r3=POS, n_relevant=POS, k=POS)
def recall_at_k_pct(r1: int, r2: int, r3: int, n_relevant: int, k: int) -> tuple[float, dict]:
    """Recall@k in percent when three of the query's ``n_relevant`` relevant documents sit at ranks r1 < r2 < r3.

    The others are not retrieved at all. Extras: relevant hits in the top k, precision@k in percent, and the
    reciprocal rank 1/r1 of the first relevant result (MRR's per-query term).
    """
    if not r1 < r2 < r3:
        raise ValueError(f"ranks must increase, got {r1}, {r2}, {r3}")
    if n_relevant < 3:
        raise ValueError(f"three relevant documents are ranked, so n_relevant must be at least 3, not {n_relevant}")
    hits = sum(r <= k for r in (r1, r2, r3))
    return 100.0 * hits / n_relevant, {"hits": hits, "precision_pct": 100.0 * hits / k, "reciprocal_rank": 1 / r1}
