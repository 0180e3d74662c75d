"""Cases for `roc-auc`: the probability a positive outscores a negative, ties counting one half."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _case(name, y_true, scores, kind="deterministic", note="", **extra) -> Case:
    import numpy as np

    kwargs = {"y_true": np.asarray(y_true, dtype=np.int64), "scores": np.asarray(scores, dtype=float)}
    return Case(name, kwargs, kind=kind, note=note, **extra)


def cases(seed: int) -> list[Case]:
    """Perfect, inverted, tied and partly tied scores, one pair, invalid input, random scores."""
    import numpy as np

    out = [
        _case("basic", [0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7], note="8 of 9 pairs ordered: 8/9"),
        _case("perfect-separation", [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9], kind="edge", note="AUC 1"),
        _case("inverted", [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9], kind="edge", note="AUC 0"),
        _case("all-tied", [0, 1, 0, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5], kind="edge", note="every pair ties: AUC 1/2"),
        _case(
            "ties",
            [0, 1, 1, 0, 1, 0, 0, 1],
            [0.3, 0.3, 0.7, 0.7, 0.9, 0.1, 0.3, 0.5],
            kind="edge",
            note="positive/negative pairs with equal scores count one half",
        ),
        _case("one-pair", [1, 0], [0.2, 0.7], kind="edge"),
        _case("integer-like-scores-many-ties", [0, 0, 1, 1, 1, 0, 1, 0, 1, 1], [1, 2, 2, 3, 3, 1, 2, 3, 1, 3], kind="edge"),
        _case("unsorted-scores-with-negatives", [1, 0, 1, 0, 0, 1], [-2.0, -3.5, 4.0, 0.0, -2.0, 1.0], kind="edge"),
        _case("empty-raises", [], [], kind="edge", raises="ValueError"),
        _case(
            "only-negatives-raises", [0, 0, 0], [0.1, 0.5, 0.9], kind="edge", raises="ValueError",
            note="one class only",
        ),
        _case("only-positives-raises", [1, 1], [0.3, 0.6], kind="edge", raises="ValueError", note="one class only"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n = int(rng.integers(2, 400))
        y = rng.integers(0, 2, size=n)
        y[rng.choice(n, size=2, replace=False)] = [0, 1]  # both classes present
        scores = rng.normal(size=n) + 0.8 * y
        if i == 2:
            scores = np.round(scores, 1)  # heavy ties
        out.append(_case(f"random-{i}" + ("-tied" if i == 2 else ""), y, scores, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
