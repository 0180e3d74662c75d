"""The decoding exercises (kv-cache-decode, sampling-filters, beam-search, speculative-decoding,
paged-attention), gpt-block and tensor-parallel-mlp: references against independent
computations (torch functional ops, brute-force enumeration, exact enumeration of the
randomness), the properties the grader relies on, and the diagnoses of the spec modules."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from exercise_helpers import reference, spec_of, torch_or_skip

from bigmodel_quiz.exercises.catalog import reference_path


# ----------------------------------------------------------------------------- kv-cache-decode


def _rollout(step, seq, w_q, w_k, w_v):
    b, t, d = seq.shape
    ck, cv = np.zeros((b, 0, d)), np.zeros((b, 0, d))
    outs = []
    for i in range(t):
        out, ck, cv = step(seq[:, i], w_q, w_k, w_v, ck, cv)
        outs.append(out)
    return np.stack(outs, axis=1), ck, cv


@pytest.mark.torch
@pytest.mark.parametrize("shape", [(1, 1, 4), (2, 7, 8), (3, 5, 16)])
def test_kv_cache_rollout_from_empty_equals_torch_causal_attention(shape):
    torch = torch_or_skip()
    step = reference("kv-cache-decode", "attend_step")
    rng = np.random.default_rng(sum(shape))
    seq = rng.normal(size=shape)
    w = [rng.normal(size=(shape[2], shape[2])) / math.sqrt(shape[2]) for _ in range(3)]
    outs, ck, cv = _rollout(step, seq, *w)
    t = torch.from_numpy
    want = torch.nn.functional.scaled_dot_product_attention(t(seq @ w[0]), t(seq @ w[1]), t(seq @ w[2]), is_causal=True)
    np.testing.assert_allclose(outs, want.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ck, seq @ w[1], rtol=1e-12)
    np.testing.assert_allclose(cv, seq @ w[2], rtol=1e-12)
    # the grader's own twin agrees with torch too
    np.testing.assert_allclose(spec_of("kv-cache-decode").causal_attention_np(seq, *w), want.numpy(), rtol=1e-10, atol=1e-12)


def test_kv_cache_step_leaves_its_inputs_alone_and_grows_the_cache():
    step = reference("kv-cache-decode", "attend_step")
    rng = np.random.default_rng(3)
    args = [rng.normal(size=(2, 4)), *(rng.normal(size=(4, 4)) for _ in range(3)), rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))]
    before = [a.copy() for a in args]
    out, ck, cv = step(*args)
    assert out.shape == (2, 4) and ck.shape == cv.shape == (2, 4, 4)
    assert all(np.array_equal(a, b) for a, b in zip(args, before))


def test_kv_cache_diagnoses_name_the_slips():
    mod = spec_of("kv-cache-decode")
    case = next(c for c in mod.cases(0) if c.name == "step-T-4")
    kw = case.kwargs
    right = mod.step_np(**kw)
    assert mod.check_kv(case, right, None) is None
    assert "forgot to append" in mod.check_kv(case, (right[0], kw["cache_k"], kw["cache_v"]), None)
    assert "divided by D instead of √D" in mod.check_kv(case, mod.step_np(**kw, scale="d"), None)
    stale = mod.step_np(**kw, attend_new=False)
    assert "old cache only" in mod.check_kv(case, (stale[0], right[1], right[2]), None)


# ----------------------------------------------------------------------------- sampling-filters


def _filter_row_by_hand(row, temperature, top_k, top_p):
    """One row from the definitions, in plain Python: sorted(), math.exp, a running sum."""
    z = [x / temperature for x in row]
    alive = set(range(len(z)))
    if top_k is not None and top_k < len(z):
        threshold = sorted(z, reverse=True)[top_k - 1]
        alive = {i for i in alive if z[i] >= threshold}
    m = max(z[i] for i in alive)
    e = {i: math.exp(z[i] - m) for i in alive}
    total = sum(e.values())
    p = {i: e[i] / total for i in alive}
    if top_p is not None and top_p < 1:
        kept, running = set(), 0.0
        for i in sorted(alive, key=lambda i: (-p[i], i)):
            kept.add(i)
            running += p[i]
            if running >= top_p:
                break
        total = sum(p[i] for i in kept)
        p = {i: p[i] / total for i in kept}
    return [p.get(i, 0.0) for i in range(len(z))]


@pytest.mark.parametrize("seed", range(6))
def test_sampling_probs_match_a_plain_python_implementation(seed):
    fn = reference("sampling-filters", "sampling_probs")
    rng = np.random.default_rng(seed)
    for _ in range(20):
        v = int(rng.integers(1, 12))
        logits = np.round(rng.normal(size=(3, v)) * 2, 1)  # rounded: ties at the k-th value happen
        top_k = None if rng.random() < 0.3 else int(rng.integers(1, v + 3))
        top_p = None if rng.random() < 0.3 else float(rng.uniform(0.05, 1.0))
        temperature = float(rng.choice([0.3, 1.0, 2.5]))
        got = fn(logits, temperature, top_k, top_p)
        want = [_filter_row_by_hand(list(r), temperature, top_k, top_p) for r in logits]
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=0, atol=1e-12)  # rows are distributions
        assert (got >= 0).all()


@pytest.mark.torch
def test_sampling_top_k_and_top_p_agree_with_torch_topk_and_cumsum():
    # The usual torch formulation (sort descending, remove tokens whose preceding mass is ≥ p) on untied rows.
    torch = torch_or_skip()
    fn = reference("sampling-filters", "sampling_probs")
    rng = np.random.default_rng(11)
    logits = rng.normal(size=(8, 30)) * 2
    for top_k, top_p in [(5, None), (None, 0.8), (10, 0.6), (30, 0.95)]:
        z = torch.from_numpy(logits / 0.8)
        if top_k is not None:
            z = z.masked_fill(z < torch.topk(z, top_k).values[:, -1:], float("-inf"))
        p = torch.softmax(z, dim=-1)
        if top_p is not None:
            sp, idx = torch.sort(p, descending=True)
            drop = (torch.cumsum(sp, -1) - sp) >= top_p  # the mass before the token already reaches p
            p = p.scatter(1, idx, sp.masked_fill(drop, 0.0))
            p = p / p.sum(-1, keepdim=True)
        np.testing.assert_allclose(fn(logits, 0.8, top_k, top_p), p.numpy(), rtol=1e-12, atol=1e-15)


def test_sampling_checker_names_the_slips_and_the_reference_passes():
    mod = spec_of("sampling-filters")
    fn = reference("sampling-filters", "sampling_probs")
    by_name = {c.name: c for c in mod.cases(0)}
    for case in by_name.values():
        if not case.raises:
            want = fn(**case.kwargs)
            assert case.check(case, want, want) is None, case.name
            np.testing.assert_allclose(mod.probs_np(**case.kwargs), want, rtol=1e-12, atol=1e-15)
    crossing = by_name["top-p-0.7-crossing-kept"]
    got = mod.probs_np(**crossing.kwargs, keep_crossing=False)
    assert "dropped the crossing token" in crossing.check(crossing, got, fn(**crossing.kwargs))
    ties = by_name["top-k-tie-at-k"]
    got = mod.probs_np(**ties.kwargs, k_ties=False)
    assert "broke a tie" in ties.check(ties, got, fn(**ties.kwargs))


# ----------------------------------------------------------------------------- beam-search


def _all_hypotheses(start, trans, max_len, eos):
    """Every sequence beam search could end with: eos only at the end, or max_len tokens without eos."""
    v = len(start)
    out = []
    for length in range(1, max_len + 1):
        for seq in itertools.product(range(v), repeat=length):
            if eos in seq[:-1] or (seq[-1] != eos and length < max_len):
                continue
            score = float(start[seq[0]])
            for a, b in zip(seq, seq[1:]):  # left to right, as a search adds them (equal sums round alike)
                score += float(trans[a, b])
            out.append((list(seq), score))
    return sorted(out, key=lambda b: (-b[1], b[0]))


def _random_model(rng, v):
    z = rng.normal(size=(v + 1, v)) * 1.5
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return logp[0], logp[1:]


@pytest.mark.parametrize("seed", range(8))
def test_beam_search_with_an_unpruned_beam_equals_brute_force_enumeration(seed):
    fn = reference("beam-search", "beam_search")
    rng = np.random.default_rng(seed)
    v, max_len = int(rng.integers(2, 5)), int(rng.integers(1, 5))
    start, trans = _random_model(rng, v)
    eos = int(rng.integers(0, v))
    every = _all_hypotheses(start, trans, max_len, eos)
    got = fn(start, trans, v**max_len, max_len, eos)
    assert [t for t, _ in got] == [t for t, _ in every]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in every], rtol=1e-12)
    # a narrower beam never beats the exhaustive optimum, and width 1 is greedy decoding
    for width in (1, 2, 3):
        assert fn(start, trans, width, max_len, eos)[0][1] <= every[0][1] + 1e-12
    greedy = [int(np.argmax(start))]
    while greedy[-1] != eos and len(greedy) < max_len:
        greedy.append(int(np.argmax(trans[greedy[-1]])))
    assert fn(start, trans, 1, max_len, eos)[0][0] == greedy


def test_beam_search_twin_and_checker_agree_with_the_reference():
    mod = spec_of("beam-search")
    fn = reference("beam-search", "beam_search")
    for case in mod.cases(0) + mod.cases(1):
        want = fn(**case.kwargs)
        assert mod.beams_np(case.kwargs) == want, case.name
        assert case.check(case, want, want) is None, case.name
    case = next(c for c in mod.cases(0) if c.name == "finished-beams-carried")
    extended = [(t + [1], s + float(case.kwargs["trans_logp"][t[-1], 1])) for t, s in fn(**case.kwargs)]
    assert "kept extending a finished beam" in case.check(case, extended, fn(**case.kwargs))


# ----------------------------------------------------------------------------- speculative-decoding


def _emitted_distributions(fn, p_draft, p_target, samples, seed):
    """Monte-Carlo: the first emitted token's frequencies, and the second's when the first draft was accepted."""
    rng = np.random.default_rng(seed)
    k, v = p_draft.shape
    first, second = np.zeros(v), np.zeros(v)
    for _ in range(samples):
        draft = np.array([rng.choice(v, p=p_draft[i]) for i in range(k)])
        out = fn(draft, p_draft, p_target, rng.random(k), float(rng.random()))
        first[out[0]] += 1
        if len(out) >= 2:
            second[out[1]] += 1
    return first / first.sum(), second / max(second.sum(), 1)


def test_speculative_acceptance_reproduces_the_target_distribution_monte_carlo():
    fn = reference("speculative-decoding", "speculative_accept")
    rng = np.random.default_rng(5)
    p_draft = rng.dirichlet([0.7] * 5, size=2)
    p_target = rng.dirichlet([0.7] * 5, size=3)
    n = 40_000
    first, second = _emitted_distributions(fn, p_draft, p_target, n, seed=6)
    # 5 standard errors of a frequency; the draft's own distribution is far outside that band
    band = 5 * np.sqrt(p_target[0] * (1 - p_target[0]) / n) + 1e-3
    assert np.all(np.abs(first - p_target[0]) < band), (first, p_target[0])
    assert np.max(np.abs(p_draft[0] - p_target[0])) > 0.05
    assert np.max(np.abs(second - p_target[1])) < 0.03, (second, p_target[1])


def test_speculative_exact_enumeration_over_the_randomness():
    # K = 1: for each drafted x (weight p_draft[x]) the first token is a step function of u and u_resample;
    # integrating it over fine grids gives p_target up to the grid spacing.
    fn = reference("speculative-decoding", "speculative_accept")
    p_draft = np.array([[0.1, 0.6, 0.3]])
    p_target = np.array([[0.5, 0.2, 0.3], [1 / 3, 1 / 3, 1 / 3]])
    grid = (np.arange(400) + 0.5) / 400
    freq = np.zeros(3)
    for x in range(3):
        for u in grid:
            if u < min(1.0, p_target[0, x] / p_draft[0, x]):
                freq[x] += p_draft[0, x] / len(grid)  # accepted: u_resample unused
                assert fn(np.array([x]), p_draft, p_target, np.array([u]), 0.5)[0] == x
                continue
            for ur in grid[::4]:
                freq[fn(np.array([x]), p_draft, p_target, np.array([u]), float(ur))[0]] += p_draft[0, x] / len(grid) / 100
    np.testing.assert_allclose(freq, p_target[0], atol=5e-3)
    # resampling from p_target instead of the residual does not reproduce it
    slip = spec_of("speculative-decoding").accept_np
    bad = np.zeros(3)
    for x in range(3):
        for u in grid:
            for ur in grid[::4]:
                bad[slip(np.array([x]), p_draft, p_target, np.array([u]), float(ur), resample="target")[0]] += p_draft[0, x] / len(grid) / 100
    assert np.max(np.abs(bad - p_target[0])) > 0.05


def test_speculative_twin_and_checker_agree_with_the_reference():
    mod = spec_of("speculative-decoding")
    fn = reference("speculative-decoding", "speculative_accept")
    for case in mod.cases(0) + mod.cases(2):
        want = fn(**case.kwargs)
        assert mod.accept_np(**case.kwargs) == want and case.check(case, want, want) is None, case.name
        assert 1 <= len(want) <= len(case.kwargs["draft_tokens"]) + 1


# ----------------------------------------------------------------------------- paged-attention


def _scatter_into_pool(rng, k, v, block_size, num_blocks):
    """A contiguous cache (T,H,D) written into a pool of garbage at random, scrambled blocks."""
    t, h, d = k.shape
    n = -(-t // block_size)
    table = [int(b) for b in rng.permutation(num_blocks)[: n + 1]]  # one extra block the sequence does not use
    k_pool = rng.normal(size=(num_blocks, block_size, h, d)) * 7
    v_pool = rng.normal(size=(num_blocks, block_size, h, d)) * 7
    for p in range(t):
        k_pool[table[p // block_size], p % block_size] = k[p]
        v_pool[table[p // block_size], p % block_size] = v[p]
    return k_pool, v_pool, table


@pytest.mark.torch
@pytest.mark.parametrize("seed", range(6))
def test_paged_attention_equals_contiguous_attention(seed):
    torch = torch_or_skip()
    fn = reference("paged-attention", "paged_attention")
    rng = np.random.default_rng(seed)
    t, h, d, bs = int(rng.integers(1, 20)), int(rng.integers(1, 4)), 8, int(rng.integers(1, 6))
    q, k, v = rng.normal(size=(h, d)), rng.normal(size=(t, h, d)), rng.normal(size=(t, h, d))
    k_pool, v_pool, table = _scatter_into_pool(rng, k, v, bs, -(-t // bs) + 3)
    got = fn(q, k_pool, v_pool, table, t)
    # contiguous: (H, 1, D) query over (H, T, D) keys with torch's own kernel
    tq, tk, tv = (torch.from_numpy(a) for a in (q[:, None], np.swapaxes(k, 0, 1), np.swapaxes(v, 0, 1)))
    want = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv)[:, 0].numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(spec_of("paged-attention").paged_np(q, k_pool, v_pool, table, t), want, rtol=1e-10, atol=1e-12)


def test_paged_attention_rejects_impossible_lengths_and_names_the_tail_slip():
    fn = reference("paged-attention", "paged_attention")
    mod = spec_of("paged-attention")
    case = next(c for c in mod.cases(0) if c.name == "partial-last-block")
    for bad in (0, -1, 13):
        with pytest.raises(ValueError):
            fn(**{**case.kwargs, "seq_len": bad})
    want = fn(**case.kwargs)
    assert case.check(case, want, want) is None
    assert "unfilled tail of the last block" in case.check(case, mod.paged_np(**case.kwargs, positions="blocks"), want)


# ----------------------------------------------------------------------------- gpt-block


def _functional_block(torch, sd, x, n_heads):
    """The GPT-2 block from torch's functional ops: layer_norm, scaled_dot_product_attention, gelu (tanh)."""
    f = torch.nn.functional
    b, t, d = x.shape
    a = f.layer_norm(x, (d,), sd["ln_1.weight"], sd["ln_1.bias"], eps=1e-5)
    q, k, v = (z.reshape(b, t, n_heads, d // n_heads).transpose(1, 2)
               for z in f.linear(a, sd["attn.c_attn.weight"], sd["attn.c_attn.bias"]).chunk(3, dim=-1))
    y = f.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)
    x = x + f.linear(y, sd["attn.c_proj.weight"], sd["attn.c_proj.bias"])
    a = f.layer_norm(x, (d,), sd["ln_2.weight"], sd["ln_2.bias"], eps=1e-5)
    m = f.gelu(f.linear(a, sd["mlp.c_fc.weight"], sd["mlp.c_fc.bias"]), approximate="tanh")
    return x + f.linear(m, sd["mlp.c_proj.weight"], sd["mlp.c_proj.bias"])


