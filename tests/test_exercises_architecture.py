"""Content tests for the large-model block exercises (multi-head-attention, grouped-query-attention,
rope, rms-norm, swiglu-mlp, moe-router, flash-attention).

Each reference is checked against an independent computation (PyTorch's own modules and
functional ops, skipped with a reason when torch is absent; brute-force enumeration; a direct
softmax), the statements' examples are recomputed, and every named mistake is shown to be
recognised by its exercise's checker.
"""

from __future__ import annotations

import copy
import itertools
import math

import numpy as np
import pytest

from exercise_helpers import reference, spec_of, torch_or_skip, valid_cases

EXERCISES = ["multi-head-attention", "grouped-query-attention", "rope", "rms-norm", "swiglu-mlp", "moe-router",
             "flash-attention"]


def _judge(module, case, fn):
    """Run ``fn`` on the case as the grader would (through the exercise's driver) and check it."""
    spec = module.SPEC
    kwargs = copy.deepcopy(case.kwargs)
    got = spec.run(fn, kwargs, "cpu") if spec.run else fn(**kwargs)
    expected = spec.expected(case) if spec.expected else reference_for(module)(**copy.deepcopy(case.kwargs))
    return case.check(case, got, expected), kwargs


_REFS: dict = {}


def reference_for(module):
    exercise_id = module.__name__.rsplit(".", 1)[1].replace("_", "-")
    if exercise_id not in _REFS:
        _REFS[exercise_id] = reference(exercise_id)
    return _REFS[exercise_id]


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
        if case.raises:
            with pytest.raises(ValueError):
                fn(**copy.deepcopy(case.kwargs))
            continue
        problem, after = _judge(module, case, fn)
        assert problem is None, f"{case.name}: {problem}"
        for name, value in case.kwargs.items():
            if isinstance(value, np.ndarray):
                assert np.array_equal(value, after[name]), f"{case.name}: reference modified {name}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_random_cases_follow_the_seed(exercise_id):
    module = spec_of(exercise_id)
    first, again, other = module.SPEC.cases(7), module.SPEC.cases(7), module.SPEC.cases(8)
    rand = [(a, b) for a, b in zip(first, again) if a.kind == "random"]
    assert rand and all(a.seed == 7 for a, _ in rand)
    same = lambda a, b: all(np.array_equal(np.asarray(a[k]), np.asarray(b[k])) for k in a)  # noqa: E731
    assert all(same(a.kwargs, b.kwargs) for a, b in rand)
    assert not all(same(a.kwargs, b.kwargs) for a, b in zip(first, other) if a.kind == "random" and a.kwargs.keys() == b.kwargs.keys())


# ---------------------------------------------------------------------------------------
# Independent computations.


def test_multi_head_attention_equals_torch_multihead_attention():
    torch = torch_or_skip()
    fn = reference("multi-head-attention")
    for case in valid_cases("multi-head-attention"):
        kw = case.kwargs
        x = torch.tensor(kw["x"])
        d, t = x.shape[-1], x.shape[1]
        mha = torch.nn.MultiheadAttention(d, kw["n_heads"], batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            mha.in_proj_weight.copy_(torch.tensor(kw["w_qkv"]).T)
            mha.in_proj_bias.copy_(torch.tensor(kw["b_qkv"]))
            mha.out_proj.weight.copy_(torch.tensor(kw["w_o"]).T)
            mha.out_proj.bias.copy_(torch.tensor(kw["b_o"]))
            mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1) if kw["causal"] else None
            want, _ = mha(x, x, x, attn_mask=mask, need_weights=False)
        np.testing.assert_allclose(fn(**copy.deepcopy(kw)), want.numpy(), rtol=1e-9, atol=1e-11, err_msg=case.name)


