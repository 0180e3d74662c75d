"""beam-search: beam search over a bigram model, compared beam by beam with the reference.

The checker also recomputes every returned beam's score from the model and names the
classic slips: extending a finished beam past eos, dropping finished beams, breaking
ties the other way.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-9, 1e-12


def _model(rng, v: int, peaked: float = 1.0) -> dict[str, Any]:
    import numpy as np

    def logp(shape: tuple[int, ...]) -> Any:
        z = rng.normal(size=shape) * peaked
        z -= z.max(axis=-1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))

    return {"start_logp": logp((v,)), "trans_logp": logp((v, v))}


def _c(name: str, model: dict[str, Any], width: int, max_len: int, eos: int, kind: str = "deterministic",
       note: str = "", seed: int | None = None) -> Case:
    return Case(name, {**model, "beam_width": width, "max_len": max_len, "eos_id": eos}, kind=kind, seed=seed,
                check=check_beams, note=note)


def cases(seed: int) -> list[Case]:
    """Widths 1 to exhaustive, early eos, equal scores, a zero-probability transition, random models."""
    import numpy as np

    fixed = np.random.default_rng(61)
    eos_heavy = _model(fixed, 4)
    eos_heavy["start_logp"] = np.log(np.array([0.5, 0.3, 0.15, 0.05]))  # eos (0) is the likeliest first token
    eos_heavy["trans_logp"][:, 0] += 1.5  # and likely after every token
    eos_heavy["trans_logp"] -= np.log(np.exp(eos_heavy["trans_logp"]).sum(axis=1, keepdims=True))
    uniform = {"start_logp": np.full(3, np.log(1 / 3)), "trans_logp": np.full((3, 3), np.log(1 / 3))}
    blocked = _model(fixed, 4)
    blocked["trans_logp"][:, 2] = -np.inf  # token 2 can never follow another token
    all_eos = {"start_logp": np.log(np.array([0.7, 0.2, 0.1])), "trans_logp": np.log(np.full((3, 3), 1 / 3))}
    out = [
        _c("width-2-len-4", _model(fixed, 5), 2, 4, 0, note="V=5, eos=0"),
        _c("greedy-width-1", _model(fixed, 6), 1, 5, 3, note="width 1 is greedy decoding"),
        _c("width-3-len-3", _model(fixed, 4, peaked=2.0), 3, 3, 1),
        _c("finished-beams-carried", eos_heavy, 3, 5, 0, kind="edge",
           note="eos is likely: finished beams compete with the extensions and are never extended"),
        _c("all-finished-stops-early", all_eos, 1, 6, 0, kind="edge",
           note="the only beam emits eos at step 1: the search stops with [0]"),
        _c("exhaustive-width", _model(fixed, 3), 27, 3, 2, kind="edge",
           note="width 27 ≥ every hypothesis: nothing is pruned"),
        _c("max-len-1", _model(fixed, 5), 3, 1, 0, kind="edge", note="one step: the best first tokens"),
        _c("equal-scores", uniform, 2, 3, 0, kind="edge",
           note="uniform model: every candidate ties; the smaller token list ranks first"),
        _c("zero-probability-transition", blocked, 4, 3, 1, kind="edge",
           note="a transition of probability 0 (log-probability -inf)"),
        _c("width-above-V", _model(fixed, 3), 5, 3, 1, kind="edge", note="width 5 > V = 3"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        v = int(rng.integers(2, 7))
        out.append(_c(f"random-{i}", _model(rng, v, peaked=float(rng.uniform(0.5, 3.0))), int(rng.integers(1, 5)),
                      int(rng.integers(1, 6)), int(rng.integers(0, v)), kind="random", seed=seed))
    return out


# ----------------------------------------------------------------------------- grader side


def _score(kw: dict[str, Any], tokens: list[int]) -> float:
    s = float(kw["start_logp"][tokens[0]])
    for a, b in zip(tokens, tokens[1:]):
        s += float(kw["trans_logp"][a, b])
    return s


def beams_np(kw: dict[str, Any], larger_first: bool = False) -> list[tuple[list[int], float]]:
    """The statement's search; ``larger_first`` breaks equal scores the other way (a slip)."""
    start, trans = kw["start_logp"], kw["trans_logp"]
    eos, width, max_len = kw["eos_id"], kw["beam_width"], kw["max_len"]

    def rank(cands: list[tuple[list[int], float]]) -> list[tuple[list[int], float]]:
        ordered = sorted(cands, key=lambda b: b[0], reverse=larger_first)
        return sorted(ordered, key=lambda b: -b[1])[:width]  # stable: ties keep the token-list order

    beams = rank([([t], float(start[t])) for t in range(len(start))])
    while True:
        growing = [b for b in beams if b[0][-1] != eos]
        if not growing or len(growing[0][0]) >= max_len:
            return beams
        cands = [b for b in beams if b[0][-1] == eos]
        for tokens, score in growing:
            cands += [(tokens + [t], score + float(trans[tokens[-1], t])) for t in range(len(start))]
        beams = rank(cands)