@pytest.mark.torch
@pytest.mark.parametrize(("d", "h", "t"), [(32, 4, 6), (16, 1, 5), (16, 8, 7), (24, 3, 1)])
def test_gpt_block_reference_and_twin_match_torch_functional_ops_with_gradients(d, h, t):
    torch = torch_or_skip()
    mod = spec_of("gpt-block")
    block_cls = reference("gpt-block", "Block")
    weights = mod.block_weights(3, d)
    x_np, g_np = mod.batch(3, 2, t, d)
    block = block_cls(d, h).double()
    assert {k: tuple(v.shape) for k, v in block.state_dict().items()} == mod.layout(d)  # exactly the layout
    block.load_state_dict({k: torch.from_numpy(v.astype(np.float64)) for k, v in weights.items()}, strict=True)
    x = torch.from_numpy(x_np.astype(np.float64)).requires_grad_(True)
    (block(x) * torch.from_numpy(g_np.astype(np.float64))).sum().backward()
    sd = {k: torch.from_numpy(v.astype(np.float64)).requires_grad_(True) for k, v in weights.items()}
    x2 = torch.from_numpy(x_np.astype(np.float64)).requires_grad_(True)
    out = _functional_block(torch, sd, x2, h)
    (out * torch.from_numpy(g_np.astype(np.float64))).sum().backward()
    twin_out, twin_grads, twin_dx = mod.block_grads_np(weights, x_np, g_np, h)
    np.testing.assert_allclose(block(x).detach().numpy(), out.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(twin_out, out.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(twin_dx, x2.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), x2.grad.numpy(), rtol=1e-10, atol=1e-12)
    params = dict(block.named_parameters())
    for name, tensor in sd.items():
        np.testing.assert_allclose(params[name].grad.numpy(), tensor.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(twin_grads[name], tensor.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.torch
def test_gpt_block_post_norm_and_unmasked_variants_are_what_the_checker_names():
    torch = torch_or_skip()
    mod = spec_of("gpt-block")
    weights = mod.block_weights(1, 16)
    x_np, _ = mod.batch(1, 1, 5, 16)
    sd = {k: torch.from_numpy(v.astype(np.float64)) for k, v in weights.items()}
    f = torch.nn.functional
    x = torch.from_numpy(x_np.astype(np.float64))
    # a post-norm block written with torch's ops equals the twin's post_norm variant
    d = 16
    q, k, v = (z.reshape(1, 5, 2, 8).transpose(1, 2) for z in f.linear(x, sd["attn.c_attn.weight"], sd["attn.c_attn.bias"]).chunk(3, -1))
    y = f.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(1, 5, d)
    x1 = f.layer_norm(x + f.linear(y, sd["attn.c_proj.weight"], sd["attn.c_proj.bias"]), (d,), sd["ln_1.weight"], sd["ln_1.bias"])
    m = f.linear(f.gelu(f.linear(x1, sd["mlp.c_fc.weight"], sd["mlp.c_fc.bias"]), approximate="tanh"), sd["mlp.c_proj.weight"], sd["mlp.c_proj.bias"])
    post = f.layer_norm(x1 + m, (d,), sd["ln_2.weight"], sd["ln_2.bias"])
    np.testing.assert_allclose(mod.block_np(weights, x_np, 2, post_norm=True), post.numpy(), rtol=1e-12, atol=1e-12)
    unmasked = mod.block_np(weights, x_np, 2, causal=False)
    assert not np.allclose(unmasked, mod.block_np(weights, x_np, 2), rtol=1e-4, atol=1e-5)


@pytest.mark.torch
@pytest.mark.cuda
def test_gpt_block_and_tensor_parallel_references_pass_on_cuda():
    torch = torch_or_skip()
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU: torch.cuda.is_available() is False on this machine")
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    for exercise_id in ("gpt-block", "tensor-parallel-mlp"):
        report = grade_submission(GradeRequest(reference_path(exercise_id), exercise=exercise_id, seed=0, device="cuda", record=False))
        assert report.status.value == "passed", [c.message for c in report.cases]


# ----------------------------------------------------------------------------- tensor-parallel-mlp


def _tp_rank(rank: int, world: int):
    mod = spec_of("tensor-parallel-mlp")
    case = next(c for c in mod.cases(3) if c.kwargs["world_size"] == world)
    return mod.SPEC.run(reference("tensor-parallel-mlp", "tp_mlp"), dict(case.kwargs), "cpu")


@pytest.mark.torch
@pytest.mark.parametrize("world", [2, 4])
def test_tensor_parallel_reference_equals_the_single_device_torch_mlp(world):
    torch = torch_or_skip()
    from torch_helpers import in_process_group

    mod = spec_of("tensor-parallel-mlp")
    case = next(c for c in mod.cases(3) if c.kwargs["world_size"] == world)
    per_rank = in_process_group(world, _tp_rank)
    full = mod.case_weights(case.kwargs)
    d, f = full["w1"].shape
    mlp = torch.nn.Sequential(torch.nn.Linear(d, f), torch.nn.GELU(), torch.nn.Linear(f, d)).double()
    with torch.no_grad():
        mlp[0].weight.copy_(torch.from_numpy(full["w1"].T.astype(np.float64)))
        mlp[0].bias.copy_(torch.from_numpy(full["b1"].astype(np.float64)))
        mlp[2].weight.copy_(torch.from_numpy(full["w2"].T.astype(np.float64)))
        mlp[2].bias.copy_(torch.from_numpy(full["b2"].astype(np.float64)))
        want = mlp(torch.from_numpy(full["x"].astype(np.float64))).numpy()
    np.testing.assert_allclose(mod.mlp_np(full), want, rtol=1e-12, atol=1e-12)  # the grader's twin
    for res in per_rank:
        assert res["mutated"] == []
        np.testing.assert_allclose(res["out"], want, rtol=1e-5, atol=1e-5)
    assert case.check(case, {"ranks": per_rank}, None) is None


def test_tensor_parallel_slips_are_told_apart():
    mod = spec_of("tensor-parallel-mlp")
    for case in mod.cases(0):
        full, world = mod.case_weights(case.kwargs), case.kwargs["world_size"]
        want = mod.mlp_np(full)
        variants = mod.slips(full, world)
        for outs, why in variants:  # each slip is visibly wrong, and the checker names it
            assert not all(np.allclose(o, want, rtol=mod.RTOL, atol=mod.ATOL) for o in outs), why
            got = {"ranks": [{"out": o.astype(np.float32), "mutated": []} for o in outs]}
            assert why in case.check(case, got, None)


# ----------------------------------------------------------------------------- all five NumPy exercises

NUMPY_IDS = {"kv-cache-decode": "attend_step", "sampling-filters": "sampling_probs", "beam-search": "beam_search",
             "speculative-decoding": "speculative_accept", "paged-attention": "paged_attention"}


def _same_kwargs(a, b):
    return a.keys() == b.keys() and all(
        np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a)


@pytest.mark.parametrize("seed", [0, 98765])
@pytest.mark.parametrize("exercise_id", sorted(NUMPY_IDS))
def test_reference_satisfies_every_case_in_process(exercise_id, seed):
    import copy

    mod = spec_of(exercise_id)
    fn = reference(exercise_id, NUMPY_IDS[exercise_id])
    cases = mod.cases(seed)
    assert len({c.name for c in cases}) == len(cases) and {"edge", "random"} <= {c.kind for c in cases}
    for case in cases:
        kwargs = copy.deepcopy(case.kwargs)
        if case.raises:
            with pytest.raises(ValueError):
                fn(**kwargs)
            continue
        got = mod.SPEC.run(fn, kwargs, "cpu") if mod.SPEC.run else fn(**kwargs)
        for name, value in case.kwargs.items():  # inputs untouched
            assert np.array_equal(np.asarray(value), np.asarray(kwargs[name])), f"{case.name}: {name} modified"
        expected = None if mod.SPEC.run else fn(**copy.deepcopy(case.kwargs))
        assert case.check(case, got, expected) is None, case.name


@pytest.mark.parametrize("exercise_id", sorted(NUMPY_IDS) + ["gpt-block", "tensor-parallel-mlp"])
def test_cases_follow_the_seed_and_every_case_has_a_checker(exercise_id):
    mod = spec_of(exercise_id)
    first, again, other = mod.cases(7), mod.cases(7), mod.cases(8)
    rand = [(a, b) for a, b in zip(first, again) if a.kind == "random"]
    assert rand and all(a.seed == 7 for a, _ in rand)
    assert all(_same_kwargs(a.kwargs, b.kwargs) for a, b in rand)
    assert not all(_same_kwargs(a.kwargs, b.kwargs) for a, b in zip(first, other) if a.kind == "random")
    assert all(c.check is not None or c.raises for c in first)


@pytest.mark.parametrize("exercise_id", sorted(NUMPY_IDS) + ["gpt-block", "tensor-parallel-mlp"])
def test_statement_is_complete_in_both_languages(exercise_id):
    from bigmodel_quiz.exercises.catalog import load_exercise

    ex = load_exercise(exercise_id)
    assert len(ex.hints) >= 2 and all(h.get("en") and h.get("zh") for h in ex.hints)
    assert ex.statement.get("en") and ex.statement.get("zh") and ex.edge_cases.get("zh")
    assert ex.entry in ex.starter and "NotImplementedError" in ex.starter
