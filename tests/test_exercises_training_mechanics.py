"""Content tests for the training-mechanics and serving-arithmetic exercises (lr-schedule, grad-clip,
int4-group-quant, roofline-decode, pipeline-1f1b, kmeans, logistic-regression).

Each reference is checked against an independent computation: PyTorch's own schedulers
(LambdaLR + CosineAnnealingLR), `clip_grad_norm_` and `BCEWithLogitsLoss` with autograd (skipped
with a reason when torch is absent); a brute-force search over the 16 int4 codes and the
dequantisation bound; the roofline written as FLOPs / min(peak, intensity·bandwidth); a
simulation of the pipeline's dependencies; Lloyd's algorithm in plain Python loops and an
enumeration of every clustering of tiny inputs. The statements' examples are recomputed, and
every named mistake is shown to be recognised by its exercise's checker.
"""

from __future__ import annotations

import copy
import itertools
import math

import numpy as np
import pytest

from exercise_helpers import reference, same_input, same_kwargs, spec_of, torch_or_skip, valid_cases

EXERCISES = ["lr-schedule", "grad-clip", "int4-group-quant", "roofline-decode", "pipeline-1f1b", "kmeans",
             "logistic-regression"]


def _expected(module, case):
    if module.SPEC.expected:
        return module.SPEC.expected(case)
    exercise_id = module.__name__.rsplit(".", 1)[1].replace("_", "-")
    return reference(exercise_id)(**copy.deepcopy(case.kwargs))


def _got(module, fn, kwargs):
    """What the grader's checker receives: through the exercise's driver when it has one."""
    spec = module.SPEC
    return spec.run(fn, kwargs, "cpu") if spec.run else fn(**kwargs)


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
        assert case.check is not None, case.name
        problem = case.check(case, _got(module, fn, kwargs), _expected(module, case))
        assert problem is None, f"{case.name}: {problem}"
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


def _mistakes():
    for exercise_id in EXERCISES:
        module = spec_of(exercise_id)
        for label, variant in module.MISTAKES:
            if isinstance(variant, dict):  # grad-clip lists the knobs of its clipping function
                variant = (lambda clip, knobs: lambda grads, max_norm: clip(grads, max_norm, **knobs))(module._clip, variant)
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
        got = {"value": wrong, "warnings": []} if module.SPEC.run is not None else wrong
        message = case.check(case, got, _expected(module, case))
        if message is not None and label in message:
            named += 1
    assert named, f"no deterministic case tells {label!r} apart"


def test_topics_are_grouped_under_the_bank_topics():
    from bigmodel_quiz.exercises.catalog import index
    from bigmodel_quiz.paths import bank_dir

    topics = {info.id: info.bank_topic for info in index() if info.id in EXERCISES}
    assert topics == {"lr-schedule": "training-optimisation", "grad-clip": "training-optimisation",
                      "int4-group-quant": "inference-deployment", "roofline-decode": "kernels-hardware",
                      "pipeline-1f1b": "distributed-training", "kmeans": "fundamentals",
                      "logistic-regression": "fundamentals"}
    for topic in set(topics.values()):
        assert (bank_dir() / f"{topic}.yaml").is_file(), topic


# ---------------------------------------------------------------------------------------
# lr-schedule


def _schedule(fn, max_lr, warmup, total, min_lr, steps):
    return [fn(s, max_lr, warmup, total, min_lr) for s in range(steps)]


@pytest.mark.parametrize(("max_lr", "warmup", "total", "min_lr"),
                         [(3e-4, 10, 110, 3e-5), (1.0, 0, 7, 0.0), (0.5, 5, 6, 0.1), (2e-3, 1, 40, 2e-3)])
