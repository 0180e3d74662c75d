"""Cases for `pipeline-1f1b`: warm-up of min(p − s − 1, M) forwards, then one forward / one backward, then cool-down."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _schedule(num_stages, num_microbatches, stage, *, warmup=None, backward_first=False):
    p, m = num_stages, num_microbatches
    w = min(p - stage - 1, m) if warmup is None else max(0, min(warmup(p, stage), m))
    ops = [("F", i) for i in range(w)]
    for i in range(m - w):
        pair = [("F", w + i), ("B", i)]
        ops += pair[::-1] if backward_first else pair
    return ops + [("B", i) for i in range(m - w, m)]


def _gpipe(num_stages, num_microbatches, stage):
    return [("F", i) for i in range(num_microbatches)] + [("B", i) for i in range(num_microbatches)]


def _gpipe_reversed(num_stages, num_microbatches, stage):
    return [("F", i) for i in range(num_microbatches)] + [("B", i) for i in reversed(range(num_microbatches))]


MISTAKES = (
    ("all forwards first (GPipe order): every micro-batch's forward before any backward keeps M activations"
     " alive on every stage; 1F1B runs only min(p − s − 1, M) warm-up forwards, then alternates one forward and"
     " one backward, so a stage holds at most p − s micro-batches", _gpipe),
    ("all forwards first (GPipe order), backwards in reverse: 1F1B runs min(p − s − 1, M) warm-up forwards,"
     " then alternates one forward and one backward, micro-batches in increasing order", _gpipe_reversed),
    ("warm-up off by one: stage s runs min(p − s − 1, M) forwards before the steady phase (the last stage"
     " none), not p − s", lambda num_stages, num_microbatches, stage: _schedule(
        num_stages, num_microbatches, stage, warmup=lambda p, s: p - s)),
    ("warm-up off by one: stage s runs min(p − s − 1, M) forwards before the steady phase, not p − s − 2",
     lambda num_stages, num_microbatches, stage: _schedule(num_stages, num_microbatches, stage,
                                                           warmup=lambda p, s: p - s - 2)),
    ("warm-up counted from the wrong end: stage 0 (the first) has the most warm-up forwards, p − 1, and the"
     " last stage none (min(p − s − 1, M))", lambda num_stages, num_microbatches, stage: _schedule(
        num_stages, num_microbatches, stage, warmup=lambda p, s: s)),
    ("the steady phase runs the backward before the forward; after the warm-up each step is one forward,"
     " then one backward", lambda num_stages, num_microbatches, stage: _schedule(
        num_stages, num_microbatches, stage, backward_first=True)),
)


def _as_ops(got):
    """``got`` as a list of (str, int) tuples, or None when it is something else."""
    if not isinstance(got, (list, tuple)):
        return None
    out = []
    for item in got:
        if (not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[0], str)
                or isinstance(item[1], bool) or not isinstance(item[1], int)):
            return None
        out.append((item[0], item[1]))
    return out


def difference(expected: list, got: list) -> str | None:
    """Where two operation lists first differ, in words (None when equal)."""
    for i, (e, g) in enumerate(zip(expected, got)):
        if e != g:
            agree = "" if i == 0 else " (operation 0 agrees)" if i == 1 else f" (operations 0–{i - 1} agree)"
            return f"operation {i}: expected {e!r}, got {g!r}{agree}"
    if len(got) != len(expected):
        return f"expected {len(expected)} operations (an F and a B per micro-batch), got {len(got)}"
    return None


def check_ops(case: Case, got, expected) -> str | None:
    """Exact equality of the operation lists; a wrong list is matched against the known mistakes."""
    ops = _as_ops(got)
    if ops is None:
        sample = repr(got)[:120]
        return f"expected a list of (\"F\" or \"B\", micro-batch int) tuples, got {sample}"
    want = [tuple(op) for op in expected]
    problem = difference(want, ops)
    if problem is None:
        return None
    where = f" (stage {case.kwargs['stage']} of {case.kwargs['num_stages']}, {case.kwargs['num_microbatches']} micro-batches)"
    for label, variant in MISTAKES:
        if variant(**case.kwargs) == ops:
            return f"{label}\n{problem}{where}"
    return problem + where


def cases(seed: int) -> list[Case]:
    """Every stage of p = 4, M = 8; fewer micro-batches than stages; one stage; one micro-batch; invalid."""
    import numpy as np

    c = check_ops
    out = [Case(f"p4-m8-stage-{s}", {"num_stages": 4, "num_microbatches": 8, "stage": s}, check=c,
                note=f"{3 - s} warm-up forward{'' if s == 2 else 's'}") for s in range(4)]
    out += [
        Case("p4-m2-stage-0", {"num_stages": 4, "num_microbatches": 2, "stage": 0}, kind="edge", check=c,
             note="M < p − s − 1: the warm-up is capped at M, every backward comes after every forward"),
        Case("p4-m2-stage-2", {"num_stages": 4, "num_microbatches": 2, "stage": 2}, kind="edge", check=c,
             note="M < p: one warm-up forward"),
        Case("p4-m3-stage-0", {"num_stages": 4, "num_microbatches": 3, "stage": 0}, kind="edge", check=c,
             note="M = p − s − 1: no steady phase"),
        Case("one-stage", {"num_stages": 1, "num_microbatches": 3, "stage": 0}, kind="edge", check=c,
             note="p = 1: F0 B0 F1 B1 F2 B2"),
        Case("one-microbatch", {"num_stages": 3, "num_microbatches": 1, "stage": 1}, kind="edge", check=c,
             note="M = 1: F0 then B0"),
        Case("p8-m16-stage-3", {"num_stages": 8, "num_microbatches": 16, "stage": 3}, check=c,
             note="a deeper pipeline"),
        Case("stage-out-of-range", {"num_stages": 4, "num_microbatches": 8, "stage": 4}, kind="edge",
             raises="ValueError", note="stage ≥ num_stages"),
        Case("negative-stage", {"num_stages": 4, "num_microbatches": 8, "stage": -1}, kind="edge",
             raises="ValueError", note="stage < 0"),
        Case("no-stages", {"num_stages": 0, "num_microbatches": 8, "stage": 0}, kind="edge", raises="ValueError",
             note="num_stages < 1"),
        Case("no-microbatches", {"num_stages": 4, "num_microbatches": 0, "stage": 0}, kind="edge",
             raises="ValueError", note="num_microbatches < 1"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(4):
        p = int(rng.integers(1, 10))
        m = int(rng.integers(1, 3 * p + 2))
        s = int(rng.integers(0, p))
        out.append(Case(f"random-{i}", {"num_stages": p, "num_microbatches": m, "stage": s}, kind="random",
                        seed=seed, check=c, note=f"p = {p}, M = {m}, stage {s}"))
    return out


SPEC = ExerciseSpec(cases=cases)
