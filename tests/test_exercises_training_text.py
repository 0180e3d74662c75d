"""Content tests for the tokenization, post-training and loss/backward exercises (bpe-train,
bpe-encode, lora-linear, dpo-loss, grpo-loss, cross-entropy-smoothing, layer-norm-backward).

Each reference is checked against an independent computation: brute-force BPE written another
way (occurrence by occurrence, restarting from the top of the merge list), PyTorch's own
`cross_entropy(label_smoothing=, ignore_index=)`, `nn.Linear`, `layer_norm` with autograd,
TRL-style DPO and GRPO formulas written here in torch (skipped with a reason when torch is
absent), and finite differences. The statements' examples are recomputed, and every named
mistake is shown to be recognised by its exercise's checker.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from exercise_helpers import reference, same_input, same_kwargs, spec_of, torch_or_skip, valid_cases

EXERCISES = ["bpe-train", "bpe-encode", "lora-linear", "dpo-loss", "grpo-loss", "cross-entropy-smoothing",
             "layer-norm-backward"]


# ---------------------------------------------------------------------------------------
# The cases themselves: the reference passes them in-process, ValueErrors where named,
# inputs untouched, seeded random cases.


@pytest.mark.parametrize("seed", [0, 2024])
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_reference_satisfies_its_cases(exercise_id, seed):
    module, fn = spec_of(exercise_id), reference(exercise_id)
    cases = module.SPEC.cases(seed)
    assert len({c.name for c in cases}) == len(cases)
    assert {c.kind for c in cases} >= {"edge", "random"}
    for case in cases:
        kwargs = copy.deepcopy(case.kwargs)
        if case.raises:
            with pytest.raises(ValueError):
                fn(**kwargs)
            continue
        got = fn(**kwargs)
        expected = fn(**copy.deepcopy(case.kwargs))
        assert case.check is not None, case.name
        assert case.check(case, got, expected) is None, case.name
        for name, value in case.kwargs.items():
            assert same_input(value, kwargs[name]), f"{case.name}: reference modified {name}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_random_cases_follow_the_seed(exercise_id):
    module = spec_of(exercise_id)
    first, again, other = module.SPEC.cases(7), module.SPEC.cases(7), module.SPEC.cases(8)
    rand = [(a, b) for a, b in zip(first, again) if a.kind == "random"]
    assert rand and all(a.seed == 7 for a, _ in rand)
    assert all(same_kwargs(a.kwargs, b.kwargs) for a, b in rand)
    assert not all(same_kwargs(a.kwargs, b.kwargs) for a, b in zip(first, other) if a.kind == "random")


# ---------------------------------------------------------------------------------------
# BPE: brute force, written another way.


def _brute_bpe_train(text, num_merges):
    """Every occurrence of every word kept separately (no frequency table); pairs found by scanning."""
    corpus = [list(word) for word in text.split()]
    merges = []
    for _ in range(num_merges):
        candidates = {(s[i], s[i + 1]) for s in corpus for i in range(len(s) - 1)}
        if not candidates:
            break

        def count(pair):
            return sum(1 for s in corpus for i in range(len(s) - 1) if (s[i], s[i + 1]) == pair)

        best = sorted(candidates, key=lambda p: (-count(p), p))[0]
        merges.append(best)
        for s in corpus:
            i = 0
            while i < len(s) - 1:
                if (s[i], s[i + 1]) == best:
                    s[i:i + 2] = [s[i] + s[i + 1]]
                i += 1
    return merges


def _brute_bpe_encode(word, merges):
    """Restart from the top of the merge list after every merge (the first listed pair present wins)."""
    symbols = list(word)
    while True:
        for a, b in merges:
            hits = [i for i in range(len(symbols) - 1) if symbols[i] == a and symbols[i + 1] == b]
            if hits:
                out, i = [], 0
                while i < len(symbols):
                    if i < len(symbols) - 1 and symbols[i] == a and symbols[i + 1] == b:
                        out.append(a + b)
                        i += 2
                    else:
                        out.append(symbols[i])
                        i += 1
                symbols = out
                break
        else:
            return symbols


CORPORA = [
    "the cat sat on the mat the cat ate",
    "aaaa aaa aa a aaaa",
    "abab baba abba",
    "机器学习 机器学习 机器翻译 深度学习 学习率 机器人 人工智能 智能体",
    "大模型 大语言模型 语言模型 模型训练 训练数据 数据",
    "GPT模型 GPT训练 模型训练 token化 token化 分词token tokenizer 分词器",
    "naïve café café résumé naïve",
    "ℓ1 ℓ2 ℓ2 x² x² x³ 😀😀 😀a",
]


@pytest.mark.parametrize("text", CORPORA)
def test_bpe_train_equals_brute_force_on_small_corpora(text):
    fn = reference("bpe-train")
    for n in (0, 1, 3, 8, 40):
        assert fn(text, n) == _brute_bpe_train(text, n), (text, n)


def test_bpe_train_cases_equal_brute_force():
    fn = reference("bpe-train")
    for seed in (1, 2, 3):
        for case in valid_cases("bpe-train", seed):
            assert fn(**case.kwargs) == _brute_bpe_train(**case.kwargs), case.name


def test_bpe_train_merges_are_tuples_and_chains():
    fn = reference("bpe-train")
    merges = fn(CORPORA[3], 10)
    assert all(type(m) is tuple and len(m) == 2 for m in merges)
    symbols = set("".join(CORPORA[3].split()))
    for a, b in merges:  # every merge joins symbols that exist by then
        assert a in symbols and b in symbols
        symbols.add(a + b)


@pytest.mark.parametrize("text", CORPORA)
def test_bpe_encode_replays_training_on_its_own_words(text):
    """Encoding a training word with the learnt merges gives the segmentation training ended with."""
    train, encode = reference("bpe-train"), reference("bpe-encode")
    for n in (2, 6, 30):
        merges = train(text, n)
        segmentation = {word: list(word) for word in text.split()}
        for a, b in merges:
            for word, s in segmentation.items():
                i, out = 0, []
                while i < len(s):
                    if i < len(s) - 1 and (s[i], s[i + 1]) == (a, b):
                        out.append(a + b)
                        i += 2
                    else:
                        out.append(s[i])
                        i += 1
                segmentation[word] = out
        for word, s in segmentation.items():
            assert encode(word, merges) == s, (text, n, word)


def test_bpe_encode_equals_brute_force():
    fn = reference("bpe-encode")
    for seed in (1, 2, 3, 4):
        for case in valid_cases("bpe-encode", seed):
            got = fn(**copy.deepcopy(case.kwargs))
            assert got == _brute_bpe_encode(**case.kwargs), case.name
            assert "".join(got) == case.kwargs["word"]
    rng = np.random.default_rng(5)
    module = spec_of("bpe-encode")
    for _ in range(200):
        merges = module._random_merges(rng, "abc", int(rng.integers(0, 10)))
        word = "".join(rng.choice(list("abc"), size=int(rng.integers(0, 12))))
        assert fn(word, merges) == _brute_bpe_encode(word, merges), (word, merges)


def test_bpe_checkers_explain_malformed_results():
    train, encode = spec_of("bpe-train"), spec_of("bpe-encode")
    case = next(c for c in train.SPEC.cases(0) if c.name == "word-boundaries")
    expected = reference("bpe-train")(**case.kwargs)
    assert train.check_merges(case, [list(p) for p in expected], expected) is None  # pairs may come back as lists
    assert train.check_merges(case, ["ab", "cd"], expected).startswith("expected a list of (str, str) tuples")
    assert train.check_merges(case, expected[:1], expected).endswith("expected 2 merges, got 1; the first 1 agree")
    case = next(c for c in encode.SPEC.cases(0) if c.name == "lowest")
    expected = reference("bpe-encode")(**case.kwargs)
    assert encode.check_tokens(case, "lowest", expected).startswith("expected a list of strings")
    assert "concatenate back to the word" in encode.check_tokens(case, ["low", "es"], expected)


# ---------------------------------------------------------------------------------------
# LoRA, DPO, GRPO: torch and TRL-style formulas written here.


def test_lora_linear_equals_torch_linear_plus_manual_lora():
    torch = torch_or_skip()
    fn = reference("lora-linear")
    for case in valid_cases("lora-linear"):
        kw = case.kwargs
        out_f, in_f = kw["w"].shape
        r = kw["lora_a"].shape[0]
        base = torch.nn.Linear(in_f, out_f, dtype=torch.float64)
        down = torch.nn.Linear(in_f, r, bias=False, dtype=torch.float64)
        up = torch.nn.Linear(r, out_f, bias=False, dtype=torch.float64)
        with torch.no_grad():
            base.weight.copy_(torch.tensor(kw["w"]))
            base.bias.copy_(torch.tensor(kw["b"]))
            down.weight.copy_(torch.tensor(kw["lora_a"]))
            up.weight.copy_(torch.tensor(kw["lora_b"]))
            x = torch.tensor(kw["x"])
            want = base(x) + up(down(x)) * (kw["alpha"] / r)
        np.testing.assert_allclose(fn(**copy.deepcopy(kw)), want.numpy(), rtol=1e-12, atol=1e-12, err_msg=case.name)


def test_lora_merged_weight_and_zero_b():
    fn = reference("lora-linear")
    for case in valid_cases("lora-linear"):
        kw = case.kwargs
        merged = kw["w"] + kw["alpha"] / kw["lora_a"].shape[0] * kw["lora_b"] @ kw["lora_a"]
        np.testing.assert_allclose(fn(**kw), kw["x"] @ merged.T + kw["b"], rtol=1e-10, atol=1e-12, err_msg=case.name)
    kw = next(c for c in valid_cases("lora-linear") if c.name == "zero-lora-b").kwargs
    assert np.array_equal(fn(**kw), kw["x"] @ kw["w"].T + kw["b"])  # exactly the base layer


def _trl_dpo(torch, pc, pr, rc, rr, beta):
    """TRL's DPOTrainer, sigmoid loss: logits = (π_c − π_r) − (ref_c − ref_r), −logsigmoid(β·logits)."""
    import torch.nn.functional as F

    pc, pr, rc, rr = (torch.tensor(a) for a in (pc, pr, rc, rr))
    logits = (pc - pr) - (rc - rr)
    losses = -F.logsigmoid(beta * logits)
    return losses.mean().item(), (beta * (pc - rc)).numpy(), (beta * (pr - rr)).numpy()


