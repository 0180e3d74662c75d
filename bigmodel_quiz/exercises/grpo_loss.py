"""Cases for `grpo-loss`: advantages normalised within each group (population std), PPO's clipped surrogate."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _grpo(logp_new, logp_old, rewards, group_size, clip_eps=0.2, eps=1e-4, *, ddof=0, grouped=True,
          clip=True, pessimistic=True, zero_flat=True, eps_inside=False):
    """GRPO with knobs for the classic mistakes (defaults: the contract)."""
    import warnings

    import numpy as np

    groups = rewards.reshape(-1, group_size) if grouped else rewards.reshape(1, -1)
    mean = groups.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # ddof=1 on a group of one
        if eps_inside:
            adv = (groups - mean) / np.sqrt(groups.var(axis=1, ddof=ddof, keepdims=True) + eps)
        else:
            adv = (groups - mean) / (groups.std(axis=1, ddof=ddof, keepdims=True) + eps)
    if zero_flat:
        adv = np.where(groups.max(axis=1, keepdims=True) == groups.min(axis=1, keepdims=True), 0.0, adv)
    adv = adv.ravel()
    ratio = np.exp(logp_new - logp_old)
    clipped = np.clip(ratio, 1 - clip_eps, 1 + clip_eps) if clip else ratio
    pick = np.minimum if pessimistic else np.maximum
    with np.errstate(invalid="ignore"):
        return float(-pick(ratio * adv, clipped * adv).mean())


def _variant(**knobs):
    def run(logp_new, logp_old, rewards, group_size, clip_eps=0.2, eps=1e-4):
        if len(rewards) % group_size:
            return None
        return _grpo(logp_new, logp_old, rewards, group_size, clip_eps, eps, **knobs)

    return run


MISTAKES = (
    ("advantages use the sample std (ddof=1); the contract divides by the group's population std (ddof=0,"
     " NumPy's default; torch's .std() is the sample std unless unbiased=False / correction=0)", _variant(ddof=1)),
    ("advantages are not grouped: mean and std must be taken within each group of group_size consecutive"
     " completions of one prompt, not over the whole batch", _variant(grouped=False)),
    ("a group whose rewards are all equal must get advantage exactly 0; (r − mean) is rounding noise there and"
     " dividing it by std + eps blows it up", _variant(zero_flat=False)),
    ("eps added inside the square root (√(var + eps)); the contract divides by std + eps",
     _variant(eps_inside=True)),
    ("the ratio is not clipped: the surrogate is min(ratio·A, clip(ratio, 1 − ε, 1 + ε)·A)", _variant(clip=False)),
    ("max instead of min: PPO's surrogate takes the pessimistic min(ratio·A, clip(ratio)·A)",
     _variant(pessimistic=False)),
)
CHECK = checker(MISTAKES)


def _inputs(rng, n_groups: int, group_size: int, *, binary: bool = False, drift: float = 0.3, **extra) -> dict:
    import numpy as np

    n = n_groups * group_size
    old = rng.normal(-30.0, 5.0, size=n)
    rewards = rng.integers(0, 2, size=n).astype(float) if binary else np.round(rng.normal(size=n), 2)
    return {"logp_new": old + rng.normal(size=n) * drift, "logp_old": old, "rewards": rewards,
            "group_size": group_size, **extra}


def cases(seed: int) -> list[Case]:
    """Several groups, 0/1 rewards, flat groups, clipping both ways, group_size 1 and N, invalid sizes, random."""
    import numpy as np

    fixed = np.random.default_rng(2402)
    c = CHECK
    flat = _inputs(fixed, 3, 4)
    flat["rewards"][4:8] = 0.1
    flat3 = _inputs(fixed, 3, 3, eps=0.0)
    flat3["rewards"][3:6] = 0.1  # the mean of three 0.1 is 0.10000000000000002: r − mean is rounding noise
    out = [
        Case("two-groups-of-4", _inputs(fixed, 2, 4), check=c, note="N=8, group_size=4"),
        Case("binary-rewards", _inputs(fixed, 4, 8, binary=True), check=c,
             note="0/1 correctness rewards, 4 prompts × 8 completions"),
        Case("unequal-group-means", {**_inputs(fixed, 2, 3), "rewards": np.array([0.0, 1.0, 2.0, 10.0, 12.0, 17.0])},
             check=c, note="groups on different scales: normalising over the batch mixes them"),
        Case("flat-group", flat, kind="edge", check=c, note="one group's rewards all 0.1: its advantages exactly 0"),
        Case("flat-group-eps-0", flat3, kind="edge", check=c,
             note="eps = 0 and a group of three rewards 0.1 (their mean is not exactly 0.1): advantages exactly 0"),
        Case("all-flat", {**_inputs(fixed, 2, 3), "rewards": np.ones(6)}, kind="edge", check=c,
             note="every group flat: loss 0"),
        Case("clipping", _inputs(fixed, 2, 4, drift=1.0, clip_eps=0.1), kind="edge", check=c,
             note="ratios far from 1, clip_eps = 0.1: both sides of the clip matter"),
        Case("on-policy", {**_inputs(fixed, 2, 4), "logp_new": None}, kind="edge", check=c,
             note="logp_new = logp_old: ratio 1 and the loss −mean(A) = 0"),
        Case("group-size-1", _inputs(fixed, 5, 1), kind="edge", check=c,
             note="group_size = 1: every group flat, loss 0 (the sample std would be NaN)"),
        Case("one-group", _inputs(fixed, 1, 6, eps=1e-6), kind="edge", check=c, note="group_size = N, eps = 1e-6"),
        Case("not-divisible", _inputs(fixed, 2, 3) | {"group_size": 4}, kind="edge", raises="ValueError",
             note="N = 6 is not divisible by group_size = 4"),
        Case("group-size-0", _inputs(fixed, 2, 3) | {"group_size": 0}, kind="edge", raises="ValueError",
             note="group_size < 1"),
    ]
    on_policy = next(case for case in out if case.name == "on-policy")
    on_policy.kwargs["logp_new"] = on_policy.kwargs["logp_old"].copy()
    rng = np.random.default_rng(seed)
    for i in range(3):
        g, size = int(rng.integers(1, 6)), int(rng.integers(2, 9))
        out.append(Case(f"random-{i}", _inputs(rng, g, size, binary=bool(i % 2), drift=float(rng.choice([0.1, 0.5]))),
                        kind="random", seed=seed, check=c, note=f"{g} groups of {size}"))
    return out


SPEC = ExerciseSpec(cases=cases)
