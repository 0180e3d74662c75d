"""sequence-classifier: Embedding → LSTM → Linear, graded on shapes, size and learning."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.child.sequence_classifier import TRAIN_STEPS, dims
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


MIN_ACCURACY = 0.90


def expected_params(vocab: int, embed: int, hidden: int, classes: int) -> int:
    """Embedding + one LSTM layer (4 gates, two bias vectors, as nn.LSTM has) + Linear."""
    return vocab * embed + 4 * hidden * (embed + hidden) + 8 * hidden + hidden * classes + classes


def cases(seed: int) -> list[Case]:
    """Shapes (N ≠ T so a batch-first slip shows), T = 1, size, and a toy task to learn."""
    size = {"vocab_size": 20, "embed_dim": 8, "hidden_dim": 16, "num_classes": 3}
    toy = {"vocab_size": 12, "embed_dim": 16, "hidden_dim": 32, "num_classes": 3, "seq_len": 8}
    return [
        Case("shapes", {"mode": "shapes", **size, "batch": 5, "seq_len": 7}, check=check_sequence,
             note="(5, 7) tokens → (5, 3) logits"),
        Case("one-step-sequences", {"mode": "shapes", **size, "batch": 4, "seq_len": 1}, kind="edge",
             check=check_sequence, note="T = 1"),
        Case("batch-of-1", {"mode": "shapes", **size, "batch": 1, "seq_len": 6}, kind="edge",
             check=check_sequence, note="N = 1"),
        Case("parameter-count", {"mode": "count", **size}, check=check_sequence,
             note="Embedding(20, 8) + LSTM(8, 16) + Linear(16, 3)"),
        Case("learns-toy-task", {"mode": "learn", **toy, "train_seed": 0}, check=check_sequence,
             note="remember which marker token appeared; 150 Adam steps"),
        Case("learns-toy-task-random", {"mode": "learn", **toy, "train_seed": seed}, kind="random", seed=seed,
             check=check_sequence, note="the toy task with another seed"),
    ]


def check_sequence(case: Case, got: Any, expected_value: Any) -> str | None:
    """Shapes, the exact size of the layout, or held-out accuracy on the toy task."""
    import numpy as np

    if got.get("problem"):
        return str(got["problem"])
    kw = case.kwargs
    if kw["mode"] == "count":
        want = expected_params(*dims(kw))
        n = int(got["n_params"])
        if n == want:
            return None
        return f"expected {want:,} parameters, got {n:,} ({n - want:+,}){_diagnose(n - want, kw)}"
    if kw["mode"] == "shapes":
        shape = tuple(int(s) for s in got["out_shape"])
        want_shape = (kw["batch"], kw["num_classes"])
        if shape != want_shape:
            hint = ""
            if len(shape) == 2 and shape[0] == kw["seq_len"]:
                hint = ": the first axis has T, not N: create the LSTM with batch_first=True (tokens are (N, T))"
            elif len(shape) == 3:
                hint = ": classify from the last hidden state (N, hidden), not from every time step"
            return f"logits of shape {shape}, expected {want_shape} (N, num_classes){hint}"
        if not got["floating"]:
            return "the logits must be floating-point"
        if not np.all(np.isfinite(np.asarray(got["logits"], dtype=np.float64))):
            return "the logits hold NaN or Inf"
        return None
    _, labels = tm.marker_task(kw["train_seed"] + 1_000_003, 256, kw["seq_len"], kw["vocab_size"], kw["num_classes"])
    logits = np.asarray(got["logits"], dtype=np.float64)
    if logits.shape != (256, kw["num_classes"]):
        return f"held-out logits of shape {logits.shape}, expected {(256, kw['num_classes'])}"
    acc = float((logits.argmax(axis=1) == labels).mean())
    if acc >= MIN_ACCURACY:
        return None
    return (f"held-out accuracy {acc:.1%} after {TRAIN_STEPS} training steps, needs ≥ {MIN_ACCURACY:.0%}: the label is the "
            "marker token seen anywhere in the sequence, so the classifier must read the LSTM's last hidden state "
            "(h_n[-1], or output[:, -1] with batch_first=True), not the first step")


def _diagnose(diff: int, kw: dict[str, Any]) -> str:
    e, h = kw["embed_dim"], kw["hidden_dim"]
    known = {
        -4 * h: "one of the LSTM's two bias vectors is missing",
        -8 * h: "the LSTM has no biases",
        4 * h * (e + h) + 8 * h: "the LSTM is bidirectional; the layout asks for one direction",
        4 * h * (e + h) + 8 * h + h * kw["num_classes"]: "the LSTM is bidirectional; the layout asks for one direction",
        4 * h * (2 * h) + 8 * h: "the LSTM has two layers; the layout asks for one",
        -(h * (e + h) + 2 * h): "that is a GRU's size (3 gates); the layout asks for an LSTM (4 gates)",
    }
    return f": {known[diff]}" if diff in known else ""


SPEC = ExerciseSpec(cases=cases, timeout=60, child="sequence_classifier")
