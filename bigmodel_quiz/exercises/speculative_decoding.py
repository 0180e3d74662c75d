"""speculative-decoding: the acceptance rule of speculative sampling, with the randomness given.

With ``u`` and ``u_resample`` fixed the emitted tokens are determined, so every case is
compared token by token with the reference; the checker replays the classic slips
(resampling from p_target instead of the residual, no bonus token, carrying on after a
rejection, the ratio upside down) to name the one a wrong answer matches.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _dist(rng, shape: tuple[int, ...], alpha: float = 1.0) -> Any:
    return rng.dirichlet([alpha] * shape[-1], size=shape[:-1]) if len(shape) > 1 else rng.dirichlet([alpha] * shape[0])


def _random_case(rng, k: int, v: int) -> dict[str, Any]:
    import numpy as np

    p_draft, p_target = _dist(rng, (k, v)), _dist(rng, (k + 1, v))
    draft = np.array([rng.choice(v, p=p_draft[i]) for i in range(k)], dtype=np.int64)
    return {"draft_tokens": draft, "p_draft": p_draft, "p_target": p_target, "u": rng.random(k),
            "u_resample": float(rng.random())}


def cases(seed: int) -> list[Case]:
    """All accepted (bonus token), a rejection at each position, K = 0, ratio above 1, rounding at the draw."""
    import numpy as np

    fixed = np.random.default_rng(71)
    base = _random_case(fixed, 3, 6)
    all_accepted = {**base, "u": np.zeros(3)}  # u = 0 < every positive ratio
    pt, pd = base["p_target"], base["p_draft"]
    first_bad = int(np.argmax(pd[0] - pt[0]))  # drafted where the draft over-covers the target: ratio < 1
    reject_first = {**base, "draft_tokens": np.array([first_bad, *base["draft_tokens"][1:]]), "u": np.array([0.999, 0.0, 0.0])}
    second_bad = int(np.argmax(pd[1] - pt[1]))
    reject_second = {**base, "draft_tokens": np.array([base["draft_tokens"][0], second_bad, base["draft_tokens"][2]]),
                     "u": np.array([0.0, 0.999, 0.0]), "u_resample": 0.35}
    hand = {  # the residual [0.4, 0, 0] (renormalised: token 0) against p_target's draw (token 1 at u 0.6)
        "draft_tokens": np.array([1]), "p_draft": np.array([[0.1, 0.6, 0.3]]),
        "p_target": np.array([[0.5, 0.2, 0.3], [0.25, 0.25, 0.5]]), "u": np.array([0.5]), "u_resample": 0.6,
    }
    above_one = {
        "draft_tokens": np.array([2, 0]), "p_draft": np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]),
        "p_target": np.array([[0.1, 0.1, 0.8], [0.7, 0.2, 0.1], [0.3, 0.3, 0.4]]), "u": np.array([0.99, 0.99]),
        "u_resample": 0.5,
    }
    rounding = {
        "draft_tokens": np.array([], dtype=np.int64), "p_draft": np.zeros((0, 4)),
        "p_target": np.array([[0.1, 0.2, 0.7, 0.0]]), "u": np.zeros(0), "u_resample": float(np.nextafter(1.0, 0.0)),
    }
    k0 = _random_case(fixed, 0, 5)
    out = [
        Case("all-accepted-bonus-token", all_accepted, note="K = 3, every draft accepted: 3 tokens and a bonus from p_target[3]"),
        Case("reject-first", reject_first, note="the first draft is rejected: one token from the residual, the rest dropped"),
        Case("reject-second", reject_second, note="accept, reject, drop"),
        Case("residual-not-target", hand, kind="edge",
             note="rejected: max(0, p_target − p_draft) = [0.4, 0, 0] gives token 0; p_target itself would give 1"),
        Case("ratio-above-1", above_one, kind="edge", note="p_target[x] ≥ p_draft[x]: accepted whatever u < 1"),
        Case("K-0", k0, kind="edge", note="no draft: just the bonus token"),
        Case("draw-rounding", rounding, kind="edge",
             note="u_resample just below 1: the draw never picks a zero-probability token"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(4):
        k, v = int(rng.integers(0, 6)), int(rng.integers(2, 9))
        out.append(Case(f"random-{i}", _random_case(rng, k, v), kind="random", seed=seed, note=f"K = {k}, V = {v}"))
    return [Case(c.name, c.kwargs, kind=c.kind, seed=c.seed, check=check_tokens, note=c.note) for c in out]


# ----------------------------------------------------------------------------- grader side


def accept_np(draft_tokens: Any, p_draft: Any, p_target: Any, u: Any, u_resample: float, *, resample: str = "residual",
              bonus: bool = True, stop_at_reject: bool = True, ratio_inverted: bool = False) -> list[int]:
    """The rule as the statement gives it, or one of the classic slips."""
    import numpy as np

    def draw(p: Any) -> int:
        above = np.flatnonzero(np.cumsum(p) > u_resample)
        nonzero = np.flatnonzero(p > 0)
        return int(above[0]) if above.size else int(nonzero[-1]) if nonzero.size else len(p) - 1

    out: list[int] = []
    for i, x in enumerate(int(t) for t in draft_tokens):
        ratio = p_draft[i, x] / p_target[i, x] if ratio_inverted else p_target[i, x] / p_draft[i, x]
        if u[i] < min(1.0, ratio):
            out.append(x)
            continue
        if resample == "target":
            out.append(draw(p_target[i]))
        else:
            residual = np.maximum(p_target[i] - p_draft[i], 0.0)
            out.append(draw(residual / residual.sum()))
        if stop_at_reject:
            return out
    if bonus and len(out) == len(draft_tokens):
        out.append(draw(p_target[len(draft_tokens)]))
    return out


SLIPS: list[tuple[dict[str, Any], str]] = [
    ({"resample": "target"},
     "after a rejection the token was drawn from p_target instead of the residual normalise(max(0, p_target − "
     "p_draft)): the residual is what makes the emitted token follow p_target exactly (the accepted drafts already "
     "cover min(p_draft, p_target))"),
    ({"bonus": False},
     "no bonus token: when all K drafts are accepted, draw one more token from p_target[K] (so a step emits K + 1)"),
    ({"stop_at_reject": False},
     "the drafts after a rejection were still considered: at the first rejection emit the resampled token and "
     "drop the rest (they were drafted after a token that is no longer there)"),
    ({"ratio_inverted": True}, "the acceptance ratio is upside down: accept when u < min(1, p_target[x] / p_draft[x])"),
]


def check_tokens(case: Case, got: Any, expected: Any) -> str | None:
    """The emitted tokens, exactly; a recognised slip named."""
    if not isinstance(got, (list, tuple)):
        return f"expected a list of token ids, got {type(got).__name__}"
    try:
        tokens = [int(t) for t in got]
    except (TypeError, ValueError):
        return f"expected a list of int token ids, got {got!r:.80}"
    if any(isinstance(t, float) and not float(t).is_integer() for t in got):
        return f"token ids must be integers, got {list(got)!r:.80}"
    want = [int(t) for t in expected]
    if tokens == want:
        return None
    msg = f"expected tokens {want}, got {tokens}"
    for flags, why in SLIPS:
        variant = accept_np(**case.kwargs, **flags)
        if variant != want and variant == tokens:
            return f"{msg}: {why}"
    return msg


SPEC = ExerciseSpec(cases=cases)