def test_lr_schedule_equals_torch_lambda_then_cosine_annealing(max_lr, warmup, total, min_lr):
    torch = torch_or_skip()
    fn = reference("lr-schedule")
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([param], lr=max_lr)
    want = []
    if warmup:  # LambdaLR for the warm-up (factor step/warmup), then a fresh CosineAnnealingLR
        warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / warmup)
        for _ in range(warmup):
            want.append(opt.param_groups[0]["lr"])
            opt.step()
            warm.step()
        opt.param_groups[0]["lr"] = max_lr
        opt.param_groups[0]["initial_lr"] = max_lr
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=min_lr)
    for _ in range(total - warmup):
        want.append(opt.param_groups[0]["lr"])
        opt.step()
        cosine.step()
    got = _schedule(fn, max_lr, warmup, total, min_lr, total)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-15)
    assert want[-1] > min_lr or max_lr == min_lr  # torch's cosine is still above min_lr at total − 1
    assert fn(total, max_lr, warmup, total, min_lr) == min_lr == fn(total + 50, max_lr, warmup, total, min_lr)


def test_lr_schedule_half_angle_form_and_boundaries():
    fn = reference("lr-schedule")
    rng = np.random.default_rng(5)
    for _ in range(200):
        warmup = int(rng.integers(0, 30))
        total = warmup + int(rng.integers(1, 300))
        max_lr = float(rng.uniform(1e-5, 1.0))
        min_lr = float(rng.uniform(0, max_lr))
        step = int(rng.integers(warmup, total))
        p = (step - warmup) / (total - warmup)
        # ½(1 + cos πp) = cos²(πp/2)
        want = min_lr + (max_lr - min_lr) * math.cos(math.pi * p / 2) ** 2
        assert fn(step, max_lr, warmup, total, min_lr) == pytest.approx(want, rel=1e-12, abs=1e-15)
        assert fn(warmup, max_lr, warmup, total, min_lr) == pytest.approx(max_lr, rel=1e-15)
        if warmup:
            assert fn(0, max_lr, warmup, total, min_lr) == 0.0
            assert fn(warmup - 1, max_lr, warmup, total, min_lr) < max_lr
    assert [round(fn(s, 1.0, 2, 6), 4) for s in range(7)] == [0.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0]


# ---------------------------------------------------------------------------------------
# grad-clip


def test_grad_clip_equals_torch_clip_grad_norm():
    torch = torch_or_skip()
    fn = reference("grad-clip")
    for seed in (1, 2, 3):
        for case in valid_cases("grad-clip", seed):
            grads, max_norm = case.kwargs["grads"], case.kwargs["max_norm"]
            params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
            for p, g in zip(params, grads):
                p.grad = torch.tensor(g)
            total = float(torch.nn.utils.clip_grad_norm_(params, max_norm)) if params else 0.0
            got, got_total = fn(copy.deepcopy(grads), max_norm)
            assert got_total == pytest.approx(total, rel=1e-12, abs=1e-300), case.name
            assert len(got) == len(params)
            for g, p in zip(got, params):
                np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-12, atol=1e-300, err_msg=case.name)


def test_grad_clip_keeps_the_direction_and_caps_the_norm():
    fn = reference("grad-clip")
    rng = np.random.default_rng(8)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=5)]
    before = [g.copy() for g in grads]
    clipped, total = fn(grads, 1.0)
    assert all(np.array_equal(a, b) for a, b in zip(grads, before))  # untouched
    flat, flat_before = np.concatenate([g.ravel() for g in clipped]), np.concatenate([g.ravel() for g in before])
    assert np.linalg.norm(flat) == pytest.approx(1.0, rel=1e-5)
    assert total == pytest.approx(np.linalg.norm(flat_before), rel=1e-12)
    np.testing.assert_allclose(flat / np.linalg.norm(flat), flat_before / total, rtol=1e-12)
    assert fn([], 1.0) == ([], 0.0)
    small, _ = fn([np.array([0.3, 0.4])], 1.0)
    np.testing.assert_array_equal(small[0], [0.3, 0.4])


# ---------------------------------------------------------------------------------------
# int4-group-quant


