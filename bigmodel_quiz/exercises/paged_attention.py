"""paged-attention: one decode token attending over keys and values stored in a block pool.

The pools' slots that do not belong to the sequence (other blocks, and the unfilled tail
of its last block) hold large unrelated values, so reading them changes the result; the
checker recomputes the classic slips with :func:`paged_np` to name the one a wrong answer
matches.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-7, 1e-9


def _inputs(rng, num_blocks: int, block_size: int, h: int, d: int, table: list[int], seq_len: int,
            spread: float = 1.0) -> dict[str, Any]:
    """Pools of garbage (scale 5) with the sequence's slots overwritten by ordinary values."""
    k_pool = rng.normal(size=(num_blocks, block_size, h, d)) * 5.0
    v_pool = rng.normal(size=(num_blocks, block_size, h, d)) * 5.0 + 3.0
    for pos in range(min(seq_len, len(table) * block_size)):
        blk, slot = table[pos // block_size], pos % block_size
        k_pool[blk, slot] = rng.normal(size=(h, d)) * spread
        v_pool[blk, slot] = rng.normal(size=(h, d))
    return {"q": rng.normal(size=(h, d)) * spread, "k_pool": k_pool, "v_pool": v_pool, "block_table": table,
            "seq_len": seq_len}


def cases(seed: int) -> list[Case]:
    """Scrambled tables, a partly filled last block, a full one, extra blocks, block size 1, bad lengths."""
    import numpy as np

    fixed = np.random.default_rng(83)
    chk = check_paged
    out = [
        Case("partial-last-block", _inputs(fixed, 8, 4, 2, 8, [5, 2, 7], 10), check=chk,
             note="blocks 5, 2, 7 in that order; the last holds 2 of its 4 slots"),
        Case("full-last-block", _inputs(fixed, 8, 4, 2, 8, [3, 6, 0], 12), check=chk, note="12 = 3 × 4: no tail"),
        Case("one-token", _inputs(fixed, 4, 4, 3, 4, [2], 1), kind="edge", check=chk,
             note="seq_len 1: one slot of one block, weight 1"),
        Case("extra-blocks-in-table", _inputs(fixed, 8, 4, 2, 8, [1, 4, 6, 3], 6), kind="edge", check=chk,
             note="4 blocks listed, 6 positions: blocks 6 and 3 are not read"),
        Case("block-size-1", _inputs(fixed, 6, 1, 2, 4, [4, 0, 5, 2], 4), kind="edge", check=chk),
        Case("one-head", _inputs(fixed, 5, 3, 1, 16, [4, 1], 5), kind="edge", check=chk),
        Case("large-scores", _inputs(fixed, 6, 4, 2, 16, [2, 5], 7, spread=25.0), kind="edge", check=chk,
             note="scores ~1e3: subtract the max"),
        Case("seq-len-0", _inputs(fixed, 4, 4, 1, 4, [1], 0), kind="edge", raises="ValueError", note="seq_len 0"),
        Case("seq-len-beyond-table", _inputs(fixed, 4, 4, 1, 4, [1, 2], 9), kind="edge", raises="ValueError",
             note="9 positions do not fit in 2 blocks of 4"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        nb, bs, h, d = int(rng.integers(3, 10)), int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(1, 5)) * 4
        n_table = int(rng.integers(1, nb + 1))
        table = [int(b) for b in rng.permutation(nb)[:n_table]]
        seq_len = int(rng.integers(1, n_table * bs + 1))
        out.append(Case(f"random-{i}", _inputs(rng, nb, bs, h, d, table, seq_len), kind="random", seed=seed,
                        check=chk, note=f"block size {bs}, table {table}, seq_len {seq_len}"))
    return out


# ----------------------------------------------------------------------------- grader side


def paged_np(q: Any, k_pool: Any, v_pool: Any, block_table: list[int], seq_len: int, *, positions: str = "seq_len",
             order: str = "table", scale: str = "sqrt") -> Any:
    """The statement's result, or a slip: read whole blocks / the whole table, ignore the table's order, scale."""
    import numpy as np

    bs, _, d = k_pool.shape[1:]
    n_used = -(-seq_len // bs)
    blocks = list(block_table) if positions == "table" else list(block_table[:n_used])
    if order == "pool":
        blocks = list(range(len(blocks)))
    elif order == "sorted":
        blocks = sorted(blocks)
    k = k_pool[blocks].reshape(-1, *k_pool.shape[2:])
    v = v_pool[blocks].reshape(-1, *v_pool.shape[2:])
    if positions == "seq_len":
        k, v = k[:seq_len], v[:seq_len]
    s = np.einsum("hd,thd->ht", q, k) / {"sqrt": np.sqrt(d), "d": float(d)}[scale]
    s -= s.max(axis=-1, keepdims=True)
    w = np.exp(s)
    w /= w.sum(axis=-1, keepdims=True)
    return np.einsum("ht,thd->hd", w, v)


SLIPS: list[tuple[dict[str, Any], str]] = [
    ({"positions": "blocks"},
     "read the unfilled tail of the last block: only the first seq_len positions are keys of this sequence; "
     "the slots after position seq_len − 1 in the last block hold stale or other data and must be cut off "
     "(or masked) before the softmax"),
    ({"positions": "table"},
     "read every block listed in block_table: only the first ceil(seq_len / block_size) blocks hold this "
     "sequence, and of the last one only the filled slots"),
    ({"order": "pool"},
     "read pool blocks 0, 1, 2, … instead of the blocks block_table names: position p lives in block "
     "block_table[p // block_size], slot p % block_size"),
    ({"order": "sorted"},
     "read the table's blocks in sorted order: the table's order is the sequence's order"),
    ({"scale": "d"}, "the scores are divided by D instead of √D"),
]


def check_paged(case: Case, got: Any, expected: Any) -> str | None:
    """Shape and values against the reference; a slip named where one matches."""
    import numpy as np

    want = np.asarray(expected, dtype=np.float64)
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"expected an array of shape {want.shape}, got {type(got).__name__}"
    if arr.shape != want.shape:
        return f"output of shape {arr.shape}, expected {want.shape} (H, D)"
    close = np.isclose(arr, want, rtol=RTOL, atol=ATOL)
    if close.all():
        return None
    idx = tuple(int(i) for i in np.argwhere(~close)[0])
    msg = (f"wrong at {list(idx)}: expected {want[idx]:.8g}, got {arr[idx]:.8g} "
           f"({int((~close).sum())} of {close.size} values wrong)")
    for flags, why in SLIPS:
        variant = paged_np(**case.kwargs, **flags)
        if not np.allclose(variant, want, rtol=RTOL, atol=ATOL) and np.allclose(arr, variant, rtol=1e-6, atol=1e-8):
            return f"{msg}: {why}"
    return msg


SPEC = ExerciseSpec(cases=cases)
