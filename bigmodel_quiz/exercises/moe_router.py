"""Cases for `moe-router`: top-k experts (ties to the lower index), softmax over the k selected, aux loss."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("experts", "weights", "aux_loss")


def _softmax(z):
    import numpy as np

    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def _route(logits, k, *, ties_high=False, weights_over_all=False, f_per_token=False, p_from_weights=False,
           no_e_factor=False):
    """The router with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    t, e = logits.shape
    if ties_high:  # a stable ascending sort, reversed: equal logits come out higher index first
        experts = np.argsort(logits, axis=-1, kind="stable")[:, ::-1][:, :k]
    else:
        experts = np.argsort(-logits, axis=-1, kind="stable")[:, :k]
    probs = _softmax(logits)
    if weights_over_all:
        weights = np.take_along_axis(probs, experts, -1)
    else:
        weights = _softmax(np.take_along_axis(logits, experts, -1))
    f = np.bincount(experts.ravel(), minlength=e) / (t if f_per_token else t * k)
    if p_from_weights:
        dense = np.zeros_like(probs)
        np.put_along_axis(dense, experts, weights, -1)
        p = dense.mean(0)
    else:
        p = probs.mean(0)
    return experts, weights, float((1 if no_e_factor else e) * np.sum(f * p))


def _variant(**knobs):
    def run(logits, k):
        return _route(logits, k, **knobs)

    return run


MISTAKES = (
    ("ties go to the higher index: among equal logits the lower expert index must be chosen (and listed) first;"
     " a reversed ascending argsort breaks ties the wrong way — sort by −logit with a stable sort",
     _variant(ties_high=True)),
    ("weights are the softmax over all E experts gathered at the selected ones; they must be a softmax over"
     " the k selected logits only (so each row sums to 1)", _variant(weights_over_all=True)),
    ("f_e counts assignments per token (divided by T); it is the share of the T·k assignments (divided by T·k)",
     _variant(f_per_token=True)),
    ("P_e averages the top-k weights; it is the mean over tokens of the full softmax(logits)[e]",
     _variant(p_from_weights=True)),
    ("the aux loss is missing its factor E (E·Σ f_e·P_e is 1 for perfectly uniform routing)",
     _variant(no_e_factor=True)),
)
CHECK = checker(MISTAKES, names=NAMES)


def cases(seed: int) -> list[Case]:
    """k = 1, k = E, ties inside and across the top-k boundary, huge logits, one token, invalid k."""
    import numpy as np

    fixed = np.random.default_rng(601)
    c = CHECK
    ties = np.array([[1.0, 3.0, 3.0, 0.0], [3.0, 1.0, 3.0, 3.0], [2.0, 2.0, 2.0, 2.0], [0.5, -1.0, 0.5, 2.0]])
    out = [
        Case("top-2-of-4", {"logits": fixed.normal(size=(6, 4)), "k": 2}, check=c, note="T=6, E=4, k=2"),
        Case("top-2-of-8", {"logits": fixed.normal(size=(16, 8)) * 2.0, "k": 2}, check=c, note="T=16, E=8 (Mixtral's shape)"),
        Case("top-1", {"logits": fixed.normal(size=(5, 4)), "k": 1}, kind="edge", check=c,
             note="k = 1 (Switch): every weight is 1"),
        Case("k-equals-E", {"logits": fixed.normal(size=(4, 3)), "k": 3}, kind="edge", check=c,
             note="k = E: every expert, weights = the full softmax"),
        Case("ties", {"logits": ties, "k": 2}, kind="edge", check=c,
             note="equal logits inside and across the top-k boundary: the lower index first"),
        Case("all-equal", {"logits": np.zeros((3, 5)), "k": 3}, kind="edge", check=c,
             note="every logit equal: experts 0, 1, 2 with weight 1/3 each"),
        Case("huge-logits", {"logits": fixed.normal(size=(4, 6)) * 1e4, "k": 2}, kind="edge", check=c,
             note="logits of magnitude 1e4: stable softmaxes"),
        Case("one-token", {"logits": fixed.normal(size=(1, 4)), "k": 2}, kind="edge", check=c, note="T = 1"),
        Case("k-zero", {"logits": fixed.normal(size=(3, 4)), "k": 0}, kind="edge", raises="ValueError", note="k < 1"),
        Case("k-above-E", {"logits": fixed.normal(size=(3, 4)), "k": 5}, kind="edge", raises="ValueError", note="k > E"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        t, e = int(rng.integers(1, 20)), int(rng.integers(1, 10))
        k = int(rng.integers(1, e + 1))
        logits = rng.normal(size=(t, e))
        if i == 2:  # rounded logits: ties happen
            logits = np.round(logits)
        out.append(Case(f"random-{i}", {"logits": logits, "k": k}, kind="random", seed=seed, check=c,
                        note=f"T={t}, E={e}, k={k}"))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=NAMES)
