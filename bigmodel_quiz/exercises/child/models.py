"""Models and batches the PyTorch exercises' child side builds, from a name and a seed.

Child side: imported into the submission's process (before the submission) by the
exercises' child modules. A torch case cannot send a model through ``.npz`` files, so
its kwargs name what to build (``{"build": "tied_lm", "vocab": 50, ...}``) and the
child builds it here, on the grading device, before calling the submission. Every
initial weight and every batch comes from a NumPy generator, so the parent recomputes
what it expects (``bigmodel_quiz.exercises.torch_models``, the NumPy twins) from the
same seeds without importing torch. Nothing here computes an expected value or a
verdict, and nothing imports torch at module level.
"""

from __future__ import annotations

from typing import Any

# ------------------------------------------------------------------ inputs, from seeds



def rng(*seeds: int):  # type: ignore[no-untyped-def]
    """A NumPy generator seeded by a tuple of ints (case seed, rank, ...)."""
    import numpy as np

    return np.random.default_rng([int(s) for s in seeds])


def mlp_init(seed: int, sizes: list[int]) -> list[tuple[Any, Any]]:
    """Float32 (weight (out, in), bias (out,)) pairs laid out as ``nn.Linear`` holds them."""
    import numpy as np

    gen = rng(seed, 7)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / np.sqrt(fan_in)  # nn.Linear's default range, for familiar scales
        w = gen.uniform(-bound, bound, size=(fan_out, fan_in)).astype(np.float32)
        b = gen.uniform(-bound, bound, size=(fan_out,)).astype(np.float32)
        layers.append((w, b))
    return layers


def regression_batch(seed: int, n: int, d_in: int, d_out: int, part: int = 0) -> tuple[Any, Any]:
    """A float32 regression batch (x (n, d_in), y (n, d_out)); ``part`` picks a slice's stream."""
    import numpy as np

    gen = rng(seed, 11, part)
    x = gen.standard_normal((n, d_in)).astype(np.float32)
    y = gen.standard_normal((n, d_out)).astype(np.float32)
    return x, y


def classification_batch(seed: int, n: int, d_in: int, n_classes: int) -> tuple[Any, Any]:
    """A float32 batch x (n, d_in) and int64 labels (n,) covering the classes evenly."""
    import numpy as np

    gen = rng(seed, 13)
    x = gen.standard_normal((n, d_in)).astype(np.float32)
    y = (np.arange(n) % n_classes).astype(np.int64)
    gen.shuffle(y)
    return x, y


def marker_task(seed: int, n: int, seq_len: int, vocab_size: int, num_classes: int) -> tuple[Any, Any]:
    """Toy sequences: noise tokens plus one class marker at a random position; label = marker.

    Tokens ``0..num_classes-1`` are markers, the rest noise. The label is only
    recoverable by remembering the marker until the end, so a model that reads the
    LSTM's last hidden state learns it and one that reads the first step does not.
    """
    import numpy as np

    gen = rng(seed, 17)
    tokens = gen.integers(num_classes, vocab_size, size=(n, seq_len)).astype(np.int64)
    labels = gen.integers(0, num_classes, size=n).astype(np.int64)
    where = gen.integers(0, seq_len, size=n)
    tokens[np.arange(n), where] = labels
    return tokens, labels


def rank_tensor(seed: int, rank: int, length: int) -> Any:
    """The float32 tensor rank ``rank`` contributes to an all-reduce case."""
    import numpy as np

    return rng(seed, 19, rank).standard_normal(length).astype(np.float32)


# ---------------------------------------------------------------------------- torch side


def prepare_torch(device: str) -> None:
    """Child side, before the submission: TF32 off and deterministic cuDNN on CUDA, one CPU thread."""
    import torch

    torch.set_num_threads(1)  # small models; threads only add start-up and jitter
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False


def tensor(array: Any, device: str):  # type: ignore[no-untyped-def]
    """A torch tensor on ``device`` holding a copy of a NumPy array."""
    import numpy as np
    import torch

    return torch.from_numpy(np.array(array, copy=True)).to(device)


def mlp_module(layers: list[tuple[Any, Any]], act: str, device: str):  # type: ignore[no-untyped-def]
    """``nn.Sequential(Linear, act, Linear, ...)`` holding exactly the given weights."""
    import torch
    from torch import nn

    mods: list[nn.Module] = []
    for i, (w, b) in enumerate(layers):
        lin = nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        mods.append(lin)
        if i < len(layers) - 1:
            mods.append(nn.Tanh() if act == "tanh" else nn.ReLU())
    return nn.Sequential(*mods).to(device)


def count_model(spec: dict[str, Any], device: str):  # type: ignore[no-untyped-def]
    """The model a count-parameters case names (its counts by arithmetic are the parent's ``torch_models.expected_counts``)."""
    import torch
    from torch import nn

    torch.manual_seed(0)  # the values do not matter, only the structure
    kind = spec["build"]
    if kind == "mlp":
        sizes, bias = spec["sizes"], spec.get("bias", True)
        mods: list[nn.Module] = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            mods += [nn.Linear(a, b, bias=bias), nn.ReLU()]
        model = nn.Sequential(*mods[:-1])
        linears = [m for m in model if isinstance(m, nn.Linear)]
        for lin in linears[: spec.get("frozen_layers", 0)]:
            lin.requires_grad_(False)
    elif kind == "tied_lm":
        model = _tiny_lm(spec["vocab"], spec["dim"], spec["layers"], spec.get("tied", True))
        if spec.get("freeze_embedding", False):
            model.embed.weight.requires_grad_(False)
    elif kind == "conv_bn":
        c, k = spec["channels"], spec["classes"]
        model = nn.Sequential(nn.Conv2d(3, c, 3), nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, k))
    elif kind == "shared_block":
        block = nn.Linear(spec["dim"], spec["dim"])
        model = nn.Sequential(*[m for _ in range(spec["repeats"]) for m in (block, nn.ReLU())])
    elif kind == "no_params":
        model = nn.Sequential(nn.ReLU(), nn.Dropout(0.1))
    else:
        raise ValueError(f"unknown model spec {kind!r}")
    return model.to(device)


def _tiny_lm(vocab: int, dim: int, layers: int, tied: bool):  # type: ignore[no-untyped-def]
    from torch import nn

    class TinyLM(nn.Module):
        """Embedding → Linear blocks → LayerNorm → LM head (optionally tied to the embedding)."""

        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(vocab, dim)
            self.blocks = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
            self.norm = nn.LayerNorm(dim)
            self.head = nn.Linear(dim, vocab, bias=False)
            if tied:
                self.head.weight = self.embed.weight  # one tensor held by two modules

        def forward(self, tokens):  # type: ignore[no-untyped-def]
            h = self.embed(tokens)
            for block in self.blocks:
                h = h + block(h).relu()
            return self.head(self.norm(h))

    return TinyLM()


def to_plain(value: Any, device: str, what: str) -> Any:
    """A submission's return value as NumPy/Python data, checking tensors' device.

    Raises ``WrongDevice`` (whose message is shown as the case's failure) when a
    tensor comes back on another device than the one the grade runs on.
    """
    import numpy as np

    if hasattr(value, "detach") and hasattr(value, "device"):
        if value.device.type != device:
            raise WrongDevice(f"{what} is a tensor on {value.device.type}, but the grade runs on {device}: results must stay on the input's device")
        return value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)):
        return [to_plain(v, device, f"{what}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, np.generic):
        return value.item()
    return value


class WrongDevice(Exception):
    """A result came back on another device than the grading device."""
