"""Child side of ring-allreduce: in every rank, this rank's tensor reduced in place, its sends counted.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm
from bigmodel_quiz.exercises.child import ranks

def prepare(device: str) -> None:
    """Before the submission is imported: count sends, refuse collectives."""
    ranks.prepare_ranks(point_to_point_only=True)
    tm.prepare_torch(device)


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """In every rank (gloo on CPU whatever the device): this rank's tensor, reduced in place."""
    with ranks.rank_session() as (rank, _):
        t = tm.tensor(tm.rank_tensor(kwargs["data_seed"], rank, kwargs["length"]), "cpu")
        with ranks.submission_running() as sent:
            entry(t)
        return {"tensor": t.numpy().copy(), "bytes_sent": sent.bytes_sent, "refused": list(sent.refused)}
