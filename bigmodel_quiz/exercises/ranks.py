"""The parent's side of the distributed exercises: how many ranks run a case, its values per rank.

The ranks themselves (a gloo group, send counting, refused collectives) are child side:
``bigmodel_quiz.exercises.child.ranks``.
"""

from __future__ import annotations

from typing import Any


def case_world_size(case: Any) -> int:
    """How many ranks run a distributed case: its ``world_size`` argument."""
    return int(case.kwargs["world_size"])


def per_rank(got: Any) -> list[Any]:
    """A distributed case's values as one list, rank 0 first."""
    return list(got["ranks"]) if isinstance(got, dict) else list(got)
