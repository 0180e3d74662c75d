"""NumPy twins of the PyTorch exercises' models: what the parent expects, computed without torch.

Parent side only (never imported into the submission's process). The child builds
models and batches from seeds with ``bigmodel_quiz.exercises.child.models``; the same
generators are re-exported here so that a case module computes what it expects
(gradients, losses, parameter counts) from exactly the inputs the child used.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child.models import classification_batch as classification_batch
from bigmodel_quiz.exercises.child.models import marker_task as marker_task
from bigmodel_quiz.exercises.child.models import mlp_init as mlp_init
from bigmodel_quiz.exercises.child.models import rank_tensor as rank_tensor
from bigmodel_quiz.exercises.child.models import regression_batch as regression_batch
from bigmodel_quiz.exercises.child.models import rng as rng

# --------------------------------------------------------------------------- NumPy twins


def mlp_forward_np(layers: list[tuple[Any, Any]], x: Any, act: str) -> tuple[Any, list[Any]]:
    """Logits of the MLP in float64, and each layer's input (for the backward pass)."""
    import numpy as np

    h = np.asarray(x, dtype=np.float64)
    inputs = []
    for i, (w, b) in enumerate(layers):
        inputs.append(h)
        h = h @ np.asarray(w, np.float64).T + np.asarray(b, np.float64)
        if i < len(layers) - 1:
            h = np.tanh(h) if act == "tanh" else np.maximum(h, 0.0)
    return h, inputs


def mse_loss_and_grads(layers: list[tuple[Any, Any]], x: Any, y: Any, act: str = "tanh") -> tuple[float, list[tuple[Any, Any]]]:
    """``mean((mlp(x) - y)**2)`` over all elements and its (weight, bias) gradients, float64."""
    import numpy as np

    out, inputs = mlp_forward_np(layers, x, act)
    y = np.asarray(y, dtype=np.float64)
    loss = float(np.mean((out - y) ** 2))
    delta = 2.0 * (out - y) / out.size
    grads: list[tuple[Any, Any]] = []
    for i in range(len(layers) - 1, -1, -1):
        w = np.asarray(layers[i][0], np.float64)
        grads.append((delta.T @ inputs[i], delta.sum(axis=0)))
        if i > 0:
            pre = inputs[i]  # the activation output that fed layer i
            dact = 1.0 - pre**2 if act == "tanh" else (pre > 0).astype(np.float64)
            delta = (delta @ w) * dact
    return loss, grads[::-1]


def cross_entropy_np(logits: Any, labels: Any) -> float:
    """Mean cross-entropy of integer labels under the logits (stable log-sum-exp)."""
    import numpy as np

    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(labels)), np.asarray(labels)].mean())


# ------------------------------------------------------- parameter counts, by arithmetic


def expected_counts(spec: dict[str, Any]) -> dict[str, int]:
    """Total and trainable parameter counts of a count-parameters model spec, plus the
    sizes of its traps (tied, frozen, buffer and reused-module elements) for diagnosis."""
    kind = spec["build"]
    if kind == "mlp":
        sizes, bias = spec["sizes"], spec.get("bias", True)
        per = [i * o + (o if bias else 0) for i, o in zip(sizes[:-1], sizes[1:])]
        frozen = sum(per[: spec.get("frozen_layers", 0)])
        return _counts(sum(per), sum(per) - frozen, frozen=frozen)
    if kind == "tied_lm":
        v, d, n = spec["vocab"], spec["dim"], spec["layers"]
        embed = v * d
        blocks = n * (d * d + d)
        norm = 2 * d
        total = embed + blocks + norm + (0 if spec.get("tied", True) else embed)
        frozen = embed if spec.get("freeze_embedding", False) else 0
        tied = embed if spec.get("tied", True) else 0
        return _counts(total, total - frozen, frozen=frozen, tied=tied)
    if kind == "conv_bn":
        c, k = spec["channels"], spec["classes"]
        conv = 3 * c * 9 + c
        bn = 2 * c  # weight and bias; running stats are buffers, not parameters
        head = c * k + k
        return _counts(conv + bn + head, conv + bn + head, buffers=2 * c + 1)
    if kind == "shared_block":
        d = spec["dim"]
        block = d * d + d
        return _counts(block, block, reused=block * (spec["repeats"] - 1))
    if kind == "no_params":
        return _counts(0, 0)
    raise ValueError(f"unknown model spec {kind!r}")


def _counts(total: int, trainable: int, **traps: int) -> dict[str, int]:
    return {"total": total, "trainable": trainable, **{k: traps.get(k, 0) for k in ("tied", "frozen", "buffers", "reused")}}