def _parse(got: Any) -> tuple[list[tuple[list[int], float]] | None, str]:
    if not isinstance(got, (list, tuple)):
        return None, f"expected a list of (tokens, score) pairs, got {type(got).__name__}"
    beams = []
    for i, item in enumerate(got):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            return None, f"beam {i} is not a (tokens, score) pair: {item!r:.80}"
        tokens, score = item
        try:
            tokens = [int(t) for t in tokens]
            score = float(score)
        except (TypeError, ValueError):
            return None, f"beam {i}: tokens must be a list of ints and the score a float, got {item!r:.80}"
        if not tokens:
            return None, f"beam {i} has no tokens"
        beams.append((tokens, score))
    return beams, ""


def _same_score(a: float, b: float) -> bool:
    import math

    return a == b or (math.isfinite(a) and math.isfinite(b) and math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL))


def check_beams(case: Case, got: Any, expected: Any) -> str | None:
    """Beam by beam: tokens, then scores; a slip named where one is recognised."""
    kw = case.kwargs
    eos, v = kw["eos_id"], len(kw["start_logp"])
    beams, problem = _parse(got)
    if beams is None:
        return problem
    want = [(list(t), float(s)) for t, s in expected]
    for i, (tokens, score) in enumerate(beams):
        if any(not 0 <= t < v for t in tokens):
            return f"beam {i} {tokens} holds a token outside 0..{v - 1}"
        if eos in tokens[:-1]:
            return (f"kept extending a finished beam: beam {i} {tokens} goes on after eos_id {eos} (position "
                    f"{tokens.index(eos)}): a beam that emits eos is finished; carry it over unchanged "
                    "and only extend the unfinished ones")
        if len(tokens) > kw["max_len"]:
            return f"beam {i} {tokens} has {len(tokens)} tokens, more than max_len = {kw['max_len']}"
        true = _score(kw, tokens)
        if not _same_score(score, true):
            return (f"beam {i} {tokens} has score {score:.10g}, but its log-probabilities sum to {true:.10g}: "
                    "the score is start_logp[t0] + Σ trans_logp[t_i, t_(i+1)], with no length penalty")
    if [b[0] for b in beams] == [w[0] for w in want]:
        return None
    if [b[0] for b in beams] == [t for t, _ in beams_np(kw, larger_first=True)]:
        return (f"expected {_show(want)}, got {_show(beams)}: equal scores were ranked with the larger token list "
                "first; break ties by the smaller token list in Python list order (sort by (-score, tokens), not "
                "by (score, tokens) with reverse=True)")
    msg = (f"expected {len(want)} beams {_show(want)}, got {len(beams)} {_show(beams)}")
    got_finished = sum(b[0][-1] == eos for b in beams)
    want_finished = sum(w[0][-1] == eos for w in want)
    if sorted(map(tuple, (b[0] for b in beams))) == sorted(map(tuple, (w[0] for w in want))):
        return msg + (": the same beams in another order: rank by score, highest first, and equal scores by the "
                      "token list in Python list order (smaller first)")
    if want_finished > got_finished and all(b[0][-1] != eos for b in beams):
        return msg + (": finished beams were dropped: a beam that emitted eos stays among the candidates of every "
                      "later step and competes with the extensions")
    if len(beams) != len(want):
        return msg + f": keep beam_width = {kw['beam_width']} beams (fewer only when fewer candidates exist)"
    return msg


def _show(beams: list[tuple[list[int], float]]) -> str:
    shown = ", ".join(f"{t} {s:.4g}" for t, s in beams[:4])
    return f"[{shown}{', …' if len(beams) > 4 else ''}]"


SPEC = ExerciseSpec(cases=cases)
