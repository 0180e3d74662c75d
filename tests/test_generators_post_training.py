"""The post-training bank's generators, each checked against an independent computation.

The DPO loss and the PPO clipped surrogate are checked against torch (``logsigmoid``,
``clamp``), the GRPO advantage against the statistics module on the explicit reward vector,
and the best-of-n KL against the exact KL of best-of-n over a large discrete distribution,
enumerated outcome by outcome.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics

import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank import generators
from bigmodel_quiz.bank.answers import grade
from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import _draw, instantiate

try:
    import torch
except ImportError:  # pragma: no cover - exercised only without torch
    torch = None

NO_TORCH = "PyTorch is not installed: this check compares against torch.nn.functional"

SAMPLE = {
    "dpo_loss": dict(beta=0.1, policy_chosen=-50, ref_chosen=-52, policy_rejected=-48, ref_rejected=-47),
    "grpo_advantage": dict(group_size=8, n_correct=3),
    "bon_kl_nats": dict(n=16),
    "ppo_clip_objective": dict(ratio=1.5, advantage=2.0, eps=0.2),
}

test_every_post_training_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_post_training", SAMPLE)
TEMPLATES = {"pt-tpl-dpo-loss": "dpo_loss", "pt-tpl-grpo-advantage": "grpo_advantage",
             "pt-tpl-bon-kl": "bon_kl_nats", "pt-tpl-ppo-clip": "ppo_clip_objective"}


# --- DPO loss against torch ---------------------------------------------------------------


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize("beta", [0.05, 0.1, 0.5, 2.0])
def test_dpo_loss_matches_torch_logsigmoid(beta: float) -> None:
    F = torch.nn.functional
    grid = [-300.0, -61.5, -50.0, -47.0, -12.25, -1.0]
    for pw, rw, pl, rl in itertools.product(grid, repeat=4):
        policy = torch.tensor([pw, pl], dtype=torch.float64)
        ref = torch.tensor([rw, rl], dtype=torch.float64)
        logratio = policy - ref
        expected = -F.logsigmoid(beta * (logratio[0] - logratio[1])).item()
        got, extra = run("dpo_loss", beta=beta, policy_chosen=pw, ref_chosen=rw, policy_rejected=pl,
                         ref_rejected=rl)
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert extra["margin"] == pytest.approx(beta * (logratio[0] - logratio[1]).item())


def test_dpo_loss_is_log_2_when_the_policy_is_the_reference() -> None:
    got, extra = run("dpo_loss", beta=0.1, policy_chosen=-40, ref_chosen=-40, policy_rejected=-35, ref_rejected=-35)
    assert got == pytest.approx(math.log(2)) and extra["margin"] == 0


# --- GRPO advantage against the reward vector ---------------------------------------------


@pytest.mark.parametrize("group_size", [2, 4, 8, 16, 64])
def test_grpo_advantage_matches_normalising_the_reward_vector(group_size: int) -> None:
    for n_correct in range(1, group_size):
        rewards = [1.0] * n_correct + [0.0] * (group_size - n_correct)
        mean, std = statistics.fmean(rewards), statistics.pstdev(rewards)
        got, extra = run("grpo_advantage", group_size=group_size, n_correct=n_correct)
        assert got == pytest.approx((1.0 - mean) / std)
        assert extra["wrong_advantage"] == pytest.approx((0.0 - mean) / std)
        normalised = [(r - mean) / std for r in rewards]  # the whole group: mean 0, population std 1
        assert statistics.fmean(normalised) == pytest.approx(0, abs=1e-12)
        assert statistics.pstdev(normalised) == pytest.approx(1)


@pytest.mark.parametrize("n_correct", [0, 8])
def test_grpo_advantage_refuses_a_group_without_signal(n_correct: int) -> None:
    with pytest.raises(ValueError):
        run("grpo_advantage", group_size=8, n_correct=n_correct)


# --- Best-of-n KL against an enumerated best-of-n distribution ----------------------------


def _enumerated_bon_kl(n: int, outcomes: int) -> float:
    """KL of best-of-n over ``outcomes`` equally likely responses with distinct rewards.

    The best of n draws is the k-th ranked response with probability (k/M)^n − ((k−1)/M)^n.
    """
    m = outcomes
    kl = 0.0
    for k in range(1, m + 1):
        p = (k / m) ** n - ((k - 1) / m) ** n
        if p > 0:
            kl += p * math.log(p * m)
    return kl


@pytest.mark.parametrize("n", [1, 2, 4, 16, 64, 1000])
def test_bon_kl_matches_the_enumerated_distribution(n: int) -> None:
    got, extra = run("bon_kl_nats", n=n)
    assert got == pytest.approx(_enumerated_bon_kl(n, 200_000), abs=2e-3)
    assert extra["log_n"] == pytest.approx(math.log(n))
    assert got <= math.log(n)


# --- PPO clipped surrogate against torch ---------------------------------------------------


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
def test_ppo_clip_matches_torch_clamp() -> None:
    ratios = [0.3, 0.5, 0.79, 0.8, 0.95, 1.0, 1.1, 1.2, 1.21, 1.6, 3.0]
    for ratio, adv, eps in itertools.product(ratios, [-2.0, -0.5, 0.5, 2.0], [0.1, 0.2, 0.3]):
        r = torch.tensor(ratio, dtype=torch.float64)
        a = torch.tensor(adv, dtype=torch.float64)
        expected = torch.minimum(r * a, torch.clamp(r, 1 - eps, 1 + eps) * a).item()
        got, _ = run("ppo_clip_objective", ratio=ratio, advantage=adv, eps=eps)
        assert got == pytest.approx(expected)


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
def test_ppo_clip_gradient_vanishes_exactly_where_the_objective_is_clipped() -> None:
    for ratio, adv in itertools.product([0.5, 0.9, 1.1, 1.5], [-1.0, 1.0]):
        r = torch.tensor(ratio, dtype=torch.float64, requires_grad=True)
        obj = torch.minimum(r * adv, torch.clamp(r, 0.8, 1.2) * adv)
        obj.backward()
        _, extra = run("ppo_clip_objective", ratio=ratio, advantage=adv, eps=0.2)
        clipped_wins = extra["clipped"] < extra["unclipped"]
        assert (r.grad.item() == 0) == clipped_wins, (ratio, adv)


# --- The shipped templates ------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates():
    bank, problems = load()
    assert [str(p) for p in problems] == []
    return {t.id: t for t in bank.templates if t.topic == "post-training"}


def test_the_bank_ships_its_templates(templates) -> None:
    assert {tid: t.generator for tid, t in templates.items()} == TEMPLATES


@pytest.mark.parametrize("tid", sorted(TEMPLATES))
def test_template_instantiates_and_accepts_its_answer(templates, tid: str) -> None:
    t = templates[tid]
    answers = set()
    for seed in range(30):
        q = instantiate(t, seed)
        assert grade(q, repr(q.answer)).correct, (tid, seed, q.answer)
        for lang in ("en", "zh"):
            assert "{" not in q.prompt[lang] and "{" not in q.explanation[lang], (tid, lang)
        answers.add(round(q.answer, 9))
    assert len(answers) > 5


def _drawn(template, seed: int) -> dict:
    """The parameters ``instantiate`` draws for ``seed`` (same generator, same order)."""
    rng = random.Random(f"{template.id}:{seed}")
    return {p.name: _draw(p, rng) for p in template.params}


@pytest.mark.parametrize("tid,slip", [
    # forgetting β: the loss of the raw log-ratio margin
    ("pt-tpl-dpo-loss", lambda e, a: -math.log(1 / (1 + math.exp(-e["margin"] / e["beta"])))),
    # best-of-n KL taken as log n
    ("pt-tpl-bon-kl", lambda e, a: e["log_n"]),
    # the unclipped surrogate ρ·A
    ("pt-tpl-ppo-clip", lambda e, a: e["unclipped"]),
])
def test_tolerance_rejects_the_classic_slip(templates, tid: str, slip) -> None:
    t = templates[tid]
    gen = generators.get(t.generator)
    rejected = 0
    for seed in range(80):
        q = instantiate(t, seed)
        values = _drawn(t, seed)
        answer, extra = gen(**values)
        assert answer == q.answer
        wrong = slip({**values, **extra}, answer)
        if not math.isclose(wrong, answer, rel_tol=1e-9, abs_tol=1e-12):
            assert not grade(q, repr(float(wrong))).correct, (tid, values, answer, wrong)
            rejected += 1
    assert rejected > 10