def test_dpo_equals_trl_style_formula():
    torch = torch_or_skip()
    fn = reference("dpo-loss")
    for seed in (3, 4):
        for case in valid_cases("dpo-loss", seed):
            kw = case.kwargs
            loss, chosen, rejected = fn(**copy.deepcopy(kw))
            w_loss, w_chosen, w_rejected = _trl_dpo(torch, kw["policy_chosen"], kw["policy_rejected"], kw["ref_chosen"],
                                                    kw["ref_rejected"], kw.get("beta", 0.1))
            assert isinstance(loss, float) and math.isfinite(loss), case.name
            assert loss == pytest.approx(w_loss, rel=1e-12, abs=1e-12), case.name
            np.testing.assert_allclose(chosen, w_chosen, rtol=1e-12, err_msg=case.name)
            np.testing.assert_allclose(rejected, w_rejected, rtol=1e-12, err_msg=case.name)


def test_dpo_loss_limits():
    fn = reference("dpo-loss")
    z = np.zeros(3)
    assert fn(z, z, z, z)[0] == pytest.approx(math.log(2))
    loss, _, _ = fn(np.array([0.0]), np.array([-1e4]), np.array([0.0]), np.array([0.0]), beta=1.0)
    assert loss == pytest.approx(0.0, abs=1e-300)
    loss, _, _ = fn(np.array([-1e4]), np.array([0.0]), np.array([0.0]), np.array([0.0]), beta=1.0)
    assert loss == pytest.approx(1e4)


