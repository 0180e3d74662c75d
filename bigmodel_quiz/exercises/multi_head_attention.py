"""Cases for `multi-head-attention`: fused QKV projection, causal mask, per-head 1/√d_h scale."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker, softmax_attention
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _mha(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal=True, *, scale=None, mask_from=1, heads_last=False,
         mask_after=False, axis=-1):
    """Multi-head attention with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    b, t, d = x.shape
    d_h = d // n_heads
    qkv = x @ w_qkv + b_qkv

    def heads(m):  # (B,T,D) -> (B,H,T,d_h)
        if heads_last:  # column j belongs to head j % H: the (d_h, H) reshape
            return m.reshape(b, t, d_h, n_heads).transpose(0, 3, 1, 2)
        return m.reshape(b, t, n_heads, d_h).transpose(0, 2, 1, 3)

    q, k, v = (heads(qkv[..., i * d:(i + 1) * d]) for i in range(3))
    out = softmax_attention(q, k, v, causal, scale=1 / np.sqrt(d_h) if scale is None else scale(d_h, d),
                            diagonal=mask_from, axis=axis, mask_after=mask_after).transpose(0, 2, 1, 3)
    out = out.transpose(0, 1, 3, 2) if heads_last else out  # merged back the same wrong way
    return out.reshape(b, t, d) @ w_o + b_o


def _variant(**knobs):
    def run(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal=True):
        return _mha(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal, **knobs)

    return run


def _no_mask(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal=True):
    return _mha(x, w_qkv, b_qkv, w_o, b_o, n_heads, False) if causal else None


MISTAKES = (
    ("causal mask off by one: position i also sees position i + 1 (mask j > i + 1 instead of j > i)",
     _variant(mask_from=2)),
    ("causal mask off by one: the diagonal is masked too (j >= i), so position 0 sees nothing and its row is NaN",
     _variant(mask_from=0)),
    ("scores scaled by 1/d_h instead of 1/√d_h", _variant(scale=lambda d_h, d: 1.0 / d_h)),
    ("scores scaled by 1/√D (the model width) instead of 1/√d_h (the head width)",
     _variant(scale=lambda d_h, d: 1.0 / d ** 0.5)),
    ("scores not scaled at all (the 1/√d_h factor is missing)", _variant(scale=lambda d_h, d: 1.0)),
    ("causal=True but no causal mask: every position sees the future", _no_mask),
    ("the causal mask is applied after the softmax (future weights zeroed, rows no longer summing to 1);"
     " set the future scores to −inf before the softmax", _variant(mask_after=True)),
    ("softmax over the wrong axis: it normalises over the queries (axis −2); each query's weights over the"
     " keys (the last axis) must sum to 1", _variant(axis=-2)),
    ("heads split the wrong way: reshaping to (T, d_h, H) gives head h every H-th column instead of"
     " the contiguous block h·d_h … (h+1)·d_h − 1", _variant(heads_last=True)),
)
CHECK = checker(MISTAKES)


def _inputs(rng, b: int, t: int, d: int, n_heads: int, causal: bool = True, scale: float = 1.0) -> dict:
    return {
        "x": rng.normal(size=(b, t, d)) * scale,
        "w_qkv": rng.normal(size=(d, 3 * d)) / d ** 0.5,
        "b_qkv": rng.normal(size=3 * d) * 0.1,
        "w_o": rng.normal(size=(d, d)) / d ** 0.5,
        "b_o": rng.normal(size=d) * 0.1,
        "n_heads": n_heads,
        "causal": causal,
    }


def cases(seed: int) -> list[Case]:
    """Causal and bidirectional, one head, one position, d_h = 1, wide heads, big scores, random."""
    import numpy as np

    fixed = np.random.default_rng(151)
    c = CHECK
    out = [
        Case("causal-basic", _inputs(fixed, 2, 5, 8, 2), check=c, note="B=2, T=5, D=8, 2 heads, causal"),
        Case("bidirectional", _inputs(fixed, 2, 4, 12, 3, causal=False), check=c, note="causal=False"),
        Case("single-position", _inputs(fixed, 3, 1, 8, 4), kind="edge", check=c, note="T = 1: the only key is itself"),
        Case("one-head", _inputs(fixed, 1, 6, 6, 1), kind="edge", check=c, note="n_heads = 1, d_h = D"),
        Case("head-dim-1", _inputs(fixed, 1, 4, 4, 4), kind="edge", check=c, note="n_heads = D, d_h = 1"),
        Case("head-dim-64", _inputs(fixed, 1, 6, 128, 2), kind="edge", check=c,
             note="d_h = 64: the scale is 1/√d_h = 1/8, not 1/d_h or 1/√D"),
        Case("large-scores", _inputs(fixed, 1, 5, 8, 2, scale=60.0), kind="edge", check=c,
             note="scores in the thousands: subtract the row max before exp"),
        Case("heads-not-dividing-D", _inputs(fixed, 1, 3, 6, 4), kind="edge", raises="ValueError",
             note="D = 6 is not divisible by n_heads = 4"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n_heads = int(rng.integers(1, 5))
        d = n_heads * int(rng.integers(1, 9))
        b, t = int(rng.integers(1, 4)), int(rng.integers(1, 9))
        causal = bool(rng.integers(2)) if i else True
        out.append(Case(f"random-{i}", _inputs(rng, b, t, d, n_heads, causal), kind="random", seed=seed, check=c,
                        note=f"B={b}, T={t}, D={d}, {n_heads} heads, causal={causal}"))
    return out


SPEC = ExerciseSpec(cases=cases)
