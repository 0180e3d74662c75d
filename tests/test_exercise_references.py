"""Content tests: every reference solution checked against an independent computation.

The grader's own golden tests prove that references pass their cases through the real
sandbox; these tests prove the references (and the cases and property checkers) are
right in the first place: loops from the definition, finite differences, PyTorch's own
implementations (skipped with a reason when torch is absent) and published numbers.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import math

import numpy as np
import pytest

from bigmodel_quiz.exercises.catalog import load_exercise
from bigmodel_quiz.paths import solutions_dir

# The Python/NumPy exercises whose content this file covers (mlp-param-count is tested with
# the grader core).
EXERCISES = [
    "transformer-param-count",
    "kv-cache-bytes",
    "zero-memory",
    "mlp-forward-backward",
    "conv2d",
    "maxpool2d",
    "softmax-cross-entropy",
    "rnn-forward",
    "layer-norm",
    "attention",
    "dropout",
    "ridge-regression",
    "early-stopping",
    "adamw-step",
    "precision-recall-f1",
    "roc-auc",
    "confusion-matrix",
    "perplexity",
    "quantize-int8",
]


def _module_name(exercise_id: str) -> str:
    return exercise_id.replace("-", "_")


def reference(exercise_id: str):
    """The reference solution's entry point, imported from solutions/."""
    path = solutions_dir() / f"{_module_name(exercise_id)}.py"
    spec = importlib.util.spec_from_file_location(f"_reference_{_module_name(exercise_id)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, load_exercise(exercise_id).entry)


def spec_of(exercise_id: str):
    return importlib.import_module(f"bigmodel_quiz.exercises.{_module_name(exercise_id)}")


def torch_or_skip():
    return pytest.importorskip("torch", reason="PyTorch is not installed; the cross-check against torch is skipped")


def _equal(a, b) -> bool:
    if isinstance(a, np.random.Generator):
        return a.bit_generator.state == b.bit_generator.state
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    return type(a) is type(b) and a == b


def _finite(result) -> bool:
    if isinstance(result, dict):
        return all(_finite(v) for v in result.values())
    if isinstance(result, (tuple, list)):
        return all(_finite(v) for v in result)
    return bool(np.all(np.isfinite(np.asarray(result, dtype=float))))


# ---------------------------------------------------------------------------------------
# Every case, run in-process through the reference: the cases themselves are well-formed.


@pytest.mark.parametrize("seed", [0, 12345])
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_reference_satisfies_its_cases(exercise_id, seed):
    spec = spec_of(exercise_id)
    fn = reference(exercise_id)
    cases = spec.cases(seed)
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    assert {c.kind for c in cases} >= {"edge", "random"}
    for case in cases:
        kwargs = copy.deepcopy(case.kwargs)
        if case.raises:
            with pytest.raises(ValueError):
                fn(**kwargs)
            continue
        result = fn(**kwargs)
        for name, value in case.kwargs.items():
            if name not in case.mutable:
                assert _equal(value, kwargs[name]), f"{case.name}: reference modified {name}"
        assert _finite(result), f"{case.name}: non-finite reference result"
        if case.check:
            expected = fn(**copy.deepcopy(case.kwargs))
            assert case.check(case, result, expected) is None, case.name


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_random_cases_follow_the_seed(exercise_id):
    spec = spec_of(exercise_id)
    first, again, other = spec.cases(7), spec.cases(7), spec.cases(8)
    rand = [(a, b) for a, b in zip(first, again) if a.kind == "random"]
    assert rand and all(a.seed == 7 for a, _ in rand)
    assert all(_equal_kwargs(a.kwargs, b.kwargs) for a, b in rand)
    assert not all(_equal_kwargs(a.kwargs, b.kwargs) for a, b in zip(first, other) if a.kind == "random")


def _equal_kwargs(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)


# ---------------------------------------------------------------------------------------
# Parameter and memory counts: published numbers and torch modules.


def test_gpt2_small_published_count():
    count = reference("transformer-param-count")
    assert count(50257, 1024, 768, 12) == 124_439_808
    assert count(50257, 1024, 1024, 24) == 354_823_168  # GPT-2 medium (Hugging Face "gpt2-medium")
    assert count(50257, 1024, 768, 12, tied_embeddings=False) == 124_439_808 + 50257 * 768


@pytest.mark.torch
@pytest.mark.parametrize(
    ("vocab", "positions", "d_model", "layers", "d_ff", "tied"),
    [(50257, 1024, 768, 12, None, True), (1000, 64, 32, 3, 100, False), (17, 5, 8, 2, None, False), (3, 2, 2, 1, 5, True)],
)
def test_transformer_count_matches_a_torch_gpt2(vocab, positions, d_model, layers, d_ff, tied):
    torch = torch_or_skip()
    nn = torch.nn
    hidden = d_ff or 4 * d_model

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1, self.ln_2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
            self.c_attn, self.c_proj = nn.Linear(d_model, 3 * d_model), nn.Linear(d_model, d_model)
            self.mlp = nn.Sequential(nn.Linear(d_model, hidden), nn.GELU(), nn.Linear(hidden, d_model))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(vocab, d_model), nn.Embedding(positions, d_model)
            self.h = nn.ModuleList(Block() for _ in range(layers))
            self.ln_f = nn.LayerNorm(d_model)
            self.lm_head = nn.Linear(d_model, vocab, bias=False)
            if tied:
                self.lm_head.weight = self.wte.weight

    with torch.device("meta"):  # shapes only: no memory for GPT-2's 124M parameters
        model = GPT()
    torch_count = sum(p.numel() for p in model.parameters())  # parameters() yields a tied tensor once
    assert reference("transformer-param-count")(vocab, positions, d_model, layers, d_ff, tied) == torch_count


def test_kv_cache_llama2_7b_is_2_gib():
    kv = reference("kv-cache-bytes")
    assert kv(1, 4096, 32, 32, 128) == 2 * 1024**3  # 0.5 MiB per token, 4096 tokens
    assert kv(1, 1, 32, 32, 128, 2) == 524_288
    assert kv(8, 4096, 80, 8, 128, 2) == 10 * 1024**3  # Llama-2-70B, GQA with 8 KV heads


def test_zero_memory_matches_the_paper_figure_1():
    zero = reference("zero-memory")
    # Rajbhandari et al., ZeRO (SC20), figure 1: 7.5B parameters, N_d = 64, K = 12.
    paper_gb = {0: 120.0, 1: 31.4, 2: 16.6, 3: 1.88}
    for stage, gb in paper_gb.items():
        got = zero(7_500_000_000, 64, stage) / 1e9
        assert round(got, 3 - 1 - math.floor(math.log10(gb))) == gb, (stage, got)
    assert zero(1000, 1, 3) == zero(1000, 1, 0) == 16_000


# ---------------------------------------------------------------------------------------
# Fundamentals: loops, finite differences and torch.


def _mlp_inputs(seed, n=5, d=4, h=6, o=3):
    rng = np.random.default_rng(seed)
    return dict(
        x=rng.normal(size=(n, d)),
        y=rng.normal(size=(n, o)),
        w1=rng.normal(size=(d, h)) / 2,
        b1=rng.normal(size=h),
        w2=rng.normal(size=(h, o)) / 2,
        b2=rng.normal(size=o),
    )


@pytest.mark.parametrize("shape", [(5, 4, 6, 3), (1, 3, 4, 2), (4, 2, 3, 1)])
def test_mlp_gradients_match_finite_differences(shape):
    fn = reference("mlp-forward-backward")
    args = _mlp_inputs(1, *shape)
    _, grads = fn(**args)
    step = 1e-6
    for name in ("w1", "b1", "w2", "b2"):
        numeric = np.zeros_like(args[name])
        for idx in np.ndindex(args[name].shape):
            plus, minus = copy.deepcopy(args), copy.deepcopy(args)
            plus[name][idx] += step
            minus[name][idx] -= step
            numeric[idx] = (fn(**plus)[0] - fn(**minus)[0]) / (2 * step)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)


