"""Named answer generators for parametric questions.

A bank's template names one of these; its answer is computed here, never by
evaluating text from the bank. Each generator declares its parameters with the
range of values it accepts, so `quiz validate` can reject a template whose
declared range leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Generator:
    """A registered generator: its function and accepted parameter bounds."""

    name: str
    func: Callable[..., object]
    params: dict[str, tuple[float | None, float | None]]
    extras: tuple[str, ...] = ()

    def __call__(self, **kwargs: object) -> tuple[float, dict]:
        result = self.func(**kwargs)
        if isinstance(result, tuple):
            value, extra = result
            return float(value), dict(extra)
        return float(result), {}


_REGISTRY: dict[str, Generator] = {}


def generator(name: str, *, extras: tuple[str, ...] = (), **params: tuple[float | None, float | None]):
    """Register a generator taking ``params`` (each with (lo, hi) bounds, None = open)."""

    def wrap(func: Callable[..., object]) -> Callable[..., object]:
        _REGISTRY[name] = Generator(name, func, params, extras)
        return func

    return wrap


def get(name: str) -> Generator | None:
    """The generator called ``name``, if any."""
    return _REGISTRY.get(name)


def names() -> list[str]:
    """All generator names, sorted."""
    return sorted(_REGISTRY)


POS = (1, None)


@generator("mlp_params", extras=("weights", "biases"), d_in=POS, d_hidden=POS, d_out=POS)
def mlp_params(d_in: int, d_hidden: int, d_out: int) -> tuple[int, dict]:
    """One hidden layer MLP with biases: d_in·h + h + h·d_out + d_out."""
    weights = d_in * d_hidden + d_hidden * d_out
    biases = d_hidden + d_out
    return weights + biases, {"weights": weights, "biases": biases}


@generator("gpt_params", extras=("per_layer", "embeddings"),
           vocab_size=POS, n_positions=POS, d_model=POS, n_layers=POS)
def gpt_params(vocab_size: int, n_positions: int, d_model: int, n_layers: int) -> tuple[int, dict]:
    """GPT-2 layout with tied embeddings and d_ff = 4·d_model."""
    d = d_model
    per_layer = 12 * d * d + 13 * d  # qkv 3d²+3d, proj d²+d, mlp 8d²+5d, two LNs 4d
    embeddings = vocab_size * d + n_positions * d
    total = embeddings + n_layers * per_layer + 2 * d
    return total, {"per_layer": per_layer, "embeddings": embeddings}
