"""Bank-wide checks: near-duplicate prompts and answer-letter spread."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from bigmodel_quiz.bank.quality import NEAR_DUPLICATE, _similar_pairs


def test_windowed_search_finds_exactly_the_all_pairs_result() -> None:
    rng = random.Random(0)
    words = "gradient tensor shard batch layer token cache memory ring reduce".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 30))) for _ in range(400)]
    texts += [t + "s" for t in texts[:50]] + [t[:-1] for t in texts[50:80] if len(t) > 20]
    brute = sorted(
        (i, j, int(fuzz.ratio(texts[i], texts[j])))
        for i in range(len(texts)) for j in range(i + 1, len(texts))
        if fuzz.ratio(texts[i], texts[j]) >= NEAR_DUPLICATE
    )
    found = _similar_pairs(texts)
    assert [(i, j) for i, j, _ in found] == [(i, j) for i, j, _ in brute]
    assert len(found) >= 50
