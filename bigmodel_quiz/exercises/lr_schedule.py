"""Cases for `lr-schedule`: linear warm-up from 0, cosine decay from max_lr to min_lr, min_lr after the end."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _lr(step, max_lr, warmup_steps, total_steps, min_lr=0.0, *, warm_plus_one=False, warm_minus_one=False,
        cos_short=False, cos_from_zero=False, cos_over_total=False, no_min_lr=False):
    """The schedule with knobs for the classic mistakes (defaults: the contract)."""
    import math

    if step < warmup_steps:
        if warm_plus_one:
            return max_lr * (step + 1) / warmup_steps
        if warm_minus_one:
            return max_lr * step / (warmup_steps - 1)
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return 0.0 if no_min_lr else float(min_lr)
    span = total_steps - warmup_steps
    progress = (step - warmup_steps) / span
    if cos_short:
        progress = min(1.0, (step - warmup_steps) / (span - 1))
    if cos_from_zero:
        progress = min(1.0, step / span)
    if cos_over_total:
        progress = step / total_steps
    low = 0.0 if no_min_lr else min_lr
    return low + 0.5 * (max_lr - low) * (1.0 + math.cos(math.pi * progress))


def _variant(**knobs):
    def run(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
        return _lr(step, max_lr, warmup_steps, total_steps, min_lr, **knobs)

    return run


MISTAKES = (
    ("warmup off by one: during warm-up the rate is max_lr·step/warmup_steps, so step 0 trains at 0 and step"
     " warmup_steps is the first at max_lr; max_lr·(step + 1)/warmup_steps reaches max_lr one step early",
     _variant(warm_plus_one=True)),
    ("warmup off by one: dividing by warmup_steps − 1 reaches max_lr one step early; the rate is"
     " max_lr·step/warmup_steps", _variant(warm_minus_one=True)),
    ("cosine reaches min_lr too early: the decay spans total_steps − warmup_steps steps, so progress ="
     " (step − warmup_steps)/(total_steps − warmup_steps) is still below 1 at step total_steps − 1; dividing by"
     " one step fewer hits min_lr a step early", _variant(cos_short=True)),
    ("cosine reaches min_lr too early: progress must be counted from the end of warm-up, (step −"
     " warmup_steps)/(total_steps − warmup_steps), not step/(total_steps − warmup_steps)",
     _variant(cos_from_zero=True)),
    ("cosine progress measured over the whole run (step/total_steps): the decay must start at max_lr when"
     " warm-up ends, progress = (step − warmup_steps)/(total_steps − warmup_steps)", _variant(cos_over_total=True)),
    ("min_lr ignored: the cosine decays from max_lr to min_lr (min_lr + ½(max_lr − min_lr)(1 + cos …)) and the"
     " rate stays at min_lr after total_steps", _variant(no_min_lr=True)),
)
CHECK = checker(MISTAKES, rtol=1e-9, atol=1e-15)

_RUN = {"max_lr": 3e-4, "warmup_steps": 10, "total_steps": 110, "min_lr": 3e-5}


def cases(seed: int) -> list[Case]:
    """Steps around both boundaries of a 10 + 100 step schedule, no warm-up, warm-up only, invalid args."""
    import numpy as np

    c = CHECK
    out = [Case(f"step-{s}", {"step": s, **_RUN}, kind=k, check=c, note=n) for s, k, n in [
        (0, "edge", "the first step of warm-up trains at 0"),
        (1, "deterministic", "warm-up: max_lr/10"),
        (5, "deterministic", "half way through warm-up"),
        (9, "edge", "the last warm-up step: 0.9·max_lr"),
        (10, "edge", "warm-up over: exactly max_lr"),
        (11, "deterministic", "the first decay step"),
        (60, "deterministic", "half way through the decay: (max_lr + min_lr)/2"),
        (100, "deterministic", "late in the decay"),
        (109, "edge", "the last step before total_steps: still above min_lr"),
        (110, "edge", "step = total_steps: min_lr"),
        (1000, "edge", "long after the end: min_lr"),
    ]]
    out += [
        Case("no-warmup-step-0", {"step": 0, "max_lr": 1.0, "warmup_steps": 0, "total_steps": 4}, kind="edge",
             check=c, note="warmup_steps = 0: the schedule starts at max_lr"),
        Case("no-warmup-step-3", {"step": 3, "max_lr": 1.0, "warmup_steps": 0, "total_steps": 4}, kind="edge",
             check=c, note="the last step of a 4-step cosine: (1 + cos(3π/4))/2"),
        Case("warmup-only", {"step": 7, "max_lr": 2.0, "warmup_steps": 8, "total_steps": 8, "min_lr": 0.5},
             kind="edge", check=c, note="warmup_steps = total_steps: no decay phase"),
        Case("warmup-only-end", {"step": 8, "max_lr": 2.0, "warmup_steps": 8, "total_steps": 8, "min_lr": 0.5},
             kind="edge", check=c, note="warmup_steps = total_steps, step = total_steps: min_lr"),
        Case("min-equals-max", {"step": 30, "max_lr": 0.1, "warmup_steps": 5, "total_steps": 50, "min_lr": 0.1},
             kind="edge", check=c, note="min_lr = max_lr: a constant rate after warm-up"),
    ]
    bad: list[tuple[str, dict[str, float]]] = [("negative-step", {"step": -1}), ("negative-max-lr", {"max_lr": -1e-3}),
           ("negative-warmup", {"warmup_steps": -1}), ("negative-min-lr", {"min_lr": -1e-6}),
           ("warmup-beyond-total", {"warmup_steps": 200}), ("min-above-max", {"min_lr": 1e-3})]
    out += [Case(name, {"step": 5, **_RUN, **change}, kind="edge", raises="ValueError", note=name.replace("-", " "))
            for name, change in bad]
    rng = np.random.default_rng(seed)
    for i in range(4):
        warmup = int(rng.integers(0, 50))
        total = warmup + int(rng.integers(1, 500))
        max_lr = float(10.0 ** rng.uniform(-5, -1))
        min_lr = float(max_lr * rng.choice([0.0, 0.1, rng.uniform(0, 1)]))
        step = int(rng.integers(0, total + 20)) if i else int(rng.integers(0, max(warmup, 1)))
        args = {"step": step, "max_lr": max_lr, "warmup_steps": warmup, "total_steps": total, "min_lr": min_lr}
        out.append(Case(f"random-{i}", args, kind="random", seed=seed, check=c,
                        note=f"step {step} of warm-up {warmup}, total {total}"))
    return out


SPEC = ExerciseSpec(cases=cases)
