"""Cases for `early-stopping`: (best_epoch, stop_epoch) from a list of validation losses."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _case(name, losses, patience, min_delta=None, kind="deterministic", note="", **extra) -> Case:
    kwargs = {"val_losses": losses, "patience": patience}
    if min_delta is not None:
        kwargs["min_delta"] = min_delta
    return Case(name, kwargs, kind=kind, note=note, **extra)


def cases(seed: int) -> list[Case]:
    """Plateaus, never stopping, patience 1, ties, min_delta, one epoch, invalid input, random curves."""
    import numpy as np

    out = [
        _case(
            "plateau-then-stop",
            [1.0, 0.8, 0.7, 0.71, 0.72, 0.73, 0.74, 0.6],
            3,
            note="best at epoch 2; epochs 3, 4, 5 do not improve: stop at 5, before the 0.6",
        ),
        _case("never-stops", [1.0, 0.9, 0.8, 0.7, 0.6], 2, kind="edge", note="stop_epoch is the last epoch"),
        _case("patience-1", [0.5, 0.4, 0.45, 0.3], 1, kind="edge", note="the first bad epoch stops training"),
        _case(
            "ties-do-not-improve",
            [1.0, 0.9, 0.9, 0.9, 0.8],
            2,
            kind="edge",
            note="an equal loss is not an improvement: loss < best - min_delta",
        ),
        _case(
            "min-delta",
            [1.0, 0.95, 0.92, 0.91, 0.5],
            3,
            min_delta=0.1,
            kind="edge",
            note="gains smaller than min_delta do not count",
        ),
        _case(
            "min-delta-best-stays",
            [1.0, 0.85, 0.84, 0.83, 0.82, 0.81],
            3,
            min_delta=0.05,
            kind="edge",
            note="best_epoch is the last epoch that improved by more than min_delta, not the lowest loss",
        ),
        _case("single-epoch", [0.5], 3, kind="edge"),
        _case(
            "stops-on-last-epoch",
            [0.3, 0.4, 0.5],
            2,
            kind="edge",
            note="patience runs out exactly at the last epoch",
        ),
        _case(
            "improvement-resets-count",
            [1.0, 1.1, 1.2, 0.9, 1.0, 1.1, 1.2],
            3,
            kind="edge",
            note="epoch 3 improves and resets the count",
        ),
        _case("empty-raises", [], 3, kind="edge", raises="ValueError"),
        _case("patience-0-raises", [1.0, 0.9], 0, kind="edge", raises="ValueError"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(4):
        n = int(rng.integers(5, 41))
        t = np.arange(n)
        # A validation curve that falls, then rises again (overfitting), with noise; rounding
        # to 3 decimals produces ties.
        curve = 1.0 / (1.0 + 0.3 * t) + 0.004 * t * rng.uniform(0.5, 2.0) + rng.normal(0.0, 0.02, size=n)
        losses = [round(float(v), 3) for v in curve]
        patience = int(rng.integers(1, 6))
        min_delta = float(rng.choice([0.0, 0.001, 0.01]))
        out.append(_case(f"random-{i}", losses, patience, min_delta=min_delta, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=("best_epoch", "stop_epoch"))