def _trl_grpo(torch, logp_new, logp_old, rewards, group_size, clip_eps=0.2, eps=1e-4):
    """TRL's GRPOTrainer at the sequence level, with the population std and flat groups set to 0."""
    r = torch.tensor(rewards)
    grouped = r.view(-1, group_size)
    mean = grouped.mean(dim=1).repeat_interleave(group_size)
    std = grouped.std(dim=1, correction=0).repeat_interleave(group_size)
    flat = (grouped == grouped[:, :1]).all(dim=1).repeat_interleave(group_size)
    adv = torch.where(flat, torch.zeros_like(r), (r - mean) / (std + eps))
    coef_1 = torch.exp(torch.tensor(logp_new) - torch.tensor(logp_old))
    coef_2 = torch.clamp(coef_1, 1 - clip_eps, 1 + clip_eps)
    per_sequence = -torch.min(coef_1 * adv, coef_2 * adv)
    return per_sequence.mean().item()


def test_grpo_equals_trl_style_formula():
    torch = torch_or_skip()
    fn = reference("grpo-loss")
    for seed in (3, 4, 5):
        for case in valid_cases("grpo-loss", seed):
            got = fn(**copy.deepcopy(case.kwargs))
            assert isinstance(got, float)
            assert got == pytest.approx(_trl_grpo(torch, **case.kwargs), rel=1e-12, abs=1e-12), case.name