def test_multi_head_attention_equals_sdpa_per_head():
    torch = torch_or_skip()
    import torch.nn.functional as F

    fn = reference("multi-head-attention")
    for case in valid_cases("multi-head-attention", seed=5):
        kw = case.kwargs
        b, t, d = kw["x"].shape
        h = kw["n_heads"]
        qkv = torch.tensor(kw["x"] @ kw["w_qkv"] + kw["b_qkv"])
        q, k, v = (qkv[..., i * d:(i + 1) * d].reshape(b, t, h, d // h).transpose(1, 2) for i in range(3))
        heads = F.scaled_dot_product_attention(q, k, v, is_causal=kw["causal"]).transpose(1, 2).reshape(b, t, d)
        want = heads.numpy() @ kw["w_o"] + kw["b_o"]
        np.testing.assert_allclose(fn(**copy.deepcopy(kw)), want, rtol=1e-9, atol=1e-11, err_msg=case.name)


def test_grouped_query_attention_equals_sdpa_with_gqa_and_repeat_interleave():
    torch = torch_or_skip()
    import torch.nn.functional as F

    fn = reference("grouped-query-attention")
    for case in valid_cases("grouped-query-attention"):
        q, k, v = (torch.tensor(case.kwargs[n]) for n in "qkv")
        group = q.shape[1] // k.shape[1]
        got = fn(**copy.deepcopy(case.kwargs))
        repeated = F.scaled_dot_product_attention(q, k.repeat_interleave(group, 1), v.repeat_interleave(group, 1),
                                                  is_causal=case.kwargs["causal"])
        np.testing.assert_allclose(got, repeated.numpy(), rtol=1e-9, atol=1e-11, err_msg=case.name)
        try:
            native = F.scaled_dot_product_attention(q, k, v, is_causal=case.kwargs["causal"], enable_gqa=True)
        except TypeError:  # torch < 2.5 has no enable_gqa
            continue
        np.testing.assert_allclose(got, native.numpy(), rtol=1e-9, atol=1e-11, err_msg=case.name)


def test_rope_equals_complex_rotation_in_torch():
    torch = torch_or_skip()
    fn = reference("rope")
    for case in valid_cases("rope"):
        x = torch.tensor(case.kwargs["x"])
        d = x.shape[-1]
        base = case.kwargs.get("base", 10000.0)
        inv = 1.0 / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
        angles = torch.outer(torch.tensor(case.kwargs["positions"], dtype=torch.float64), inv)
        pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], d // 2, 2).contiguous())
        want = torch.view_as_real(pairs * torch.polar(torch.ones_like(angles), angles)).reshape(x.shape)
        np.testing.assert_allclose(fn(**copy.deepcopy(case.kwargs)), want.numpy(), rtol=1e-9, atol=1e-11,
                                   err_msg=case.name)


def test_rope_from_the_definition_by_loops():
    fn = reference("rope")
    rng = np.random.default_rng(3)
    x, positions = rng.normal(size=(3, 6)), np.array([2, 0, 9])
    want = np.empty_like(x)
    for t, pos in enumerate(positions):
        for i in range(3):
            theta = pos * 10000.0 ** (-2 * i / 6)
            a, b = x[t, 2 * i], x[t, 2 * i + 1]
            want[t, 2 * i], want[t, 2 * i + 1] = a * math.cos(theta) - b * math.sin(theta), a * math.sin(theta) + b * math.cos(theta)
    np.testing.assert_allclose(fn(x, positions), want, rtol=1e-12, atol=1e-14)


def test_rope_relative_position_property_and_its_checker():
    module, fn = spec_of("rope"), reference("rope")
    rng = np.random.default_rng(4)
    q, k = rng.normal(size=8), rng.normal(size=8)
    for m, n, shift in [(3, 1, 10), (0, 7, 1000), (50, 50, 3)]:
        a = fn(q[None], np.array([m])) @ fn(k[None], np.array([n])).T
        b = fn(q[None], np.array([m + shift])) @ fn(k[None], np.array([n + shift])).T
        assert a == pytest.approx(b, rel=1e-10, abs=1e-12)
    case = next(c for c in module.SPEC.cases(0) if c.name == "relative-position")
    wrong = copy.deepcopy(case.kwargs)
    wrong["positions"] = wrong["positions"] ** 2  # angles not proportional to the position
    message = module.check_rope(case, fn(**wrong), fn(**case.kwargs))
    assert message.startswith("relative-position property violated")


def test_rms_norm_equals_torch_rmsnorm():
    torch = torch_or_skip()
    if not hasattr(torch.nn, "RMSNorm"):
        pytest.skip("torch.nn.RMSNorm needs PyTorch 2.4 or later")
    fn = reference("rms-norm")
    for case in valid_cases("rms-norm"):
        x = case.kwargs["x"]
        norm = torch.nn.RMSNorm(x.shape[-1], eps=case.kwargs.get("eps", 1e-6), dtype=torch.float64)
        with torch.no_grad():
            norm.weight.copy_(torch.tensor(case.kwargs["weight"]))
            want = norm(torch.tensor(x)).numpy()
        np.testing.assert_allclose(fn(**copy.deepcopy(case.kwargs)), want, rtol=1e-12, atol=1e-300, err_msg=case.name)


def test_swiglu_equals_torch_silu_gate():
    torch = torch_or_skip()
    import torch.nn.functional as F

    fn, module = reference("swiglu-mlp"), spec_of("swiglu-mlp")
    for case in valid_cases("swiglu-mlp"):
        t = {k: torch.tensor(v) for k, v in case.kwargs.items()}
        want = ((F.silu(t["x"] @ t["w_gate"]) * (t["x"] @ t["w_up"])) @ t["w_down"]).numpy()
        got = fn(**copy.deepcopy(case.kwargs))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300, err_msg=case.name)
        np.testing.assert_allclose(module.expected(case), want, rtol=1e-12, atol=1e-300, err_msg=case.name)