@pytest.mark.torch
def test_mlp_matches_torch_autograd():
    torch = torch_or_skip()
    args = _mlp_inputs(2, 7, 5, 9, 4)
    loss, grads = reference("mlp-forward-backward")(**args)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k not in ("x", "y")) for k, v in args.items()}
    out = torch.tanh(t["x"] @ t["w1"] + t["b1"]) @ t["w2"] + t["b2"]
    t_loss = torch.nn.functional.mse_loss(out, t["y"])
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item(), rel=1e-12)
    for name in grads:
        np.testing.assert_allclose(grads[name], t[name].grad.numpy(), rtol=1e-10, atol=1e-13, err_msg=name)


def _conv_loop(x, w, b, stride, padding):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    xp[:, :, padding : padding + h, padding : padding + wd] = x
    oh, ow = (h + 2 * padding - kh) // stride + 1, (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i_n in range(n):
        for i_f in range(f):
            for i in range(oh):
                for j in range(ow):
                    window = xp[i_n, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
                    out[i_n, i_f, i, j] = np.sum(window * w[i_f]) + b[i_f]
    return out


def test_conv2d_matches_a_direct_loop():
    conv2d = reference("conv2d")
    for case in spec_of("conv2d").cases(3):
        kw = case.kwargs
        expected = _conv_loop(kw["x"], kw["w"], kw["b"], kw.get("stride", 1), kw.get("padding", 0))
        np.testing.assert_allclose(conv2d(**kw), expected, rtol=1e-12, atol=1e-12, err_msg=case.name)


@pytest.mark.torch
def test_conv2d_matches_torch():
    torch = torch_or_skip()
    conv2d = reference("conv2d")
    for case in spec_of("conv2d").cases(4):
        kw = case.kwargs
        t = torch.nn.functional.conv2d(
            torch.from_numpy(kw["x"]),
            torch.from_numpy(kw["w"]),
            torch.from_numpy(kw["b"]),
            stride=kw.get("stride", 1),
            padding=kw.get("padding", 0),
        )
        np.testing.assert_allclose(conv2d(**kw), t.numpy(), rtol=1e-12, atol=1e-12, err_msg=case.name)


def test_maxpool2d_matches_a_direct_loop():
    pool = reference("maxpool2d")
    for case in spec_of("maxpool2d").cases(5):
        x, k = case.kwargs["x"], case.kwargs["kernel_size"]
        s = case.kwargs.get("stride") or k
        n, c, h, w = x.shape
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        expected = np.array(
            [[[[x[a, b, i * s : i * s + k, j * s : j * s + k].max() for j in range(ow)] for i in range(oh)] for b in range(c)] for a in range(n)]
        )
        np.testing.assert_array_equal(pool(**case.kwargs), expected, err_msg=case.name)


@pytest.mark.torch
def test_maxpool2d_matches_torch():
    torch = torch_or_skip()
    pool = reference("maxpool2d")
    for case in spec_of("maxpool2d").cases(6):
        kw = case.kwargs
        t = torch.nn.functional.max_pool2d(torch.from_numpy(kw["x"]), kw["kernel_size"], kw.get("stride"))
        np.testing.assert_array_equal(pool(**kw), t.numpy(), err_msg=case.name)


@pytest.mark.torch
def test_softmax_cross_entropy_matches_torch():
    torch = torch_or_skip()
    fn = reference("softmax-cross-entropy")
    for case in spec_of("softmax-cross-entropy").cases(8):
        logits = torch.tensor(case.kwargs["logits"], requires_grad=True)
        t_loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(case.kwargs["labels"]))
        t_loss.backward()
        loss, grad = fn(**case.kwargs)
        assert loss == pytest.approx(t_loss.item(), rel=1e-12, abs=1e-12), case.name
        np.testing.assert_allclose(grad, logits.grad.numpy(), rtol=1e-10, atol=1e-14, err_msg=case.name)