def test_grpo_flat_groups_and_group_independence():
    fn = reference("grpo-loss")
    rng = np.random.default_rng(8)
    new, old = rng.normal(size=6), rng.normal(size=6)
    assert fn(new, old, np.full(6, 0.1), 3, eps=0.0) == 0.0
    # Shifting one group's rewards by a constant changes nothing: advantages are relative to the group.
    rewards = rng.normal(size=6)
    shifted = rewards.copy()
    shifted[3:] += 100.0
    assert fn(new, old, rewards, 3) == pytest.approx(fn(new, old, shifted, 3), rel=1e-9)
    assert fn(new, old, rewards, 6) != pytest.approx(fn(new, old, shifted, 6), rel=1e-3)


# ---------------------------------------------------------------------------------------
# Cross-entropy and layer-norm backward against torch, autograd and finite differences.


def test_cross_entropy_equals_torch():
    torch = torch_or_skip()
    import torch.nn.functional as F

    fn = reference("cross-entropy-smoothing")
    for seed in (3, 4):
        for case in valid_cases("cross-entropy-smoothing", seed):
            kw = case.kwargs
            want = F.cross_entropy(torch.tensor(kw["logits"]), torch.tensor(kw["targets"]),
                                   label_smoothing=kw.get("label_smoothing", 0.0),
                                   ignore_index=kw.get("ignore_index", -100)).item()
            got = fn(**copy.deepcopy(kw))
            assert isinstance(got, float)
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), case.name


def test_cross_entropy_value_errors_on_targets_are_what_torch_rejects_or_leaves_undefined():
    torch = torch_or_skip()
    import torch.nn.functional as F

    checked = 0
    for case in spec_of("cross-entropy-smoothing").SPEC.cases(0):
        if not case.raises or "smoothing" in case.name:  # the contract bounds ε more strictly than torch
            continue
        kw = case.kwargs
        logits, targets = torch.tensor(kw["logits"]), torch.tensor(kw["targets"])
        checked += 1
        try:
            value = F.cross_entropy(logits, targets, label_smoothing=kw.get("label_smoothing", 0.0),
                                    ignore_index=kw.get("ignore_index", -100)).item()
        except (RuntimeError, IndexError, ValueError):
            continue
        assert case.name == "all-ignored" and math.isnan(value), case.name  # torch's mean is 0/0 there
    assert checked == 3


def test_layer_norm_backward_equals_autograd():
    torch = torch_or_skip()
    fn = reference("layer-norm-backward")
    for seed in (3, 4):
        for case in valid_cases("layer-norm-backward", seed):
            kw = case.kwargs
            d = kw["x"].shape[-1]
            x = torch.tensor(kw["x"], requires_grad=True)
            gamma = torch.tensor(kw["gamma"], requires_grad=True)
            beta = torch.zeros(d, dtype=torch.float64, requires_grad=True)
            y = torch.nn.functional.layer_norm(x, (d,), gamma, beta, eps=kw.get("eps", 1e-5))
            y.backward(torch.tensor(kw["dy"]))
            got = fn(**copy.deepcopy(kw))
            for mine, want, name in zip(got, (x.grad, gamma.grad, beta.grad), ("dx", "dgamma", "dbeta")):
                np.testing.assert_allclose(mine, want.numpy(), rtol=1e-9, atol=1e-10, err_msg=f"{case.name} {name}")


def test_layer_norm_backward_equals_finite_differences():
    module, fn = spec_of("layer-norm-backward"), reference("layer-norm-backward")
    rng = np.random.default_rng(12)
    for n, d, scale in [(2, 3, 1.0), (3, 6, 5.0), (1, 2, 0.3)]:
        kw = {"dy": rng.normal(size=(n, d)), "x": rng.normal(size=(n, d)) * scale, "gamma": rng.normal(size=d)}
        for mine, numeric in zip(fn(**kw), module.finite_differences(**kw)):
            np.testing.assert_allclose(mine, numeric, rtol=1e-6, atol=1e-8)


