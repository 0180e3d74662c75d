"""Ranks of a real gloo process group, as the distributed exercises' trusted code uses them.

Child side, imported by the distributed exercises' child modules (before the submission):
:func:`prepare_ranks` wraps ``torch.distributed`` so that the bytes a rank sends through
``send``/``isend`` are counted and, for point-to-point exercises, collective calls are
refused; :func:`rank_session` joins the group as the harness's environment says
(``RANK``, ``WORLD_SIZE``; ``MASTER_PORT`` names the case's file store) over the loopback
the sandbox's network namespace keeps up. The harness forks one process per rank after
every import, so each rank starts warm and stays in the sandbox.

The parent's side (how many ranks a case has, its values per rank) is
``bigmodel_quiz.exercises.ranks``. Nothing here imports torch at module level, nor anything
outside this package.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

COLLECTIVES = (
    "all_reduce", "all_reduce_coalesced", "reduce", "reduce_scatter", "reduce_scatter_tensor",
    "_reduce_scatter_base", "all_gather", "all_gather_into_tensor", "_all_gather_base", "all_gather_coalesced",
    "all_gather_object", "broadcast", "broadcast_object_list", "all_to_all", "all_to_all_single",
    "scatter", "scatter_object_list", "gather", "gather_object", "barrier", "monitored_barrier",
)
SENDS = ("send", "isend")
GLOO_TIMEOUT_S = 600  # the grade's own timeout ends a hang long before gloo's


class CollectiveRefused(RuntimeError):
    """A collective call in an exercise that asks for point-to-point messages only."""

    grader_verdict = True  # the harness reports it as the case's verdict, not as a crash


@dataclass
class RankCounters:
    """What one rank did through ``torch.distributed`` during one case."""

    bytes_sent: int = 0
    sends: int = 0
    refused: list[str] = field(default_factory=list)


_COUNTERS = RankCounters()
_STATE = {"installed": False, "p2p_only": False, "active": False, "sending": False}


def prepare_ranks(*, point_to_point_only: bool) -> None:
    """Wrap ``torch.distributed`` before the submission is imported (once per run)."""
    import torch.distributed as dist
    from torch.distributed import distributed_c10d as c10d

    _STATE["p2p_only"] = point_to_point_only
    if _STATE["installed"]:
        return
    _STATE["installed"] = True
    if not point_to_point_only:
        return  # nothing to count or refuse: the library stays untouched
    for name in SENDS:
        _patch(dist, c10d, name, _counting(getattr(c10d, name)))
    for name in COLLECTIVES:
        original = getattr(c10d, name, None)
        if original is not None:
            _patch(dist, c10d, name, _refusing(name, original))


def _patch(dist: Any, c10d: Any, name: str, wrapper: Any) -> None:
    # Both namespaces: ``dist.send`` is what users call, ``c10d.send`` what helpers such
    # as ``send_object_list`` and ``batch_isend_irecv`` look up at call time.
    setattr(c10d, name, wrapper)
    if hasattr(dist, name):
        setattr(dist, name, wrapper)


def _counting(original: Any) -> Any:
    def send(tensor: Any, *args: Any, **kwargs: Any) -> Any:
        # ``send`` is ``isend(...).wait()`` inside torch: count the outermost call only
        if _STATE["active"] and not _STATE["sending"]:
            _COUNTERS.bytes_sent += int(tensor.numel()) * int(tensor.element_size())
            _COUNTERS.sends += 1
        outer, _STATE["sending"] = _STATE["sending"], True
        try:
            return original(tensor, *args, **kwargs)
        finally:
            _STATE["sending"] = outer

    send.__name__ = send.__qualname__ = original.__name__
    send.__doc__ = original.__doc__
    return send


def _refusing(name: str, original: Any) -> Any:
    def collective(*args: Any, **kwargs: Any) -> Any:
        if _STATE["active"] and _STATE["p2p_only"]:
            _COUNTERS.refused.append(name)
            raise CollectiveRefused(
                f"dist.{name} is a collective call, refused in this exercise: build the result from "
                "point-to-point dist.send/dist.recv (or isend/irecv) between ring neighbours"
            )
        return original(*args, **kwargs)

    collective.__name__ = collective.__qualname__ = name
    collective.__doc__ = original.__doc__
    return collective


@contextlib.contextmanager
def rank_session() -> Iterator[tuple[int, int]]:
    """Join the case's gloo group as the harness's environment says; (rank, world size).

    Leaving destroys the group so the rank exits cleanly.
    """
    import datetime

    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)  # up to four ranks share the machine's cores
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    # A file store in the working folder (one per case: the harness picks a fresh port for
    # each): a TCP store's connection retries sometimes add half a second per case.
    store = os.path.join(os.getcwd(), f".quiz-rendezvous-{os.environ.get('MASTER_PORT', '0')}")
    with _quiet_stderr():  # c10d may warn that the sandbox's host name cannot be resolved
        dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=world,
                                timeout=datetime.timedelta(seconds=GLOO_TIMEOUT_S))
    try:
        yield rank, world
    finally:
        _STATE["active"] = False
        with contextlib.suppress(Exception):
            dist.destroy_process_group()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    # fd 2 belongs to the submission's captured output: keep the library's start-up noise out of it
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@contextlib.contextmanager
def submission_running() -> Iterator[RankCounters]:
    """While the submission's function runs: count its sends (from zero) and refuse what is refused."""
    _COUNTERS.bytes_sent, _COUNTERS.sends, _COUNTERS.refused = 0, 0, []
    _STATE["active"] = True
    try:
        yield _COUNTERS
    finally:
        _STATE["active"] = False