def test_softmax_cross_entropy_from_the_definition():
    fn = reference("softmax-cross-entropy")
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)  # safe at this scale
    loss, grad = fn(logits, labels)
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(6), labels])), rel=1e-13)
    assert fn(np.zeros((3, 10)), np.array([0, 4, 9]))[0] == pytest.approx(math.log(10), rel=1e-14)
    huge_loss, huge_grad = fn(np.array([[1e4, 0.0, -1e4]]), np.array([1]))
    assert huge_loss == pytest.approx(1e4) and np.isfinite(huge_grad).all()


def _rnn_loop(x, h0, w_xh, w_hh, b):
    n, t_len, _ = x.shape
    states = np.zeros((n, t_len, h0.shape[1]))
    for i in range(n):
        h = h0[i]
        for t in range(t_len):
            h = np.tanh(x[i, t] @ w_xh + h @ w_hh + b)
            states[i, t] = h
    return states, states[:, -1]


def test_rnn_forward_matches_a_loop():
    fn = reference("rnn-forward")
    for case in spec_of("rnn-forward").cases(9):
        states, last = fn(**case.kwargs)
        exp_states, exp_last = _rnn_loop(**case.kwargs)
        np.testing.assert_allclose(states, exp_states, rtol=1e-12, atol=1e-14, err_msg=case.name)
        np.testing.assert_allclose(last, exp_last, rtol=1e-12, atol=1e-14, err_msg=case.name)


