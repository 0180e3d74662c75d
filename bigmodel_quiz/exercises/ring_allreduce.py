"""ring-allreduce: sum a tensor across ranks with a ring of point-to-point messages."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import ranks
from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.child.ranks import COLLECTIVES
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-5, 1e-6  # float32 sums of ≤ 4 terms, added in ring order


def cases(seed: int) -> list[Case]:
    """World sizes 2, 3 and 4 with divisible, non-divisible, shorter-than-world and unit lengths."""
    import random

    r = random.Random(seed)
    spec = [
        (2, 8, "deterministic"), (2, 7, "edge"), (2, 1, "edge"),
        (3, 12, "deterministic"), (3, 10, "edge"), (3, 2, "edge"), (3, 1, "edge"),
        (4, 1000, "deterministic"), (4, 7, "edge"), (4, 1, "edge"),
        (r.choice([2, 3, 4]), r.randint(5, 64), "random"),
    ]
    out = []
    for ws, length, kind in spec:
        name = f"world-{ws}-length-{length}" + ("-random" if kind == "random" else "")
        out.append(Case(name, {"world_size": ws, "length": length, "data_seed": seed if kind == "random" else ws * 100 + length},
                        kind=kind, seed=seed if kind == "random" else None, check=check_ring,
                        rtol=RTOL, atol=ATOL, note=f"{ws} ranks, float32 tensor of {length}"))
    return out


_GENERIC = {"reduce", "gather", "scatter", "broadcast"}  # also names of unrelated functions (functools.reduce)


def collective_in_source(source: str) -> str | None:
    """Parent side: a collective of torch.distributed the file names, read from the file itself.

    The refusal inside the ranks guides an honest attempt but runs in the submission's
    process, which can undo it; this reading cannot be undone by the submission (a name
    built at run time escapes it: the rule is guidance, the sum is the grade).
    """
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    aliases = {"distributed"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update(a.asname for a in node.names if a.name.startswith("torch.distributed") and a.asname)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("torch"):
            for a in node.names:
                if node.module == "torch" and a.name == "distributed":
                    aliases.add(a.asname or a.name)
                elif node.module.startswith("torch.distributed") and a.name in COLLECTIVES:
                    return _named(a.name, node.lineno)
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Attribute) and node.attr in COLLECTIVES:
            base = node.value
            on_dist = (isinstance(base, ast.Name) and base.id in aliases) or (
                isinstance(base, ast.Attribute) and base.attr in ("distributed", "distributed_c10d"))
            if on_dist or node.attr not in _GENERIC:
                name = node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in COLLECTIVES:
            name = node.value if node.value not in _GENERIC else None
        if name:
            return _named(name, getattr(node, "lineno", 0))
    return None


def _named(name: str, line: int) -> str:
    return (f"line {line} names dist.{name}, a collective call (read from the file by the grader): this exercise "
            "asks for the ring built from point-to-point dist.send/dist.recv (or isend/irecv) only")


def _inputs(kwargs: dict[str, Any]) -> list[Any]:
    return [tm.rank_tensor(kwargs["data_seed"], r, kwargs["length"]) for r in range(kwargs["world_size"])]


def byte_budget(length: int, world_size: int, itemsize: int = 4) -> tuple[float, int]:
    """(bytes a rank sends on average in a ring, the most one rank may send).

    The average is 2(N−1)/N of the tensor. With chunks of unequal size a rank sends
    every chunk but one in each phase, so the most is 2 × (length − the smallest chunk),
    and the smallest chunk is at least length // N. Passing the whole tensor around the
    ring, (N−1) × the tensor, is over that limit for every N > 2 once length ≥ N.
    """
    ideal = 2 * (world_size - 1) / world_size * length * itemsize
    return ideal, 2 * (length - length // world_size) * itemsize


def check_ring(case: Case, got: Any, expected_value: Any) -> str | None:
    """Every rank holds the sum; sent bytes within the ring's budget."""
    import numpy as np

    kw = case.kwargs
    inputs = _inputs(kw)
    want = np.sum(np.asarray(inputs, dtype=np.float64), axis=0)
    n, length = kw["world_size"], kw["length"]
    for rank, res in enumerate(ranks.per_rank(got)):
        if res.get("refused"):
            return f"rank {rank} called dist.{res['refused'][0]}: collective calls are refused here; use send/recv"
        have = np.asarray(res["tensor"], dtype=np.float64)
        if have.shape != want.shape:
            return f"rank {rank}: the tensor has shape {have.shape}, expected {want.shape}"
        close = np.isclose(have, want, rtol=RTOL, atol=ATOL)
        if close.all():
            continue
        if np.array_equal(have, inputs[rank]):
            msg = (f"rank {rank}: the tensor still holds this rank's own values: write the sum into it in place "
                   "(tensor.copy_(...), tensor += ..., or operate on views such as tensor.tensor_split(world_size))")
            if length % n:
                msg += (f"; with length {length} and {n} ranks the chunks are "
                        f"{[len(c) for c in np.array_split(np.empty(length), n)]}: chunks of length // world_size "
                        "leave elements out")
            return msg
        bad = np.flatnonzero(~close)
        untouched = np.isclose(have[bad], inputs[rank][bad], rtol=RTOL, atol=ATOL)
        msg = (f"rank {rank}: wrong at index {bad[0]} of {length} ({len(bad)} wrong): expected {want[bad[0]]:.6g}, "
               f"got {have[bad[0]]:.6g}")
        if untouched.all() and length % n:
            msg += (f"; elements {bad[0]}..{bad[-1]} were never reduced (they hold this rank's input): {length} is not "
                    f"divisible by {n}, so the chunks must cover the remainder too (e.g. tensor.tensor_split({n}) "
                    f"gives sizes {[len(c) for c in np.array_split(np.empty(length), n)]})")
        elif length % n:
            msg += f"; {length} is not divisible by {n}: check the chunk boundaries and the last chunk"
        return msg
    ideal, limit = byte_budget(length, n)
    for rank, res in enumerate(ranks.per_rank(got)):
        sent = int(res["bytes_sent"])
        if sent > limit:
            return (f"rank {rank} sent {sent} bytes; a ring all-reduce sends about 2(N−1)/N × {length * 4} = {ideal:.0f} bytes "
                    f"per rank (N = {n}, {length} float32 values): in each of the 2(N−1) steps send only one chunk "
                    f"(≈ length/N elements) to the next rank")
    return None


SPEC = ExerciseSpec(
    cases=cases,
    timeout=20,
    rtol=RTOL, atol=ATOL,
    world_size=ranks.case_world_size,
    child="ring_allreduce",
    source_rule=collective_in_source,
)