def test_finite_difference_checker_is_independent_of_the_reference():
    module, fn = spec_of("layer-norm-backward"), reference("layer-norm-backward")
    case = next(c for c in module.SPEC.cases(0) if c.name == "finite-differences")
    right = fn(**case.kwargs)
    assert module.check_finite_differences(case, right, None) is None  # no expected value needed
    wrong = module._variant(mean_term=False, var_term=False)(**case.kwargs)
    message = module.check_finite_differences(case, wrong, None)
    assert message.startswith("the mean terms are missing") and "finite differences" in message
    perturbed = (right[0] * (1 + 1e-3), right[1], right[2])
    assert "disagrees with finite differences" in module.check_finite_differences(case, perturbed, None)


# ---------------------------------------------------------------------------------------
# The statements' examples.


def test_statement_examples():
    train, encode = reference("bpe-train"), reference("bpe-encode")
    assert train("ab ab cd", 3) == [("a", "b"), ("c", "d")]
    assert train("ba ba ab ab", 2) == [("a", "b"), ("b", "a")]
    assert encode("abc", [("b", "c"), ("a", "b")]) == ["a", "bc"]
    assert spec_of("bpe-encode")._greedy_longest("abc", [("b", "c"), ("a", "b")]) == ["ab", "c"]
    lora = reference("lora-linear")
    args = (np.array([[2.0]]), np.array([[3.0]]), np.array([1.0]), np.array([[1.0], [1.0]]), np.array([[1.0, 1.0]]))
    assert lora(*args, 4.0).tolist() == [[15.0]]
    assert spec_of("lora-linear")._variant(lambda alpha, r: alpha)(*args, 4.0).tolist() == [[23.0]]
    loss, chosen, rejected = reference("dpo-loss")(np.array([-10.0]), np.array([-15.0]), np.array([-12.0]),
                                                   np.array([-14.0]))
    assert loss == pytest.approx(0.5543552) and chosen == pytest.approx([0.2]) and rejected == pytest.approx([-0.1])
    grpo = reference("grpo-loss")
    zero = np.zeros(4)
    assert grpo(zero, zero, np.array([1.0, 0.0, 0.0, 1.0]), 2) == pytest.approx(0.0, abs=1e-15)
    ce = reference("cross-entropy-smoothing")
    assert ce(np.array([[0.0, 0.0], [5.0, 1.0]]), np.array([0, -100]), 0.2) == pytest.approx(math.log(2))
    dx, dgamma, dbeta = reference("layer-norm-backward")(np.array([[1.0, 0.0]]), np.array([[0.0, 2.0]]), np.ones(2),
                                                         eps=0.0)
    assert dx.tolist() == [[0.0, 0.0]] and dgamma.tolist() == [-1.0, 0.0] and dbeta.tolist() == [1.0, 0.0]
    dx, _, _ = reference("layer-norm-backward")(np.ones((3, 1)), np.arange(3.0)[:, None], np.ones(1))
    assert np.array_equal(dx, np.zeros((3, 1)))


# ---------------------------------------------------------------------------------------
# Every named mistake is recognised by its checker, on at least one deterministic case.


def _mistakes():
    for exercise_id in EXERCISES:
        for label, variant in spec_of(exercise_id).MISTAKES:
            yield pytest.param(exercise_id, label, variant, id=f"{exercise_id}:{label[:40]}")


@pytest.mark.parametrize(("exercise_id", "label", "variant"), list(_mistakes()))
def test_each_mistake_is_named(exercise_id, label, variant):
    module = spec_of(exercise_id)
    named = 0
    for case in module.SPEC.cases(0):
        if case.raises or case.kind == "random":
            continue
        wrong = variant(**copy.deepcopy(case.kwargs))
        if wrong is None:
            continue
        expected = reference(exercise_id)(**copy.deepcopy(case.kwargs))
        message = case.check(case, wrong, expected)
        if message is not None:
            assert message.startswith(label) or label in message or message.startswith(tuple(
                other for other, _ in module.MISTAKES)), f"{case.name}: {message}"
            named += message.startswith(label)
    assert named, f"no deterministic case tells {label!r} apart"


def test_topics_are_the_bank_topics_of_the_same_name():
    from bigmodel_quiz.exercises.catalog import index

    topics = {info.id: info.bank_topic for info in index() if info.id in EXERCISES}
    assert topics == {"bpe-train": "tokenization", "bpe-encode": "tokenization", "lora-linear": "post-training",
                      "dpo-loss": "post-training", "grpo-loss": "post-training",
                      "cross-entropy-smoothing": "fundamentals", "layer-norm-backward": "fundamentals"}
