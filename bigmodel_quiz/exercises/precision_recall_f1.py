"""Cases for `precision-recall-f1`: binary, micro and macro averages, 0/0 handled as 0."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _case(name, y_true, y_pred, average=None, kind="deterministic", note="", **extra) -> Case:
    import numpy as np

    kwargs = {"y_true": np.asarray(y_true, dtype=np.int64), "y_pred": np.asarray(y_pred, dtype=np.int64)}
    if average is not None:
        kwargs["average"] = average
    return Case(name, kwargs, kind=kind, note=note, **extra)


def cases(seed: int) -> list[Case]:
    """Binary with and without 0/0, micro, macro (labels present only), invalid input, random labels."""
    import numpy as np

    out = [
        _case("binary-basic", [1, 0, 1, 1, 0, 0, 1, 0], [1, 1, 0, 1, 0, 0, 1, 1], note="average defaults to 'binary'"),
        _case(
            "binary-imbalanced",
            [0] * 16 + [1] * 4,
            [0] * 14 + [1, 1] + [1, 0, 0, 0],
            average="binary",
            note="accuracy is 0.75 but F1 only 2/7: the many true negatives do not count",
        ),
        _case(
            "binary-no-predicted-positives",
            [1, 0, 1, 0],
            [0, 0, 0, 0],
            average="binary",
            kind="edge",
            note="precision is 0/0, which counts as 0",
        ),
        _case(
            "binary-no-actual-positives",
            [0, 0, 0, 0],
            [0, 1, 0, 0],
            average="binary",
            kind="edge",
            note="recall is 0/0, which counts as 0",
        ),
        _case("binary-all-correct", [0, 1, 1, 0, 1], [0, 1, 1, 0, 1], average="binary", kind="edge"),
        _case("micro-multiclass", [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 2, 1, 1, 0], average="micro"),
        _case("macro-multiclass", [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 2, 1, 1, 0], average="macro"),
        _case(
            "macro-f1-not-f1-of-means",
            [0, 0, 0, 0, 1, 1, 2, 2, 2, 2],
            [0, 0, 1, 1, 1, 2, 2, 2, 2, 2],
            average="macro",
            kind="edge",
            note="macro F1 is the mean of per-label F1, not 2PR/(P+R) of the macro P and R",
        ),
        _case(
            "macro-label-only-predicted",
            [0, 0, 1, 1, 1],
            [0, 3, 1, 1, 0],
            average="macro",
            kind="edge",
            note="label 3 is predicted but never true: it counts, with recall 0/0 = 0",
        ),
        _case(
            "macro-label-gaps",
            [0, 2, 5, 5, 2, 0],
            [0, 2, 5, 2, 2, 5],
            average="macro",
            kind="edge",
            note="labels 1, 3, 4 appear nowhere: only the labels present are averaged",
        ),
        _case("micro-label-only-predicted", [0, 0, 1, 1, 1], [0, 3, 1, 1, 0], average="micro", kind="edge"),
        _case("empty-raises", [], [], average="binary", kind="edge", raises="ValueError"),
        _case("unknown-average-raises", [0, 1, 1], [0, 1, 0], average="weighted", kind="edge", raises="ValueError"),
    ]
    rng = np.random.default_rng(seed)
    for average in ("binary", "micro", "macro"):
        n = int(rng.integers(1, 60))
        k = 2 if average == "binary" else int(rng.integers(2, 7))
        y_true = rng.integers(0, k, size=n)
        # Mostly right, sometimes wrong: realistic, and every ratio is exercised.
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, k, size=n))
        out.append(_case(f"random-{average}", y_true, y_pred, average=average, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=("precision", "recall", "f1"))
