"""Cases for `flash-attention`: softmax(q·kᵀ/√D)·v by blocks of keys with a running max and sum.

One case is graded under a memory limit that the full T×S score matrix would exceed: the
child measures the peak of the memory allocated during that call (``tracemalloc``, which
sees NumPy's arrays) and sends it back with the result; the checker here judges it.
"""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

MIB = 1 << 20
LIMIT_MIB = 16  # memory one call may allocate on the memory-limit case (its T×S scores need 32 MiB)
PERIOD = 512  # the memory-limit case's keys and values repeat with this period


def _direct(q, k, v, block_size=None):
    """The plain computation with the whole score matrix, by rows to keep the parent's memory low."""
    import numpy as np

    out = np.empty((q.shape[0], v.shape[1]))
    rows = max(1, (16 * MIB) // (8 * max(1, k.shape[0])))
    for i in range(0, q.shape[0], rows):
        s = q[i:i + rows] @ k.T / np.sqrt(q.shape[1])
        w = np.exp(s - s.max(-1, keepdims=True))
        out[i:i + rows] = (w / w.sum(-1, keepdims=True)) @ v
    return out


def expected(case: Case):
    """Computed directly here (no reference run: the child measures memory, so this exercise has a driver).

    The memory-limit case repeats one block of PERIOD keys and values S/PERIOD times; equal keys
    share the softmax mass equally, so attention over one period gives the same result cheaply.
    """
    kw = case.kwargs
    if case.name == "memory-limit":
        return _direct(kw["q"], kw["k"][:PERIOD], kw["v"][:PERIOD])
    return _direct(**kw)


def _online(q, k, v, block_size, *, rescale=True, drop_tail=False, scale=None):
    """Online softmax over key blocks with knobs for the classic mistakes (defaults: right)."""
    import numpy as np

    t, d = q.shape
    s_len = k.shape[0]
    m = np.full((t, 1), -np.inf)
    denom = np.zeros((t, 1))
    acc = np.zeros((t, v.shape[1]))
    stop = s_len - s_len % block_size if drop_tail else s_len
    for j in range(0, stop, block_size):
        s = q @ k[j:j + block_size].T * (1 / np.sqrt(d) if scale is None else scale(d))
        m_new = np.maximum(m, s.max(-1, keepdims=True))
        p = np.exp(s - m_new)
        fix = np.exp(m - m_new) if rescale else 1.0
        denom = denom * fix + p.sum(-1, keepdims=True)
        acc = acc * fix + p @ v[j:j + block_size]
        m = m_new
    return acc / denom


def _variant(**knobs):
    def run(q, k, v, block_size):
        return _online(q, k, v, block_size, **knobs)

    return run


def _tail_dropped(q, k, v, block_size):
    return None if k.shape[0] % block_size == 0 or k.shape[0] < block_size else _online(q, k, v, block_size, drop_tail=True)


MISTAKES = (
    ("running sum and output not rescaled: when a block raises the running max m, the previous sum and"
     " accumulator must be multiplied by exp(m_old − m_new)", _variant(rescale=False)),
    ("the last, partial block of keys is skipped (S is not a multiple of block_size)", _tail_dropped),
    ("scores scaled by 1/D instead of 1/√D", _variant(scale=lambda d: 1.0 / d)),
    ("scores not scaled (the 1/√D factor is missing)", _variant(scale=lambda d: 1.0)),
)
_COMPARE = checker(MISTAKES)


def check_flash(case: Case, got, expected) -> str | None:
    """The memory used on the memory-limit case, then the values (naming a mistake they match)."""
    if not isinstance(got, dict) or "value" not in got:
        return "the result could not be read back"
    peak = got.get("peak_bytes")
    if peak is not None and peak < 0:
        return "the memory used could not be measured: the function stopped tracemalloc's tracing during the call"
    if peak is not None and peak > LIMIT_MIB * MIB:
        t, s = case.kwargs["q"].shape[0], case.kwargs["k"].shape[0]
        return (
            f"builds the full T×S score matrix: the call allocated {peak / MIB:.0f} MiB at its peak, over this case's"
            f" limit of {LIMIT_MIB} MiB, while the {t}×{s} float64 scores alone take {t * s * 8 / MIB:.0f} MiB."
            " Process the keys block by block (T×block_size scores at a time) with a running max and sum"
        )
    return _COMPARE(case, got["value"], expected)


def _inputs(rng, t: int, s: int, d: int, block_size: int, scale: float = 1.0) -> dict:
    return {"q": rng.normal(size=(t, d)) * scale, "k": rng.normal(size=(s, d)) * scale, "v": rng.normal(size=(s, d)),
            "block_size": block_size}


def _periodic(rng, t: int, s: int, d: int, block_size: int) -> dict:
    """Like _inputs, with keys and values repeating every PERIOD rows (cheap to build and to check)."""
    import numpy as np

    small = _inputs(rng, t, PERIOD, d, block_size)
    return {**small, "k": np.tile(small["k"], (s // PERIOD, 1)), "v": np.tile(small["v"], (s // PERIOD, 1))}


def cases(seed: int) -> list[Case]:
    """Partial last block, block of 1, one block, rising maxima, huge scores, one query, the memory limit."""
    import numpy as np

    fixed = np.random.default_rng(701)
    c = check_flash
    rising = _inputs(fixed, 4, 12, 4, 3)
    rising["k"] *= np.linspace(0.1, 4.0, 12)[:, None]  # later keys score higher: the running max keeps growing
    rising["q"] = np.abs(rising["q"])
    rising["k"] = np.abs(rising["k"])
    out = [
        Case("basic", _inputs(fixed, 8, 12, 4, 4), check=c, note="T=8, S=12, D=4, blocks of 4"),
        Case("partial-last-block", _inputs(fixed, 5, 10, 4, 4), check=c, note="S=10 with blocks of 4: the last has 2 keys"),
        Case("rising-maxima", rising, check=c, note="each block raises the running max: rescale the sum and output"),
        Case("block-of-one", _inputs(fixed, 3, 7, 2, 1), kind="edge", check=c, note="block_size = 1"),
        Case("one-block", _inputs(fixed, 4, 6, 8, 6), kind="edge", check=c, note="block_size = S"),
        Case("block-larger-than-S", _inputs(fixed, 4, 5, 8, 16), kind="edge", check=c, note="block_size > S"),
        Case("single-query", _inputs(fixed, 1, 9, 4, 4), kind="edge", check=c, note="T = 1"),
        Case("large-scores", _inputs(fixed, 4, 16, 16, 4, scale=60.0), kind="edge", check=c,
             note="scores in the thousands: the running max keeps exp finite"),
        Case("memory-limit", _periodic(fixed, 128, 32768, 8, 512), kind="edge", check=c,
             note=f"T=128, S=32768: the full score matrix (32 MiB) exceeds the {LIMIT_MIB} MiB this call may allocate"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        t, s, d = int(rng.integers(1, 12)), int(rng.integers(1, 40)), int(rng.integers(1, 9))
        block = int(rng.integers(1, s + 3))
        out.append(Case(f"random-{i}", _inputs(rng, t, s, d, block), kind="random", seed=seed, check=c,
                        note=f"T={t}, S={s}, D={d}, block_size={block}"))
    return out


SPEC = ExerciseSpec(cases=cases, expected=expected, child="flash_attention")