@pytest.mark.torch
def test_rnn_forward_matches_torch_rnn():
    torch = torch_or_skip()
    fn = reference("rnn-forward")
    kw = spec_of("rnn-forward").cases(10)[0].kwargs
    d, h = kw["w_xh"].shape
    rnn = torch.nn.RNN(d, h, nonlinearity="tanh", batch_first=True).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(kw["w_xh"].T))
        rnn.weight_hh_l0.copy_(torch.from_numpy(kw["w_hh"].T))
        rnn.bias_ih_l0.copy_(torch.from_numpy(kw["b"]))
        rnn.bias_hh_l0.zero_()
        t_states, t_last = rnn(torch.from_numpy(kw["x"]), torch.from_numpy(kw["h0"])[None])
    states, last = fn(**kw)
    np.testing.assert_allclose(states, t_states.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(last, t_last[0].numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.torch
def test_layer_norm_matches_torch():
    torch = torch_or_skip()
    fn = reference("layer-norm")
    for case in spec_of("layer-norm").cases(11):
        kw = case.kwargs
        d = kw["x"].shape[-1]
        t = torch.nn.functional.layer_norm(
            torch.from_numpy(kw["x"]), (d,), torch.from_numpy(kw["gamma"]), torch.from_numpy(kw["beta"]), eps=kw.get("eps", 1e-5)
        )
        np.testing.assert_allclose(fn(**kw), t.numpy(), rtol=1e-10, atol=1e-12, err_msg=case.name)


def test_layer_norm_constant_rows_give_beta():
    fn = reference("layer-norm")
    beta = np.array([0.5, -1.0, 2.0])
    np.testing.assert_array_equal(fn(np.full((2, 3), 7.0), np.ones(3), beta), np.broadcast_to(beta, (2, 3)))


def _attention_loop(q, k, v, causal=False):
    b, h, tq, d = q.shape
    out = np.zeros_like(q)
    for i_b in range(b):
        for i_h in range(h):
            for i in range(tq):
                keys = range(i + 1) if causal else range(k.shape[2])
                scores = np.array([q[i_b, i_h, i] @ k[i_b, i_h, j] / math.sqrt(d) for j in keys])
                weights = np.exp(scores - scores.max())
                weights /= weights.sum()
                out[i_b, i_h, i] = sum(wt * v[i_b, i_h, j] for wt, j in zip(weights, keys))
    return out


def test_attention_matches_a_loop():
    fn = reference("attention")
    for case in spec_of("attention").cases(12):
        np.testing.assert_allclose(fn(**case.kwargs), _attention_loop(**case.kwargs), rtol=1e-10, atol=1e-12, err_msg=case.name)


@pytest.mark.torch
def test_attention_matches_torch_sdpa():
    torch = torch_or_skip()
    fn = reference("attention")
    for case in spec_of("attention").cases(13):
        kw = case.kwargs
        t = torch.nn.functional.scaled_dot_product_attention(
            torch.from_numpy(kw["q"]), torch.from_numpy(kw["k"]), torch.from_numpy(kw["v"]), is_causal=kw.get("causal", False)
        )
        np.testing.assert_allclose(fn(**kw), t.numpy(), rtol=1e-9, atol=1e-11, err_msg=case.name)


# ---------------------------------------------------------------------------------------
# Dropout and quantisation: the property checkers accept the reference and reject mistakes.


def _dropout_case(name: str):
    return next(c for c in spec_of("dropout").cases(0) if c.name == name)


def test_dropout_checker_accepts_the_reference_over_many_draws():
    fn, spec = reference("dropout"), spec_of("dropout")
    case = _dropout_case("p-0.1")
    for draw in range(30):
        kwargs = {**case.kwargs, "rng": np.random.default_rng(draw)}
        assert spec.check_inverted_dropout(case, fn(**kwargs), None) is None


def test_dropout_checker_rejects_common_mistakes():
    spec = spec_of("dropout")
    case = _dropout_case("p-0.1")
    x, p = case.kwargs["x"], case.kwargs["p"]
    keep = np.random.default_rng(0).random(x.shape) >= p
    not_inverted = np.where(keep, x * (1 - p), 0.0)
    assert "scaled by exactly 1/(1-p)" in spec.check_inverted_dropout(case, not_inverted, None)
    kept_with_p = np.where(~keep, x / (1 - p), 0.0)
    assert "kept fraction" in spec.check_inverted_dropout(case, kept_with_p, None)
    assert "kept fraction" in spec.check_inverted_dropout(case, x / (1 - p), None)  # nothing dropped
    eval_case = _dropout_case("eval-identity")
    dropped = np.where(np.random.default_rng(1).random(eval_case.kwargs["x"].shape) >= 0.5, 2 * eval_case.kwargs["x"], 0.0)
    assert "identity expected" in spec.check_identity(eval_case, dropped, None)


def test_dropout_mean_is_preserved():
    fn = reference("dropout")
    x = np.ones(200_000)
    out = fn(x, 0.3, True, np.random.default_rng(0))
    assert out.mean() == pytest.approx(1.0, abs=0.01)  # E[dropout(x)] = x: the point of the 1/(1-p)


def _quantize_loop(x, axis):
    if axis is None:
        amax = np.abs(x).max()
        scale = amax / 127 if amax > 0 else 1.0
        return np.array([max(-127, min(127, round(v / scale))) for v in x.ravel()]).reshape(x.shape), scale
    moved = np.moveaxis(x, axis, 0)
    scales = []
    q = np.zeros(moved.shape, dtype=int)
    for i, sl in enumerate(moved):
        amax = np.abs(sl).max()
        scales.append(amax / 127 if amax > 0 else 1.0)
        q[i] = np.array([round(v / scales[-1]) for v in sl.ravel()]).reshape(sl.shape)
    return np.moveaxis(q, 0, axis), np.array(scales)


def test_quantize_matches_a_loop_and_the_checker_rejects_mistakes():
    fn, spec = reference("quantize-int8"), spec_of("quantize-int8")
    for case in spec.cases(14):
        q, scale = fn(**case.kwargs)
        exp_q, exp_scale = _quantize_loop(case.kwargs["x"], case.kwargs.get("axis"))
        np.testing.assert_allclose(scale, exp_scale, rtol=1e-15, err_msg=case.name)
        assert np.abs(q.astype(int) - exp_q).max(initial=0) <= 1, case.name  # rounding ties may differ
        assert q.dtype == np.int8
    case = next(c for c in spec.cases(0) if c.name == "per-row-axis-0")
    expected = fn(**case.kwargs)
    q, scale = expected
    assert "int8" in spec.check_quantized(case, (q.astype(float), scale), expected)
    assert "scale wrong" in spec.check_quantized(case, (q, scale * 127 / 128), expected)
    assert "scale shape" in spec.check_quantized(case, (q, float(scale.max())), expected)
    assert "reconstruction" in spec.check_quantized(case, (np.trunc(case.kwargs["x"] / scale[:, None]).astype(np.int8), scale), expected)


# ---------------------------------------------------------------------------------------
# Overfitting: ridge, early stopping, AdamW.


def test_ridge_matches_lstsq_on_the_augmented_system():
    fn = reference("ridge-regression")
    for case in spec_of("ridge-regression").cases(15):
        if case.raises:
            continue
        X, y, lam = case.kwargs["X"], case.kwargs["y"], case.kwargs["lam"]
        d = X.shape[1]
        # min ||y - Xw||^2 + lam ||w||^2  ==  min || [y; 0] - [X; sqrt(lam) I] w ||^2
        aug_X = np.vstack([X, math.sqrt(lam) * np.eye(d)])
        aug_y = np.concatenate([y, np.zeros(d)])
        expected = np.linalg.lstsq(aug_X, aug_y, rcond=None)[0]
        np.testing.assert_allclose(fn(X, y, lam), expected, rtol=1e-8, atol=1e-10, err_msg=case.name)


def test_ridge_normal_equations_pass_the_tolerance():
    # The documented tolerance must accept the textbook solution, not only the SVD one.
    spec, fn = spec_of("ridge-regression"), reference("ridge-regression")
    for seed in range(5):
        for case in spec.cases(seed):
            if case.raises:
                continue
            X, y, lam = case.kwargs["X"], case.kwargs["y"], case.kwargs["lam"]
            normal = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
            np.testing.assert_allclose(normal, fn(X, y, lam), rtol=spec.RTOL, atol=spec.ATOL, err_msg=case.name)


def _early_stopping_by_definition(val_losses, patience, min_delta=0.0):
    losses = val_losses
    # Mark which epochs improve, then look for the first run of `patience` non-improving ones.
    improved, best = [], math.inf
    for loss in losses:
        improved.append(loss < best - min_delta)
        if improved[-1]:
            best = loss
    stop = len(losses) - 1
    for end in range(len(losses)):
        if end + 1 >= patience and not any(improved[end - patience + 1 : end + 1]):
            stop = end
            break
    best_epoch = max(i for i in range(stop + 1) if improved[i])
    return best_epoch, stop


def test_early_stopping_matches_the_definition():
    fn = reference("early-stopping")
    for seed in range(20):
        for case in spec_of("early-stopping").cases(seed):
            if not case.raises:
                assert fn(**case.kwargs) == _early_stopping_by_definition(**case.kwargs), case.name
    assert fn([1.0, 0.8, 0.7, 0.71, 0.72, 0.73, 0.6], 3) == (2, 5)
    assert fn([1.0, 0.95, 0.92, 0.91, 0.5], 3, min_delta=0.1) == (0, 3)


@pytest.mark.torch
@pytest.mark.parametrize(
    "hyper",
    [
        {},
        {"lr": 1e-2, "weight_decay": 0.1},
        {"lr": 3e-4, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6, "weight_decay": 0.0},
    ],
)
def test_adamw_matches_torch_over_several_steps(hyper):
    torch = torch_or_skip()
    step = reference("adamw-step")
    rng = np.random.default_rng(16)
    param = rng.normal(size=(4, 3))
    t_param = torch.tensor(param, requires_grad=True)
    full = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01, **hyper}
    opt = torch.optim.AdamW(
        [t_param], lr=full["lr"], betas=(full["beta1"], full["beta2"]), eps=full["eps"], weight_decay=full["weight_decay"]
    )
    m, v = np.zeros_like(param), np.zeros_like(param)
    for t in range(1, 26):
        grad = rng.normal(size=param.shape) * (1e-8 if t % 5 == 0 else 1.0)  # some eps-dominated steps
        t_param.grad = torch.from_numpy(grad.copy())
        opt.step()
        param, m, v = step(param, grad, m, v, t, **hyper)
        state = opt.state[t_param]
        np.testing.assert_allclose(param, t_param.detach().numpy(), rtol=1e-12, atol=1e-14, err_msg=f"step {t}")
        np.testing.assert_allclose(m, state["exp_avg"].numpy(), rtol=1e-12, atol=1e-20)
        np.testing.assert_allclose(v, state["exp_avg_sq"].numpy(), rtol=1e-12, atol=1e-30)


# ---------------------------------------------------------------------------------------
# Evaluation metrics: from-definition loops.


def _prf_by_definition(y_true, y_pred, average="binary"):
    def ratio(a, b):
        return a / b if b else 0.0

    def counts(label):
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == label and p == label)
        fp = sum(1 for t, p in zip(y_true, y_pred) if t != label and p == label)
        fn = sum(1 for t, p in zip(y_true, y_pred) if t == label and p != label)
        return tp, fp, fn

    def prf(tp, fp, fn):
        prec, rec = ratio(tp, tp + fp), ratio(tp, tp + fn)
        return prec, rec, ratio(2 * prec * rec, prec + rec)

    labels = sorted(set(y_true.tolist()) | set(y_pred.tolist()))
    if average == "binary":
        return prf(*counts(1))
    if average == "micro":
        tp, fp, fn = (sum(c) for c in zip(*(counts(lab) for lab in labels)))
        return prf(tp, fp, fn)
    per_label = [prf(*counts(lab)) for lab in labels]
    return tuple(sum(col) / len(labels) for col in zip(*per_label))


