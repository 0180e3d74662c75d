"""Cases for `dpo-loss`: −log σ of the reward margin, rewards measured against the reference model."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("loss", "chosen_rewards", "rejected_rewards")


def _dpo(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1, *, sign=1.0, with_ref=True,
         naive=False, beta_outside=False):
    """DPO with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    if with_ref:
        chosen, rejected = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    else:
        chosen, rejected = policy_chosen, policy_rejected
    b = 1.0 if beta_outside else beta
    margin = sign * b * (chosen - rejected)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        losses = -np.log(1 / (1 + np.exp(-margin))) if naive else np.logaddexp(0.0, -margin)
    if beta_outside:
        losses = beta * losses
    return float(losses.mean()), beta * chosen, beta * rejected


def _variant(**knobs):
    def run(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
        return _dpo(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta, **knobs)

    return run


MISTAKES = (
    ("the sign of the margin is flipped: the loss is −log σ(β·(chosen log-ratio − rejected log-ratio)); with the"
     " sign flipped, minimising it prefers the rejected answer", _variant(sign=-1.0)),
    ("the reference terms are missing: each reward is β·(log π(y|x) − log π_ref(y|x)), the policy's log-probability"
     " minus the reference model's", _variant(with_ref=False)),
    ("β applied outside the log-sigmoid: the loss is −log σ(β·margin), not β·(−log σ(margin))",
     _variant(beta_outside=True)),
    ("−log σ(z) computed as −log(1/(1 + exp(−z))) overflows for margins in the thousands: use"
     " log(1 + e^(−z)) = np.logaddexp(0, −z)", _variant(naive=True)),
)
CHECK = checker(MISTAKES, names=NAMES)


def _inputs(rng, n: int, beta: float = 0.1, spread: float = 1.0) -> dict:
    base_c, base_r = rng.normal(-40.0, 10.0, size=n), rng.normal(-40.0, 10.0, size=n)
    return {
        "policy_chosen": base_c + rng.normal(size=n) * spread,
        "policy_rejected": base_r + rng.normal(size=n) * spread,
        "ref_chosen": base_c + rng.normal(size=n) * spread,
        "ref_rejected": base_r + rng.normal(size=n) * spread,
        "beta": beta,
    }


def cases(seed: int) -> list[Case]:
    """Typical batches, β values, policy = reference, one pair, margins of ±1e4, random."""
    import numpy as np

    fixed = np.random.default_rng(2305)
    c = CHECK
    same = _inputs(fixed, 4)
    same["policy_chosen"], same["policy_rejected"] = same["ref_chosen"].copy(), same["ref_rejected"].copy()
    default_beta = _inputs(fixed, 5)
    del default_beta["beta"]
    huge = {"policy_chosen": np.array([-1.0, -1e4, -5.0, -2e4]), "policy_rejected": np.array([-1e4, -1.0, -5.0, -1.0]),
            "ref_chosen": np.array([-3.0, -2.0, -5.0, -1.0]), "ref_rejected": np.array([-2.0, -3.0, -5.0, -1.0]),
            "beta": 1.0}
    out = [
        Case("batch-beta-0.1", _inputs(fixed, 8), check=c, note="N=8, β=0.1"),
        Case("default-beta", default_beta, check=c, note="β defaults to 0.1"),
        Case("beta-0.5", _inputs(fixed, 6, beta=0.5, spread=3.0), check=c, note="β=0.5, larger log-ratios"),
        Case("policy-equals-reference", same, kind="edge", check=c,
             note="π = π_ref: every reward 0 and the loss log 2"),
        Case("one-pair", _inputs(fixed, 1, beta=0.2), kind="edge", check=c, note="N = 1"),
        Case("huge-margins", huge, kind="edge", check=c,
             note="log-probability differences of ±1e4: finite loss (−log σ(−1e4) ≈ 1e4, −log σ(1e4) ≈ 0)"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n = int(rng.integers(1, 33))
        beta = float(rng.choice([0.01, 0.1, 0.3, 1.0]))
        out.append(Case(f"random-{i}", _inputs(rng, n, beta, spread=float(rng.choice([0.5, 2.0, 10.0]))),
                        kind="random", seed=seed, check=c, note=f"N={n}, β={beta}"))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=NAMES)
