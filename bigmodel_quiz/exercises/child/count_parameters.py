"""Child side of count-parameters: build the named model on the device and count it.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm

def prepare(device: str) -> None:
    """Before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Build the named model on the device and count it."""
    model = tm.count_model(kwargs["model"], device)
    call = {"trainable_only": kwargs["trainable_only"]} if "trainable_only" in kwargs else {}
    value = tm.to_plain(entry(model, **call), device, "the count")
    return {"count": value}