def _groups(a, group_size):
    return a.reshape(*a.shape[:-1], a.shape[-1] // group_size, group_size)


def test_int4_round_trip_within_half_a_step_and_zero_exact():
    fn = reference("int4-group-quant")
    for seed in (1, 2, 3):
        for case in valid_cases("int4-group-quant", seed):
            w, size = case.kwargs["w"], case.kwargs["group_size"]
            q, scales, zeros = fn(**copy.deepcopy(case.kwargs))
            assert q.dtype == np.uint8 and zeros.dtype == np.uint8 and scales.dtype == np.float64, case.name
            assert q.shape == w.shape and scales.shape == zeros.shape == w.shape[:-1] + (w.shape[-1] // size,)
            assert q.max(initial=0) <= 15 and zeros.max(initial=0) <= 15
            back = (_groups(q, size).astype(np.float64) - zeros[..., None]) * scales[..., None]
            err = np.abs(back - _groups(w, size))
            assert np.all(err <= scales[..., None] / 2 * (1 + 1e-9) + 1e-12), case.name
            g = _groups(w, size)  # the grid reaches both ends of [min(g, 0), max(g, 0)]
            lo, hi = np.minimum(g.min(-1), 0), np.maximum(g.max(-1), 0)
            z = zeros.astype(np.float64)
            assert np.all(-z * scales <= lo + scales / 2 + 1e-12) and np.all((15 - z) * scales >= hi - scales / 2 - 1e-12)


def test_int4_codes_are_the_nearest_of_all_sixteen():
    """Brute force: with the reference's scale and zero, no other code 0…15 lies closer to the weight."""
    fn = reference("int4-group-quant")
    for seed in (4, 5):
        for case in valid_cases("int4-group-quant", seed):
            w, size = case.kwargs["w"], case.kwargs["group_size"]
            q, scales, zeros = fn(**copy.deepcopy(case.kwargs))
            g, qg = _groups(w, size), _groups(q, size)
            for idx in np.ndindex(g.shape):
                s, z = scales[idx[:-1]], float(zeros[idx[:-1]])
                levels = [(code - z) * s for code in range(16)]
                best = min(abs(v - g[idx]) for v in levels)
                assert abs(levels[int(qg[idx])] - g[idx]) <= best + 1e-9 * s, (case.name, idx)


def test_int4_scale_and_zero_from_a_brute_force_range_search():
    """The smallest step whose 16-level grid through 0 covers every value of the group: (hi − lo)/15."""
    fn = reference("int4-group-quant")
    rng = np.random.default_rng(6)
    w = rng.normal(size=(3, 8)) + np.array([[0.0], [3.0], [-3.0]])  # mixed, mostly positive, mostly negative
    _, scales, zeros = fn(w, 4)
    for idx in np.ndindex(scales.shape):
        g = _groups(w, 4)[idx]
        candidates = []
        for z in range(16):  # the code of 0.0
            # the grid (c − z)·s, c in 0…15, must reach min(g, 0) and max(g, 0)
            need = [(-min(g.min(), 0) / z) if z else (0.0 if g.min() >= 0 else math.inf),
                    (max(g.max(), 0) / (15 - z)) if z < 15 else (0.0 if g.max() <= 0 else math.inf)]
            candidates.append((max(need), z))
        best = min(s for s, _ in candidates)
        assert best == pytest.approx(scales[idx], rel=0.08)  # rounding the zero point costs at most a little
        assert scales[idx] == pytest.approx((max(g.max(), 0) - min(g.min(), 0)) / 15, rel=1e-12)


def test_int4_statement_example():
    fn = reference("int4-group-quant")
    q, s, z = fn(np.array([[0.5, 1.5, 2.5, -3.0, 12.0, 3.5, -2.5, 0.0]]), 8)
    assert q.tolist() == [[3, 5, 5, 0, 15, 7, 1, 3]] and s.tolist() == [[1.0]] and z.tolist() == [[3]]
    q, s, z = fn(np.array([1.0, 2.0, 4.0]), 3)
    assert z.tolist() == [0] and s[0] == pytest.approx(4 / 15) and q.tolist() == [4, 8, 15]


# ---------------------------------------------------------------------------------------
# roofline-decode


def test_roofline_equals_flops_over_attainable_throughput():
    """Roofline form: time = FLOPs / min(peak, intensity · bandwidth), intensity = 2·batch / bytes_per_param."""
    fn = reference("roofline-decode")
    for seed in (1, 2):
        for case in valid_cases("roofline-decode", seed):
            kw = case.kwargs
            flops = 2.0 * kw["n_params"] * kw["batch"]
            intensity = flops / (kw["n_params"] * kw["bytes_per_param"])
            want = flops / min(kw["peak_flops"], intensity * kw["mem_bandwidth"])
            assert fn(**kw) == pytest.approx(want, rel=1e-12), case.name


def test_roofline_statement_figures_and_ridge_point():
    fn = reference("roofline-decode")
    h100 = {"mem_bandwidth": 3.35e12, "peak_flops": 989e12}
    assert fn(7_000_000_000, 2, 1, **h100) == pytest.approx(14e9 / 3.35e12)
    assert fn(7_000_000_000, 2, 1, **h100) * 1e3 == pytest.approx(4.18, abs=0.005)
    assert fn(7_000_000_000, 2, 1024, **h100) * 1e3 == pytest.approx(14.5, abs=0.05)
    ridge = 989e12 * 2 / (2 * 3.35e12)
    assert 295 < ridge < 296
    flat = [fn(7_000_000_000, 2, b, **h100) for b in (1, 16, 128, 295)]
    assert max(flat) == min(flat)  # memory-bound: batching is free up to the ridge
    assert fn(7_000_000_000, 2, 296, **h100) > flat[0]


# ---------------------------------------------------------------------------------------
# pipeline-1f1b: a simulation of the pipeline's dependencies.


def _simulate(orders):
    """Run every stage's operation list with unit-time ops; F(s, m) waits for F(s−1, m), B(s, m) for
    B(s+1, m) (the last stage's B for its own F). Returns (makespan, peak stored activations per stage)."""
    p = len(orders)
    done: dict = {}
    position = [0] * p
    stored, peak = [0] * p, [0] * p
    t = 0
    while any(position[s] < len(orders[s]) for s in range(p)):
        started = []
        for s in range(p):
            if position[s] == len(orders[s]):
                continue
            kind, m = orders[s][position[s]]
            if kind == "F":
                ready = s == 0 or done.get(("F", s - 1, m), math.inf) <= t
            else:
                ready = done.get(("F", s, m), math.inf) <= t and (
                    s == p - 1 or done.get(("B", s + 1, m), math.inf) <= t)
            if ready:
                started.append((s, kind, m))
        assert started or t < 10 * sum(map(len, orders)), "deadlock"
        for s, kind, m in started:
            done[(kind, s, m)] = t + 1
            position[s] += 1
            stored[s] += 1 if kind == "F" else -1
            peak[s] = max(peak[s], stored[s])
        t += 1
        assert t < 10_000, "deadlock"
    return t, peak


@pytest.mark.parametrize(("p", "m"), [(1, 1), (1, 4), (2, 1), (3, 2), (4, 4), (4, 8), (5, 3), (6, 13)])
def test_1f1b_runs_deadlock_free_with_the_gpipe_bubble_and_bounded_memory(p, m):
    fn = reference("pipeline-1f1b")
    orders = [fn(p, m, s) for s in range(p)]
    for s, ops in enumerate(orders):
        assert sorted(ops) == sorted([("F", i) for i in range(m)] + [("B", i) for i in range(m)])
        assert [i for k, i in ops if k == "F"] == list(range(m)) and [i for k, i in ops if k == "B"] == list(range(m))
        first_b = ops.index(("B", 0))
        assert first_b == min(p - s, m)  # Megatron: min(p − s − 1, M) warm-up forwards, then F, then B
        warm = min(p - s - 1, m)
        steady = ops[warm:warm + 2 * (m - warm)]
        assert [k for k, _ in steady] == ["F", "B"] * (m - warm)
    makespan, peak = _simulate(orders)
    assert makespan == 2 * (m + p - 1)  # the same bubble as GPipe with equal forward and backward times
    assert peak == [min(p - s, m) for s in range(p)]
    gpipe = [[("F", i) for i in range(m)] + [("B", i) for i in range(m)] for _ in range(p)]
    g_makespan, g_peak = _simulate(gpipe)
    assert g_makespan == makespan and g_peak == [m] * p


def test_1f1b_statement_example():
    fn = reference("pipeline-1f1b")
    text = lambda ops: " ".join(f"{k}{i}" for k, i in ops)  # noqa: E731
    assert text(fn(4, 8, 0)) == "F0 F1 F2 F3 B0 F4 B1 F5 B2 F6 B3 F7 B4 B5 B6 B7"
    assert text(fn(4, 8, 3)) == " ".join(f"F{i} B{i}" for i in range(8))
    assert text(fn(4, 2, 0)) == "F0 F1 B0 B1"


# ---------------------------------------------------------------------------------------
# kmeans


def _lloyd_loops(x, init, n_iter):
    """Lloyd's algorithm in plain Python: strict < keeps the lower index on ties."""
    points = x.tolist()
    cents = [list(c) for c in init.tolist()]
    prev = None
    labels = None
    for _ in range(n_iter):
        labels = []
        for pt in points:
            best, best_d = 0, None
            for j, c in enumerate(cents):
                d = sum((a - b) ** 2 for a, b in zip(pt, c))
                if best_d is None or d < best_d:
                    best, best_d = j, d
            labels.append(best)
        if labels == prev:
            break
        for j in range(len(cents)):
            members = [pt for pt, lab in zip(points, labels) if lab == j]
            if members:
                cents[j] = [sum(col) / len(members) for col in zip(*members)]
        prev = labels
    return cents, labels


def test_kmeans_equals_plain_python_lloyd():
    fn = reference("kmeans")
    for seed in (1, 2, 3):
        for case in valid_cases("kmeans", seed):
            cents, labels = fn(**copy.deepcopy(case.kwargs))
            want_c, want_l = _lloyd_loops(case.kwargs["x"], case.kwargs["init_centroids"], case.kwargs["n_iter"])
            assert np.issubdtype(labels.dtype, np.integer) and labels.tolist() == want_l, case.name
            np.testing.assert_allclose(cents, want_c, rtol=1e-12, atol=1e-12, err_msg=case.name)


def _objective(x, labels, k):
    total = 0.0
    for j in range(k):
        members = x[np.asarray(labels) == j]
        if len(members):
            total += float(((members - members.mean(0)) ** 2).sum())
    return total


def test_kmeans_finds_the_enumerated_optimum_on_tiny_separated_inputs():
    """Every one of the K^N labelings enumerated: on separated clusters Lloyd's reaches the best one."""
    fn = reference("kmeans")
    rng = np.random.default_rng(12)
    for trial in range(6):
        k = 2 + trial % 2
        centers = np.array([[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]])[:k]
        x = np.concatenate([c + 0.5 * rng.normal(size=(3, 2)) for c in centers])
        best = min(_objective(x, labels, k) for labels in itertools.product(range(k), repeat=len(x)))
        init = centers + rng.normal(size=centers.shape)
        cents, labels = fn(x, init, 50)
        assert _objective(x, labels, k) == pytest.approx(best, rel=1e-12)
        # a Lloyd fixed point: each label is the nearest centroid, each centroid the mean of its points
        assert (((x[:, None] - cents[None]) ** 2).sum(-1).argmin(1) == labels).all()
        for j in range(k):
            np.testing.assert_allclose(cents[j], x[labels == j].mean(0), rtol=1e-12)


def test_kmeans_objective_never_increases_with_more_iterations():
    fn = reference("kmeans")
    rng = np.random.default_rng(13)
    x = rng.normal(size=(40, 2)) * 3
    init = x[:4].copy()
    values = []
    for n in range(1, 12):
        cents, labels = fn(x, init, n)
        values.append(float(((x - cents[labels]) ** 2).sum()))
    assert all(b <= a + 1e-9 for a, b in zip(values, values[1:]))


def test_kmeans_statement_example():
    fn = reference("kmeans")
    x = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    cents, labels = fn(x, np.array([[0.0], [1.0]]), 1)
    assert labels.tolist() == [0, 1, 1, 1, 1, 1] and cents.ravel().tolist() == pytest.approx([0.0, 7.2])
    cents, labels = fn(x, np.array([[0.0], [1.0]]), 10)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1] and cents.ravel().tolist() == pytest.approx([1.0, 11.0])
    cents, labels = fn(x, np.array([[1.0], [11.0], [100.0]]), 5)
    assert cents.ravel().tolist() == pytest.approx([1.0, 11.0, 100.0])  # the empty cluster stays


# ---------------------------------------------------------------------------------------
# logistic-regression


def test_logistic_step_equals_torch_bce_with_logits_and_autograd():
    torch = torch_or_skip()
    fn = reference("logistic-regression")
    for seed in (1, 2):
        for case in valid_cases("logistic-regression", seed):
            kw = case.kwargs
            w = torch.tensor(kw["w"], requires_grad=True)
            b = torch.tensor(float(kw["b"]), dtype=torch.float64, requires_grad=True)
            z = torch.tensor(kw["X"]) @ w + b
            loss = torch.nn.BCEWithLogitsLoss()(z, torch.tensor(kw["y"])) + kw.get("l2", 0.0) / 2 * (w * w).sum()
            loss.backward()
            new_w, new_b, got_loss = fn(**copy.deepcopy(kw))
            assert math.isfinite(got_loss)
            assert got_loss == pytest.approx(loss.item(), rel=1e-12), case.name
            np.testing.assert_allclose(new_w, (w - kw["lr"] * w.grad).detach().numpy(), rtol=1e-12, atol=1e-12,
                                       err_msg=case.name)
            assert new_b == pytest.approx((b - kw["lr"] * b.grad).item(), rel=1e-12, abs=1e-12), case.name


def test_logistic_gradient_matches_finite_differences():
    fn = reference("logistic-regression")
    rng = np.random.default_rng(21)
    X, y = rng.normal(size=(9, 3)), (rng.random(9) > 0.5).astype(float)
    w, b, l2 = rng.normal(size=3), 0.3, 0.2

    def loss(w, b):
        return fn(X, y, w, b, 0.0, l2)[2]

    new_w, new_b, _ = fn(X, y, w, b, 1.0, l2)  # lr = 1: the step is minus the gradient
    h = 1e-6
    for i in range(3):
        e = np.zeros(3)
        e[i] = h
        assert w[i] - new_w[i] == pytest.approx((loss(w + e, b) - loss(w - e, b)) / (2 * h), rel=1e-6, abs=1e-9)
    assert b - new_b == pytest.approx((loss(w, b + h) - loss(w, b - h)) / (2 * h), rel=1e-6, abs=1e-9)


def test_logistic_driver_reports_the_unstable_sigmoid():
    module = spec_of("logistic-regression")
    case = next(c for c in module.SPEC.cases(0) if c.name == "scores-1e3")

    def naive(X, y, w, b, lr, l2=0.0):
        p = 1 / (1 + np.exp(-(X @ w + b)))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + l2 / 2 * w @ w
        return w - lr * (X.T @ (p - y) / len(y) + l2 * w), b - lr * np.mean(p - y), loss

    got = module.SPEC.run(naive, copy.deepcopy(case.kwargs), "cpu")
    assert any("overflow" in w for w in got["warnings"])
    assert module.check_step(case, got, module.expected(case)).startswith("unstable sigmoid")
    clean = module.SPEC.run(reference("logistic-regression"), copy.deepcopy(case.kwargs), "cpu")
    assert clean["warnings"] == [] and module.check_step(case, clean, module.expected(case)) is None
    assert math.isfinite(clean["value"][2]) and clean["value"][2] > 100


def test_logistic_statement_example():
    new_w, new_b, loss = reference("logistic-regression")(np.array([[1.0]]), np.array([1.0]), np.array([0.0]), 0.0, 1.0)
    assert new_w.tolist() == [0.5] and new_b == 0.5 and loss == pytest.approx(math.log(2))