def test_precision_recall_f1_matches_the_definition():
    fn = reference("precision-recall-f1")
    for seed in range(10):
        for case in spec_of("precision-recall-f1").cases(seed):
            if not case.raises:
                got = fn(**case.kwargs)
                assert got == pytest.approx(_prf_by_definition(**case.kwargs), rel=1e-12, abs=1e-15), case.name


def test_macro_f1_is_the_mean_of_per_label_f1():
    # Hand-computed: per-label F1 = 2/3, 2/5, 8/9 (mean 0.652); F1 of the macro P and R is 0.688.
    y_true = np.array([0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2, 2])
    p, r, f1 = reference("precision-recall-f1")(y_true, y_pred, "macro")
    assert f1 == pytest.approx((2 / 3 + 2 / 5 + 8 / 9) / 3, rel=1e-12)
    assert abs(f1 - 2 * p * r / (p + r)) > 0.01


def _auc_pairs(y_true, scores):
    pos = [s for s, y in zip(scores, y_true) if y == 1]
    neg = [s for s, y in zip(scores, y_true) if y == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def _auc_trapezoid(y_true, scores):
    # The ROC curve through every distinct threshold, integrated with the trapezoid rule.
    thresholds = np.unique(scores)[::-1]
    pos, neg = (y_true == 1).sum(), (y_true == 0).sum()
    tpr = [0.0] + [((scores >= t) & (y_true == 1)).sum() / pos for t in thresholds]
    fpr = [0.0] + [((scores >= t) & (y_true == 0)).sum() / neg for t in thresholds]
    return float(np.trapezoid(tpr, fpr))


def test_roc_auc_matches_pairs_and_the_trapezoid_rule():
    fn = reference("roc-auc")
    for seed in range(5):
        for case in spec_of("roc-auc").cases(seed):
            if not case.raises:
                got = fn(**case.kwargs)
                assert got == pytest.approx(_auc_pairs(**case.kwargs), rel=1e-12), case.name
                assert got == pytest.approx(_auc_trapezoid(**case.kwargs), rel=1e-12), case.name
    assert fn(np.array([0, 1, 0, 1]), np.array([0.5, 0.5, 0.5, 0.5])) == 0.5


def test_confusion_matrix_matches_a_loop():
    fn = reference("confusion-matrix")
    for case in spec_of("confusion-matrix").cases(17):
        if case.raises:
            continue
        kw = case.kwargs
        expected = np.zeros((kw["num_classes"],) * 2, dtype=int)
        for t, p in zip(kw["y_true"], kw["y_pred"]):
            expected[t, p] += 1
        got = fn(**kw)
        assert np.issubdtype(got.dtype, np.integer)
        np.testing.assert_array_equal(got, expected, err_msg=case.name)


@pytest.mark.torch
def test_perplexity_matches_exp_of_torch_cross_entropy():
    torch = torch_or_skip()
    fn = reference("perplexity")
    rng = np.random.default_rng(18)
    logits = rng.normal(size=(3, 7, 11))
    targets = rng.integers(0, 11, size=(3, 7))
    mask = rng.random((3, 7)) < 0.7
    mask[0, 0] = True
    log_probs = torch.log_softmax(torch.from_numpy(logits), dim=-1).gather(-1, torch.from_numpy(targets)[..., None])[..., 0]
    flat_targets = torch.from_numpy(np.where(mask, targets, -100)).reshape(-1)
    ce = torch.nn.functional.cross_entropy(torch.from_numpy(logits).reshape(-1, 11), flat_targets, ignore_index=-100)
    assert fn(log_probs.numpy(), mask) == pytest.approx(math.exp(ce.item()), rel=1e-12)


def test_perplexity_from_the_definition():
    fn = reference("perplexity")
    assert fn(np.full((2, 4), math.log(1 / 50))) == pytest.approx(50.0, rel=1e-12)
    lp = np.log(np.array([[0.5, 0.25, 0.1], [0.2, 0.9, 0.3]]))
    mask = np.array([[True, True, False], [True, False, False]])
    assert fn(lp, mask) == pytest.approx((0.5 * 0.25 * 0.2) ** (-1 / 3), rel=1e-12)


# ---------------------------------------------------------------------------------------
# The text, the starter and the reference agree on the public signature.


def _params_of_source(source: str, name: str) -> list[tuple[str, object]]:
    import ast

    fn = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)
    args = fn.args.args
    defaults = [None] * (len(args) - len(fn.args.defaults)) + [ast.literal_eval(d) for d in fn.args.defaults]
    return [(a.arg, "<required>" if i < len(args) - len(fn.args.defaults) else d) for i, (a, d) in enumerate(zip(args, defaults))]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_statement_starter_and_reference_share_the_signature(exercise_id):
    import inspect

    import yaml

    from bigmodel_quiz.paths import exercise_text_dir

    text = yaml.safe_load((exercise_text_dir() / f"{exercise_id}.yaml").read_text(encoding="utf-8"))
    assert text["id"] == exercise_id
    declared = _params_of_source(text["signature"] + ": ...", text["entry"])
    starter = _params_of_source(text["starter"], text["entry"])
    ref = [
        (p.name, "<required>" if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(reference(exercise_id)).parameters.values()
    ]
    assert declared == starter == ref
    assert "raise NotImplementedError" in text["starter"]
    assert len(text["hints"]) >= 2 and all(h.get("en") and h.get("zh") for h in text["hints"])
    for field in ("title", "statement"):
        assert text[field]["en"].strip() and text[field]["zh"].strip()
    assert len(text["edge_cases"]["en"]) == len(text["edge_cases"]["zh"]) >= 2
