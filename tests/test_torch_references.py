"""The PyTorch exercises' references pass their own cases, and the grader's expectations
agree with what torch itself computes (CPU; the CUDA runs are in test_torch_device.py)."""

from __future__ import annotations

import numpy as np
import pytest
from torch_helpers import LOCAL_IDS, TORCH_IDS, grade_in_process, in_process_group, reference, spec_of, torch_or_skip

from bigmodel_quiz.exercises.child import models

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("exercise_id", LOCAL_IDS)
@pytest.mark.parametrize("seed", [0, 4242])
def test_reference_passes_every_case_on_cpu(exercise_id, seed):
    torch_or_skip()
    failures = {k: v for k, v in grade_in_process(exercise_id, reference(exercise_id), seed).items() if v}
    assert failures == {}


@pytest.mark.parametrize("exercise_id", TORCH_IDS)
def test_exercise_is_complete(exercise_id):
    from bigmodel_quiz.exercises.catalog import load_exercise

    ex = load_exercise(exercise_id)
    mod = spec_of(exercise_id)
    assert ex.kind == "torch"
    assert len(ex.hints) >= 2 and all(h.get("zh") for h in ex.hints)
    assert ex.statement.get("zh") and ex.edge_cases.get("zh")
    assert mod.SPEC.timeout > 10 and mod.SPEC.run is not None  # torch exercises drive their cases in the child
    kinds = {c.kind for c in mod.cases(1)}
    assert {"deterministic", "random"} <= kinds or {"edge", "random"} <= kinds
    assert all(callable(c.check) for c in mod.cases(1))
    assert [c.kwargs for c in mod.cases(7)] == [c.kwargs for c in mod.cases(7)]  # reproducible by seed


# ---------------------------------------------------------------------------------------
# Parameter counts


def test_cnn_has_160202_parameters_by_arithmetic_and_by_torch():
    torch = torch_or_skip()
    conv = (3 * 32 * 9 + 32) + (32 * 64 * 9 + 64) + (64 * 128 * 9 + 128)
    head = (128 * 2 * 2 * 128 + 128) + (128 * 10 + 10)
    assert conv + head == 160_202 == spec_of("cnn-build").expected_params(10)
    model = reference("cnn-build")()
    assert sum(p.numel() for p in model.parameters()) == 160_202
    assert model(torch.zeros(3, 3, 32, 32)).shape == (3, 10)
    assert sum(p.numel() for p in reference("cnn-build")(100).parameters()) == spec_of("cnn-build").expected_params(100)


def test_count_specs_match_torch_unique_parameters():
    torch_or_skip()
    from bigmodel_quiz.exercises import torch_models as tm

    for seed in range(25):
        for case in spec_of("count-parameters").cases(seed):
            model = models.count_model(case.kwargs["model"], "cpu")
            unique = {id(p): p for m in model.modules() for p in m.parameters(recurse=False)}
            counts = tm.expected_counts(case.kwargs["model"])
            assert counts["total"] == sum(p.numel() for p in unique.values()), case.note
            assert counts["trainable"] == sum(p.numel() for p in unique.values() if p.requires_grad), case.note


def test_sequence_classifier_size_formula_matches_torch():
    torch_or_skip()
    build = reference("sequence-classifier")
    formula = spec_of("sequence-classifier").expected_params
    for dims in [(20, 8, 16, 3), (5, 1, 1, 2), (100, 32, 7, 10)]:
        assert sum(p.numel() for p in build(*dims).parameters()) == formula(*dims)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sequence_reference_learns_the_toy_task(seed):
    torch_or_skip()
    mod = spec_of("sequence-classifier")
    case = next(c for c in mod.cases(seed) if c.name == "learns-toy-task-random")
    assert mod.check_sequence(case, mod.SPEC.run(reference("sequence-classifier"), dict(case.kwargs), "cpu"), None) is None


# ---------------------------------------------------------------------------------------
# The NumPy twins the parent uses equal torch's own results


