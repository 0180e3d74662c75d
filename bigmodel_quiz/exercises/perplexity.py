"""Cases for `perplexity`: exp of the mean token NLL, with and without a padding mask."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _log_probs(rng, shape):
    import numpy as np

    # Log-probabilities of target tokens: between log(1e-4) and log(1).
    return np.log(rng.uniform(1e-4, 1.0, size=shape))


def cases(seed: int) -> list[Case]:
    """Uniform predictions, no mask, padding masks, one token, certainty, invalid input, random."""
    import numpy as np

    fixed = np.random.default_rng(31)
    padded = _log_probs(fixed, (3, 6))
    lengths = np.array([6, 2, 4])
    pad_mask = np.arange(6)[None, :] < lengths[:, None]  # right padding
    ragged = _log_probs(fixed, (2, 5))
    ragged_mask = np.array([[True] * 5, [True, False, False, False, False]])
    out = [
        Case(
            "uniform-over-50", {"log_probs": np.full((2, 4), np.log(1 / 50))},
            note="uniform over 50 tokens: perplexity 50",
        ),
        Case("no-mask", {"log_probs": _log_probs(fixed, (3, 5))}, note="mask omitted: every position counts"),
        Case("mask-none", {"log_probs": _log_probs(fixed, (2, 3)), "mask": None}, kind="edge"),
        Case(
            "padding-mask", {"log_probs": padded, "mask": pad_mask}, kind="edge",
            note="padded positions do not count",
        ),
        Case(
            "uneven-lengths-token-mean",
            {"log_probs": ragged, "mask": ragged_mask},
            kind="edge",
            note="the mean runs over tokens (6 here), not over sequences",
        ),
        Case("single-token", {"log_probs": np.array([[np.log(0.25)]])}, kind="edge", note="perplexity 4"),
        Case("certain-model", {"log_probs": np.zeros((2, 3))}, kind="edge", note="every p = 1: perplexity 1"),
        Case(
            "mask-all-false-raises",
            {"log_probs": _log_probs(fixed, (2, 3)), "mask": np.zeros((2, 3), dtype=bool)},
            kind="edge",
            raises="ValueError",
        ),
        Case("empty-raises", {"log_probs": np.zeros((0, 4))}, kind="edge", raises="ValueError"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, t = int(rng.integers(1, 8)), int(rng.integers(1, 30))
        mask = rng.random((n, t)) < 0.8
        mask[0, 0] = True  # at least one token
        out.append(Case(f"random-{i}", {"log_probs": _log_probs(rng, (n, t)), "mask": mask}, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
