"""count-parameters: count a module's parameters, tied weights once, frozen ones optionally."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _specs(seed: int) -> list[tuple[str, str, dict[str, Any], bool | None]]:
    import random

    r = random.Random(seed)
    sizes = [r.randint(2, 40) for _ in range(r.randint(2, 5))]
    lm = {"build": "tied_lm", "vocab": r.randint(20, 200), "dim": r.randint(4, 24), "layers": r.randint(0, 3),
          "tied": r.random() < 0.7, "freeze_embedding": r.random() < 0.5}
    frozen = {"build": "mlp", "sizes": sizes, "frozen_layers": r.randint(0, len(sizes) - 1)}
    return [
        ("random-mlp", "random", frozen, r.random() < 0.5),
        ("random-lm", "random", lm, r.random() < 0.5),
    ]


def cases(seed: int) -> list[Case]:
    """Fixed models with every trap, then two random ones built from ``seed``."""
    fixed: list[tuple[str, str, dict[str, Any], bool | None]] = [
        ("mlp", "deterministic", {"build": "mlp", "sizes": [8, 16, 4]}, None),
        ("mlp-no-bias", "deterministic", {"build": "mlp", "sizes": [10, 20, 30, 5], "bias": False}, None),
        ("tied-embeddings", "edge", {"build": "tied_lm", "vocab": 100, "dim": 16, "layers": 2}, None),
        ("untied-embeddings", "edge", {"build": "tied_lm", "vocab": 100, "dim": 16, "layers": 2, "tied": False}, None),
        ("frozen-all-counted", "edge", {"build": "mlp", "sizes": [8, 16, 16, 4], "frozen_layers": 2}, False),
        ("frozen-trainable-only", "edge", {"build": "mlp", "sizes": [8, 16, 16, 4], "frozen_layers": 2}, True),
        ("tied-and-frozen-trainable-only", "edge",
         {"build": "tied_lm", "vocab": 64, "dim": 8, "layers": 1, "freeze_embedding": True}, True),
        ("batchnorm-buffers", "edge", {"build": "conv_bn", "channels": 6, "classes": 3}, None),
        ("module-reused", "edge", {"build": "shared_block", "dim": 12, "repeats": 3}, None),
        ("no-parameters", "edge", {"build": "no_params"}, True),
    ]
    out = []
    for name, kind, spec, trainable_only in fixed + _specs(seed):
        kwargs: dict[str, Any] = {"model": spec}
        if trainable_only is not None:
            kwargs["trainable_only"] = trainable_only
        out.append(Case(name=name, kwargs=kwargs, kind=kind, seed=seed if kind == "random" else None,
                        check=check_count, note=_note(spec, trainable_only)))
    return out


def _note(spec: dict[str, Any], trainable_only: bool | None) -> str:
    shown = ", ".join(f"{k}={v}" for k, v in spec.items() if k != "build")
    return f"{spec['build']}({shown}), trainable_only={bool(trainable_only)}"


def expected(case: Case) -> int:
    """Parent side: the count by arithmetic (tied once, frozen left out when asked)."""
    counts = tm.expected_counts(case.kwargs["model"])
    return counts["trainable"] if case.kwargs.get("trainable_only") else counts["total"]


def check_count(case: Case, got: Any, expected_value: Any) -> str | None:
    """An exact integer; a wrong count is explained by the trap it matches."""
    import numpy as np

    want = expected(case)
    value = got.get("count") if isinstance(got, dict) else got
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        return f"expected an int, got {type(value).__name__} {value!r}"
    value = int(value)
    if value == want:
        return None
    diff = value - want
    traps = tm.expected_counts(case.kwargs["model"])
    only = bool(case.kwargs.get("trainable_only"))
    why = ""
    if only and traps["frozen"] and diff == traps["frozen"]:
        why = f": the extra {diff:,} are the frozen parameters (requires_grad=False), which trainable_only=True leaves out"
    elif not only and traps["frozen"] and diff == -traps["frozen"]:
        why = f": the missing {-diff:,} are the frozen parameters, which count unless trainable_only=True"
    elif traps["tied"] and diff == traps["tied"]:
        why = (f": the extra {diff:,} is the tied embedding/LM-head weight counted twice; "
               "a parameter shared by two modules is one tensor (model.parameters() yields it once)")
    elif traps["buffers"] and diff == traps["buffers"]:
        why = f": the extra {diff:,} are BatchNorm buffers (running mean/var, batch counter), which are not parameters (state_dict() holds both)"
    elif traps["reused"] and diff == traps["reused"]:
        why = f": the extra {diff:,} come from counting a module used {case.kwargs['model']['repeats']} times once per use"
    return f"expected {want:,} parameters, got {value:,} ({diff:+,}){why}"


SPEC = ExerciseSpec(cases=cases, timeout=15, expected=expected, child="count_parameters")