def test_numpy_mlp_forward_and_mse_gradients_match_autograd():
    torch = torch_or_skip()
    from bigmodel_quiz.exercises import torch_models as tm

    layers = tm.mlp_init(3, [5, 16, 3])
    x, y = tm.regression_batch(3, 9, 5, 3)
    model = models.mlp_module(layers, "tanh", "cpu").double()
    out = model(torch.from_numpy(x).double())
    loss = torch.nn.functional.mse_loss(out, torch.from_numpy(y).double())
    loss.backward()
    np_out, _ = tm.mlp_forward_np(layers, x, "tanh")
    np_loss, np_grads = tm.mse_loss_and_grads(layers, x, y, "tanh")
    np.testing.assert_allclose(np_out, out.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert np_loss == pytest.approx(loss.item(), rel=1e-12)
    torch_grads = [p.grad.numpy() for p in model.parameters()]
    for got, want in zip([g for pair in np_grads for g in pair], torch_grads):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_numpy_cross_entropy_and_relu_mlp_match_torch():
    torch = torch_or_skip()
    from bigmodel_quiz.exercises import torch_models as tm

    layers = tm.mlp_init(4, [20, 64, 10])
    x, y = tm.classification_batch(4, 32, 20, 10)
    logits = models.mlp_module(layers, "relu", "cpu")(torch.from_numpy(x))
    ce = torch.nn.functional.cross_entropy(logits, torch.from_numpy(y))
    np_logits, _ = tm.mlp_forward_np(layers, x, "relu")
    np.testing.assert_allclose(np_logits, logits.detach().numpy(), rtol=1e-5, atol=1e-5)
    assert tm.cross_entropy_np(np_logits, y) == pytest.approx(ce.item(), rel=1e-5)


def test_gradient_accumulation_expectation_is_one_torch_step_on_the_concatenated_batch():
    torch = torch_or_skip()

    mod = spec_of("gradient-accumulation")
    for case in mod.cases(99):
        layers, batches, _ = mod.inputs(case.kwargs)
        model = models.mlp_module(layers, "tanh", "cpu")
        opt = torch.optim.SGD(model.parameters(), lr=mod.LR, **case.kwargs["opt"])
        x = torch.cat([torch.from_numpy(b[0]) for b in batches])
        y = torch.cat([torch.from_numpy(b[1]) for b in batches])
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        want_loss, want_params, _ = mod.expected_step(case.kwargs)
        assert want_loss == pytest.approx(loss.item(), rel=1e-5)
        for got, want in zip(model.parameters(), want_params):
            np.testing.assert_allclose(got.detach().numpy(), want, rtol=mod.RTOL, atol=mod.ATOL, err_msg=case.name)


# ---------------------------------------------------------------------------------------
# Distributed references against torch.distributed's own collectives


def _ring_vs_all_reduce(rank: int, world: int) -> list[tuple[int, bool, int]]:
    import torch
    import torch.distributed as dist

    from bigmodel_quiz.exercises import torch_models as tm
    from bigmodel_quiz.exercises.child import ranks

    ring = reference("ring-allreduce")
    ranks.prepare_ranks(point_to_point_only=True)
    out = []
    with ranks.rank_session():
        for length in (1, 2, 7, 10, 64):
            mine = torch.from_numpy(tm.rank_tensor(length, rank, length))
            theirs = mine.clone()
            with ranks.submission_running() as counters:
                ring(mine)
            dist.all_reduce(theirs)  # outside the submission: the library's own
            out.append((length, bool(torch.allclose(mine, theirs, rtol=1e-5, atol=1e-6)), counters.bytes_sent))
    return out


@pytest.mark.parametrize("world", [2, 3, 4])
def test_ring_reference_equals_dist_all_reduce_and_sends_2_n_minus_1_over_n(world):
    torch_or_skip()
    budget = spec_of("ring-allreduce").byte_budget
    per_rank = in_process_group(world, _ring_vs_all_reduce)
    for rank, results in enumerate(per_rank):
        for length, same, sent in results:
            assert same, f"rank {rank}, length {length}"
            ideal, limit = budget(length, world)
            assert sent <= limit, f"rank {rank} sent {sent} > {limit}"
    for i, length in enumerate((1, 2, 7, 10, 64)):
        # a ring sends 2(N-1)/N of the tensor per rank on average, exactly
        total = sum(results[i][2] for results in per_rank)
        assert total == 2 * (world - 1) * length * 4


def _ddp_rank(rank: int, world: int) -> dict[str, np.ndarray]:
    mod = spec_of("ddp-average-gradients")
    case = next(c for c in mod.cases(5) if c.kwargs["world_size"] == world)
    return mod.SPEC.run(reference("ddp-average-gradients"), dict(case.kwargs), "cpu")


@pytest.mark.parametrize("world", [2, 3, 4])
def test_ddp_reference_gives_every_rank_the_full_batch_autograd_gradient(world):
    torch = torch_or_skip()

    mod = spec_of("ddp-average-gradients")
    case = next(c for c in mod.cases(5) if c.kwargs["world_size"] == world)
    per_rank = in_process_group(world, _ddp_rank)
    layers, x, y = mod.data(case.kwargs)
    model = models.mlp_module(layers, "tanh", "cpu")
    torch.nn.functional.mse_loss(model(torch.from_numpy(x)), torch.from_numpy(y)).backward()
    full = dict(zip(mod.NAMES, [p.grad.numpy() for p in model.parameters()]))
    for grads in per_rank:
        assert grads["unused"] is None
        for name, want in full.items():
            np.testing.assert_allclose(grads[name], want, rtol=1e-5, atol=1e-6)
    assert mod.check_average(case, per_rank, None) is None