def _brute_route(logits, k):
    """Every k-subset enumerated: the best summed logit, ties to the lexicographically smallest indices."""
    t, e = logits.shape
    experts, weights = [], []
    for row in logits.tolist():
        best = max(itertools.combinations(range(e), k), key=lambda s: (sum(row[i] for i in s), [-i for i in s]))
        chosen = sorted(best, key=lambda i: (-row[i], i))
        top = max(row[i] for i in chosen)
        z = [math.exp(row[i] - top) for i in chosen]
        experts.append(chosen)
        weights.append([v / sum(z) for v in z])
    share = [sum(i == j for s in experts for i in s) / (t * k) for j in range(e)]
    mean_p = [0.0] * e
    for row in logits.tolist():
        top = max(row)
        z = [math.exp(v - top) for v in row]
        for j in range(e):
            mean_p[j] += z[j] / sum(z) / t
    return experts, weights, e * sum(f * p for f, p in zip(share, mean_p))


def test_moe_router_equals_brute_force_enumeration():
    fn = reference("moe-router")
    for seed in (1, 2):
        for case in valid_cases("moe-router", seed):
            experts, weights, aux = fn(**copy.deepcopy(case.kwargs))
            b_experts, b_weights, b_aux = _brute_route(case.kwargs["logits"], case.kwargs["k"])
            assert experts.tolist() == b_experts, case.name
            assert np.issubdtype(experts.dtype, np.integer)
            np.testing.assert_allclose(weights, b_weights, rtol=1e-12, atol=1e-15, err_msg=case.name)
            assert aux == pytest.approx(b_aux, rel=1e-12), case.name


def test_moe_router_uniform_routing_has_aux_one():
    fn = reference("moe-router")
    # Token i prefers expert i: every expert gets the same share and the same mean probability.
    logits = np.eye(4) * 3.0
    assert fn(logits, 1)[2] == pytest.approx(1.0)


def test_flash_attention_equals_a_direct_softmax_and_sdpa():
    fn, module = reference("flash-attention"), spec_of("flash-attention")
    for case in valid_cases("flash-attention"):
        kw = case.kwargs
        if kw["q"].shape[0] * kw["k"].shape[0] > 1_000_000:
            continue  # the memory case is checked below
        s = kw["q"] @ kw["k"].T / math.sqrt(kw["q"].shape[1])
        w = np.exp(s - s.max(1, keepdims=True))
        want = (w / w.sum(1, keepdims=True)) @ kw["v"]
        np.testing.assert_allclose(fn(**copy.deepcopy(kw)), want, rtol=1e-10, atol=1e-12, err_msg=case.name)
        np.testing.assert_allclose(module.expected(case), want, rtol=1e-12, atol=1e-14, err_msg=case.name)
    torch = pytest.importorskip("torch", reason="PyTorch is not installed; the cross-check against torch is skipped")
    rng = np.random.default_rng(9)
    q, k, v = rng.normal(size=(7, 8)), rng.normal(size=(23, 8)), rng.normal(size=(23, 8))
    sdpa = torch.nn.functional.scaled_dot_product_attention(*(torch.tensor(a)[None] for a in (q, k, v)))[0]
    np.testing.assert_allclose(fn(q, k, v, 5), sdpa.numpy(), rtol=1e-10, atol=1e-12)


