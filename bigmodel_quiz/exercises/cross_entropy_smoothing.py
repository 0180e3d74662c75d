"""Cases for `cross-entropy-smoothing`: torch's cross_entropy with label_smoothing and ignore_index, mean reduction."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _ce(logits, targets, label_smoothing=0.0, ignore_index=-100, *, smooth_rows="kept", smooth_over="kept",
        nll_over="kept", other_classes=False, naive=False):
    """Cross-entropy with knobs for the classic mistakes (defaults: the contract).

    ``smooth_rows="all"`` sums the smoothing term over every row, ignored ones included;
    ``smooth_over`` / ``nll_over`` = "all" divide a term by N instead of by the kept rows.
    """
    import numpy as np

    n, c = logits.shape
    keep = targets != ignore_index
    if naive:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            e = np.exp(logits)
            logp = np.log(e / e.sum(axis=1, keepdims=True))
    else:
        z = logits - logits.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    safe = np.where(keep, targets, 0)
    picked = -logp[np.arange(n), safe]
    nll = np.where(keep, picked, 0.0).sum() / (n if nll_over == "all" else keep.sum())
    if other_classes:  # ε/(C−1) on every class but the target
        rest = -logp.sum(axis=1) - picked
        per_row = rest / (c - 1) if c > 1 else np.zeros(n)
        smooth = np.where(keep, per_row, 0.0).sum() / keep.sum()
        return float((1 - label_smoothing) * nll + label_smoothing * smooth)
    uniform = -logp.sum(axis=1)
    rows = uniform if smooth_rows == "all" else np.where(keep, uniform, 0.0)
    smooth = rows.sum() / (n if smooth_over == "all" else keep.sum())
    return float((1 - label_smoothing) * nll + label_smoothing / c * smooth)


def _variant(**knobs):
    def run(logits, targets, label_smoothing=0.0, ignore_index=-100):
        return _ce(logits, targets, label_smoothing, ignore_index, **knobs)

    return run


_IGNORED = ("label smoothing also counts ignored targets: rows whose target is ignore_index must be left out of"
            " the smoothing term too (torch masks them in both terms and divides both by the number of kept"
            " targets)")
MISTAKES = (
    (_IGNORED, _variant(smooth_rows="all")),
    (_IGNORED, _variant(smooth_rows="all", smooth_over="all")),
    ("ignored targets counted in the mean: divide by the number of targets that are not ignore_index, not by N",
     _variant(nll_over="all", smooth_over="all")),
    ("smoothing spread as ε/(C−1) over the other classes; torch (and the contract) spreads ε/C over all C"
     " classes, the target included", _variant(other_classes=True)),
    ("log-softmax computed as log(softmax): it overflows or takes log 0 for large logits; subtract the row max"
     " and use x − max − log Σ exp(x − max)", _variant(naive=True)),
)
CHECK = checker(MISTAKES)


def _inputs(rng, n: int, c: int, *, smoothing: float = 0.1, ignore=(), ignore_index: int | None = None,
            scale: float = 2.0) -> dict:
    targets = rng.integers(0, c, size=n)
    ig = -100 if ignore_index is None else ignore_index
    for i in ignore:
        targets[i] = ig
    out = {"logits": rng.normal(size=(n, c)) * scale, "targets": targets, "label_smoothing": smoothing}
    if ignore_index is not None:
        out["ignore_index"] = ignore_index
    return out


def cases(seed: int) -> list[Case]:
    """Smoothing with and without ignored rows, a custom ignore_index, ε = 0 and 1, C = 1, huge logits, errors."""
    import numpy as np

    fixed = np.random.default_rng(1512)
    c = CHECK
    no_smoothing = _inputs(fixed, 6, 5, smoothing=0.0, ignore=(1, 4))
    defaults = _inputs(fixed, 5, 4)
    del defaults["label_smoothing"]
    huge = _inputs(fixed, 4, 6, smoothing=0.2, ignore=(2,), scale=1e3)
    out = [
        Case("smoothing-with-ignored", _inputs(fixed, 8, 5, ignore=(1, 5, 6)), check=c,
             note="ε = 0.1, 3 of 8 targets ignored (-100)"),
        Case("smoothing-0.3", _inputs(fixed, 6, 10, smoothing=0.3, ignore=(0,)), check=c, note="ε = 0.3, C = 10"),
        Case("no-ignored", _inputs(fixed, 5, 7, smoothing=0.1), check=c, note="nothing ignored"),
        Case("no-smoothing", no_smoothing, check=c, note="ε = 0: plain cross-entropy over the kept targets"),
        Case("defaults", defaults, kind="edge", check=c, note="label_smoothing = 0, ignore_index = -100 by default"),
        Case("custom-ignore-index", _inputs(fixed, 7, 4, smoothing=0.15, ignore=(0, 3), ignore_index=2), kind="edge",
             check=c, note="ignore_index = 2, a valid class: every target 2 is ignored"),
        Case("full-smoothing", _inputs(fixed, 5, 3, smoothing=1.0, ignore=(2,)), kind="edge", check=c,
             note="ε = 1: only the uniform term is left"),
        Case("one-class", _inputs(fixed, 3, 1, smoothing=0.1, ignore=(1,)), kind="edge", check=c,
             note="C = 1: every loss is 0"),
        Case("one-kept-target", _inputs(fixed, 4, 5, smoothing=0.1, ignore=(0, 1, 2)), kind="edge", check=c,
             note="a single target kept"),
        Case("huge-logits", huge, kind="edge", check=c, note="logits of magnitude 1e3: a stable log-softmax"),
        Case("all-ignored", _inputs(fixed, 3, 4, ignore=(0, 1, 2)), kind="edge", raises="ValueError",
             note="every target ignored: the mean is undefined"),
        Case("target-out-of-range", {**_inputs(fixed, 3, 4), "targets": np.array([0, 4, 1])}, kind="edge",
             raises="ValueError", note="target 4 with C = 4"),
        Case("negative-target", {**_inputs(fixed, 3, 4), "targets": np.array([0, -1, 1])}, kind="edge",
             raises="ValueError", note="target −1 that is not ignore_index"),
        Case("smoothing-above-1", _inputs(fixed, 3, 4, smoothing=1.5), kind="edge", raises="ValueError",
             note="label_smoothing > 1"),
        Case("negative-smoothing", _inputs(fixed, 3, 4, smoothing=-0.1), kind="edge", raises="ValueError",
             note="label_smoothing < 0"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, k = int(rng.integers(2, 20)), int(rng.integers(2, 12))
        ignore = tuple(int(j) for j in rng.choice(n, size=int(rng.integers(0, n)), replace=False))
        eps = float(np.round(rng.uniform(0, 0.5), 3))
        out.append(Case(f"random-{i}", _inputs(rng, n, k, smoothing=eps, ignore=ignore), kind="random", seed=seed,
                        check=c, note=f"N={n}, C={k}, ε={eps}, {len(ignore)} ignored"))
    return out


SPEC = ExerciseSpec(cases=cases)
