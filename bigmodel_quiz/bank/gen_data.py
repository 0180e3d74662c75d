"""Answer generators of the training-data bank's parametric templates (registered on import)."""

from __future__ import annotations

from bigmodel_quiz.bank.generators import POS, generator


def candidate_probability(s: float, bands: int, rows: int) -> float:
    """P(a pair with Jaccard similarity s shares at least one band): 1 − (1 − s^r)^b."""
    return 1 - (1 - s ** rows) ** bands


@generator("lsh_candidate_pct", extras=("s", "band_match", "miss_all", "threshold", "n_hashes"),
           s_pct=(0, 100), bands=POS, rows=POS)
def lsh_candidate_pct(s_pct: float, bands: int, rows: int) -> tuple[float, dict]:
    """Chance, in percent, that MinHash-LSH with b bands of r rows makes a pair of Jaccard s a candidate."""
    s = s_pct / 100
    band = s ** rows
    return 100 * candidate_probability(s, bands, rows), {
        "s": s, "band_match": band, "miss_all": (1 - band) ** bands,
        "threshold": (1 / bands) ** (1 / rows), "n_hashes": bands * rows}


@generator("mixture_epochs", extras=("component_tokens_b",),
           budget_b=(0, None), share_pct=(0, 100), size_b=(0, None))
def mixture_epochs(budget_b: float, share_pct: float, size_b: float) -> tuple[float, dict]:
    """Passes over a component that gets share_pct % of a budget_b-token run and holds size_b unique tokens."""
    seen = budget_b * share_pct / 100
    return seen / size_b, {"component_tokens_b": seen}