def test_flash_attention_memory_case_separates_blocks_from_the_full_matrix():
    module, fn = spec_of("flash-attention"), reference("flash-attention")
    case = next(c for c in module.SPEC.cases(0) if c.name == "memory-limit")
    t, s = case.kwargs["q"].shape[0], case.kwargs["k"].shape[0]
    assert t * s * 8 >= 2 * module.LIMIT_MIB * module.MIB  # the scores alone take twice the limit
    got = module.SPEC.run(fn, copy.deepcopy(case.kwargs), "cpu")
    assert got["peak_bytes"] is not None and got["peak_bytes"] < module.LIMIT_MIB * module.MIB / 4

    def full_matrix(q, k, v, block_size):
        scores = q @ k.T / math.sqrt(q.shape[1])
        w = np.exp(scores - scores.max(1, keepdims=True))
        return w / w.sum(1, keepdims=True) @ v

    expected = module.expected(case)
    np.testing.assert_allclose(expected, module._direct(**case.kwargs), rtol=1e-10, atol=1e-12)  # the periodic shortcut
    message = module.check_flash(case, module.SPEC.run(full_matrix, copy.deepcopy(case.kwargs), "cpu"), expected)
    assert message.startswith("builds the full T×S score matrix")


# ---------------------------------------------------------------------------------------
# The statements' examples.


def test_statement_examples():
    rope = reference("rope")
    np.testing.assert_allclose(rope(np.array([[1.0, 0.0, 1.0, 0.0]]), np.array([1])),
                               [[math.cos(1), math.sin(1), math.cos(0.01), math.sin(0.01)]], rtol=1e-12)
    assert reference("rms-norm")(np.array([3.0, 4.0]), np.ones(2), eps=0.0) == pytest.approx([0.8485281, 1.1313708])
    one = np.array([[1.0]])
    assert reference("swiglu-mlp")(np.array([2.0]), one, one, one) == pytest.approx([3.5231883])
    experts, weights, aux = reference("moe-router")(np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 2.0]]), 1)
    assert experts.tolist() == [[0], [2]] and weights.tolist() == [[1.0], [1.0]] and aux == pytest.approx(1.1329073)
    flash = reference("flash-attention")
    assert flash(np.zeros((1, 1)), np.ones((3, 1)), np.array([[1.0], [2.0], [6.0]]), 2)[0, 0] == pytest.approx(3.0)


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
        got = wrong
        if module.SPEC.run is not None:  # the driver's record around the value
            got = {"value": wrong, "warnings": [], "peak_bytes": None}
        expected = module.SPEC.expected(case) if module.SPEC.expected else reference(exercise_id)(**copy.deepcopy(case.kwargs))
        message = case.check(case, got, expected)
        if message is not None:
            assert message.startswith(label) or label in message, f"{case.name}: {message}"
            named += 1
    assert named, f"no deterministic case tells {label!r} apart"


def test_swiglu_driver_reports_an_overflowing_silu():
    module = spec_of("swiglu-mlp")
    case = next(c for c in module.SPEC.cases(0) if c.name == "large-negative-gate")

    def naive(x, w_gate, w_up, w_down):
        z = x @ w_gate
        return (z / (1 + np.exp(-z)) * (x @ w_up)) @ w_down

    got = module.SPEC.run(naive, copy.deepcopy(case.kwargs), "cpu")
    assert any("overflow" in w for w in got["warnings"])
    assert module.check_swiglu(case, got, module.expected(case)).startswith("silu overflow")
    clean = module.SPEC.run(reference("swiglu-mlp"), copy.deepcopy(case.kwargs), "cpu")
    assert clean["warnings"] == [] and module.check_swiglu(case, clean, module.expected(case)) is None


def test_topics_are_the_bank_topics_of_the_same_name():
    from bigmodel_quiz.exercises.catalog import index

    topics = {info.id: info.bank_topic for info in index() if info.id in EXERCISES}
    assert topics == {**{e: "architecture" for e in EXERCISES if e != "flash-attention"},
                      "flash-attention": "kernels-hardware"}
