"""Cases for `grouped-query-attention`: query head h reads kv head h // (Hq/Hkv); MHA and MQA included."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker, softmax_attention
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _gqa(q, k, v, causal=True, *, kv_of=None, scale=None, mask_from=1, mask_after=False, axis=-1):
    """GQA with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    hq, hkv, d = q.shape[1], k.shape[1], q.shape[3]
    group = hq // hkv
    idx = np.array([(kv_of or (lambda h, g, n: h // g))(h, group, hkv) for h in range(hq)])
    kk, vv = k[:, idx], v[:, idx]
    return softmax_attention(q, kk, vv, causal, scale=1 / np.sqrt(d) if scale is None else scale(d),
                             diagonal=mask_from, axis=axis, mask_after=mask_after)


def _variant(**knobs):
    def run(q, k, v, causal=True):
        return _gqa(q, k, v, causal, **knobs)

    return run


def _no_mask(q, k, v, causal=True):
    return _gqa(q, k, v, False) if causal else None


MISTAKES = (
    ("query head h reads kv head h % Hkv (round-robin) instead of h // (Hq/Hkv): the kv heads are shared by"
     " consecutive query heads, as repeat_interleave lays them out", _variant(kv_of=lambda h, g, n: h % n)),
    ("causal mask off by one: position i also sees position i + 1 (mask j > i + 1 instead of j > i)",
     _variant(mask_from=2)),
    ("causal mask off by one: the diagonal is masked too (j >= i), so position 0 sees nothing and its row is NaN",
     _variant(mask_from=0)),
    ("scores scaled by 1/D instead of 1/√D", _variant(scale=lambda d: 1.0 / d)),
    ("scores not scaled at all (the 1/√D factor is missing)", _variant(scale=lambda d: 1.0)),
    ("causal=True but no causal mask: every position sees the future", _no_mask),
    ("the causal mask is applied after the softmax (future weights zeroed, rows no longer summing to 1);"
     " set the future scores to −inf before the softmax", _variant(mask_after=True)),
    ("softmax over the wrong axis: it normalises over the queries (axis −2); each query's weights over the"
     " keys (the last axis) must sum to 1", _variant(axis=-2)),
)
CHECK = checker(MISTAKES)


def _inputs(rng, b: int, hq: int, hkv: int, t: int, d: int, causal: bool = True, scale: float = 1.0) -> dict:
    return {
        "q": rng.normal(size=(b, hq, t, d)) * scale,
        "k": rng.normal(size=(b, hkv, t, d)) * scale,
        "v": rng.normal(size=(b, hkv, t, d)),
        "causal": causal,
    }


def cases(seed: int) -> list[Case]:
    """Groups of 2 and 4, MHA (Hkv = Hq), MQA (Hkv = 1), T = 1, big scores, random."""
    import numpy as np

    fixed = np.random.default_rng(233)
    c = CHECK
    out = [
        Case("groups-of-2", _inputs(fixed, 2, 4, 2, 5, 8), check=c, note="Hq=4, Hkv=2: heads 0,1 read kv 0; 2,3 read kv 1"),
        Case("groups-of-3-bidirectional", _inputs(fixed, 1, 6, 2, 4, 4, causal=False), check=c,
             note="Hq=6, Hkv=2, causal=False"),
        Case("groups-of-2-of-4-kv", _inputs(fixed, 1, 8, 4, 6, 8), check=c,
             note="Hq=8, Hkv=4: h // 2 and h % 4 differ for most heads"),
        Case("mha-hkv-equals-hq", _inputs(fixed, 2, 3, 3, 4, 4), kind="edge", check=c, note="Hkv = Hq: plain MHA"),
        Case("mqa-one-kv-head", _inputs(fixed, 1, 4, 1, 5, 8), kind="edge", check=c, note="Hkv = 1: multi-query attention"),
        Case("single-position", _inputs(fixed, 2, 4, 2, 1, 4), kind="edge", check=c, note="T = 1"),
        Case("head-dim-64", _inputs(fixed, 1, 4, 2, 4, 64), kind="edge", check=c, note="scale by 1/√D = 1/8, not 1/D"),
        Case("large-scores", _inputs(fixed, 1, 4, 2, 5, 16, scale=30.0), kind="edge", check=c,
             note="scores in the thousands: subtract the row max"),
        Case("hq-not-divisible", _inputs(fixed, 1, 6, 4, 3, 4), kind="edge", raises="ValueError",
             note="Hq = 6 is not divisible by Hkv = 4"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        hkv = int(rng.integers(1, 4))
        hq = hkv * int(rng.integers(1, 4))
        b, t, d = int(rng.integers(1, 3)), int(rng.integers(1, 8)), int(rng.integers(1, 9))
        causal = bool(rng.integers(2)) if i else True
        out.append(Case(f"random-{i}", _inputs(rng, b, hq, hkv, t, d, causal), kind="random", seed=seed, check=c,
                        note=f"B={b}, Hq={hq}, Hkv={hkv}, T={t}, D={d}, causal={causal}"))
    return out


SPEC = ExerciseSpec(cases=cases)
