"""Child side of sequence-classifier: build the submission's class, then check shapes, count, or train it.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm

TRAIN_STEPS = 150  # the reference reaches 100 % within 80; the rest is margin


BATCH = 64


LR = 0.02


def prepare(device: str) -> None:
    """Before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


def dims(kwargs: dict[str, Any]) -> tuple[int, int, int, int]:
    return kwargs["vocab_size"], kwargs["embed_dim"], kwargs["hidden_dim"], kwargs["num_classes"]


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Build the submission's class, then check shapes, count, or train it."""
    import torch

    seed = kwargs.get("train_seed", 0)
    torch.manual_seed(seed)
    model = entry(*dims(kwargs)).to(device)
    if kwargs["mode"] == "count":
        return {"n_params": sum(p.numel() for p in model.parameters()),
                "shapes": [list(p.shape) for p in model.parameters()]}
    if kwargs["mode"] == "shapes":
        gen = tm.rng(seed, 5)
        tokens = tm.tensor(gen.integers(0, kwargs["vocab_size"], size=(kwargs["batch"], kwargs["seq_len"])), device)
        with torch.no_grad():
            out = model(tokens)
        return {"out_shape": list(out.shape), "floating": bool(out.is_floating_point()),
                "logits": tm.to_plain(out, device, "the logits")}
    # learn: a fixed, trusted training loop; the parent scores the held-out logits
    n_classes, length = kwargs["num_classes"], kwargs["seq_len"]
    x, y = tm.marker_task(seed, 512, length, kwargs["vocab_size"], n_classes)
    x_test, _ = tm.marker_task(seed + 1_000_003, 256, length, kwargs["vocab_size"], n_classes)
    x, y, x_test = tm.tensor(x, device), tm.tensor(y, device), tm.tensor(x_test, device)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    pick = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(TRAIN_STEPS):
        idx = torch.randint(0, len(x), (BATCH,), generator=pick).to(device)
        loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(x_test)
    return {"logits": tm.to_plain(logits, device, "the logits"), "final_loss": loss.item()}
