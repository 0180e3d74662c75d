"""The decoding exercises (kv-cache-decode, sampling-filters, beam-search, speculative-decoding,
paged-attention), gpt-block and tensor-parallel-mlp: references against independent
computations (torch functional ops, brute-force enumeration, exact enumeration of the
randomness), the properties the grader relies on, and the diagnoses of the spec modules."""

from __future__ import annotations

import importlib
import itertools
import math

import numpy as np
import pytest

from torch_helpers import load_entry, torch_or_skip

from bigmodel_quiz.exercises.catalog import reference_path


def _reference(exercise_id: str, entry: str):
    return load_entry(reference_path(exercise_id), entry)


def _spec(exercise_id: str):
    return importlib.import_module("bigmodel_quiz.exercises." + exercise_id.replace("-", "_"))


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
    step = _reference("kv-cache-decode", "attend_step")
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
    np.testing.assert_allclose(_spec("kv-cache-decode").causal_attention_np(seq, *w), want.numpy(), rtol=1e-10, atol=1e-12)


def test_kv_cache_step_leaves_its_inputs_alone_and_grows_the_cache():
    step = _reference("kv-cache-decode", "attend_step")
    rng = np.random.default_rng(3)
    args = [rng.normal(size=(2, 4)), *(rng.normal(size=(4, 4)) for _ in range(3)), rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))]
    before = [a.copy() for a in args]
    out, ck, cv = step(*args)
    assert out.shape == (2, 4) and ck.shape == cv.shape == (2, 4, 4)
    assert all(np.array_equal(a, b) for a, b in zip(args, before))


def test_kv_cache_diagnoses_name_the_slips():
    mod = _spec("kv-cache-decode")
    case = next(c for c in mod.cases(0) if c.name == "step-T-4")
    kw = case.kwargs
    right = mod.step_np(**kw)
    assert mod.check_kv(case, right, None) is None
    assert "forgot to append" in mod.check_kv(case, (right[0], kw["cache_k"], kw["cache_v"]), None)
    assert "divided by D instead of √D" in mod.check_kv(case, mod.step_np(**kw, scale="d"), None)
    stale = mod.step_np(**kw, attend_new=False)
    assert "old cache only" in mod.check_kv(case, (stale[0], right[1], right[2]), None)
