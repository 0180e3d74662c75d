"""Cases for `transformer-param-count`: GPT-2 parameter counts, exact integers."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


# (name, vocab_size, n_positions, d_model, n_layers): the four published GPT-2 sizes.
_GPT2 = [
    ("gpt2-small", 50257, 1024, 768, 12),  # 124,439,808
    ("gpt2-medium", 50257, 1024, 1024, 24),
    ("gpt2-large", 50257, 1024, 1280, 36),
    ("gpt2-xl", 50257, 1024, 1600, 48),
]


def _args(vocab, positions, d_model, layers, **extra) -> dict:
    return {"vocab_size": vocab, "n_positions": positions, "d_model": d_model, "n_layers": layers, **extra}


def cases(seed: int) -> list[Case]:
    """GPT-2 sizes, untied and custom-d_ff variants, a tiny model, and seeded random shapes."""
    import numpy as np

    out = [Case(name, _args(v, p, d, n_l), note="default d_ff = 4*d_model, tied embeddings") for name, v, p, d, n_l in _GPT2]
    out += [
        Case(
            "gpt2-small-untied",
            _args(50257, 1024, 768, 12, tied_embeddings=False),
            kind="edge",
            note="an untied LM head is one more vocab_size x d_model matrix (no bias)",
        ),
        Case(
            "custom-d-ff",
            _args(32000, 2048, 512, 6, d_ff=1376),
            kind="edge",
            note="d_ff given explicitly (not 4*d_model)",
        ),
        Case(
            "explicit-d-ff-none",
            _args(1000, 64, 32, 2, d_ff=None, tied_embeddings=True),
            kind="edge",
            note="d_ff=None means 4*d_model",
        ),
        Case(
            "tiny-all-ones",
            _args(1, 1, 1, 1),
            kind="edge",
            note="every term of the formula counts even when it is 1",
        ),
        Case(
            "tiny-untied-custom-d-ff",
            _args(3, 2, 2, 1, d_ff=5, tied_embeddings=False),
            kind="edge",
            note="small enough to count by hand: biases and LayerNorms matter here",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        d_model = int(rng.integers(1, 33)) * 32
        extra: dict[str, int | bool] = {"tied_embeddings": bool(rng.integers(2))}
        if rng.integers(2):
            extra["d_ff"] = int(rng.integers(1, 9)) * 128
        args = _args(int(rng.integers(100, 100_000)), int(rng.integers(1, 4097)), d_model, int(rng.integers(1, 49)), **extra)
        out.append(Case(f"random-{i}", args, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
