"""Cases for `kv-cache-bytes`: exact integer byte counts and argument validation."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


_NAMES = ("batch", "seq_len", "n_layers", "n_kv_heads", "head_dim", "bytes_per_elem")


def _args(*values: int) -> dict:
    return dict(zip(_NAMES, values))


def cases(seed: int) -> list[Case]:
    """Published model shapes, dtype sizes, all-ones, one ValueError per argument, random shapes."""
    import numpy as np

    out = [
        Case("llama2-7b-4k-fp16", _args(1, 4096, 32, 32, 128, 2), note="Llama-2-7B: 2 GiB of cache at 4k tokens"),
        Case("llama2-70b-gqa-batch-8", _args(8, 4096, 80, 8, 128, 2), note="grouped-query attention: 8 KV heads"),
        Case("default-bytes-per-elem", _args(2, 1024, 24, 16, 64), note="bytes_per_elem defaults to 2 (fp16/bf16)"),
        Case("int8-cache", _args(4, 2048, 32, 8, 128, 1), kind="edge"),
        Case("fp32-cache", _args(1, 512, 12, 12, 64, 4), kind="edge"),
        Case("all-ones", _args(1, 1, 1, 1, 1, 1), kind="edge", note="one key and one value of one byte: 2"),
    ]
    for name in _NAMES:
        values = [1, 1, 1, 1, 1, 1]
        values[_NAMES.index(name)] = 0
        out.append(Case(f"{name}-0-raises", _args(*values), kind="edge", raises="ValueError", note=f"{name} < 1"))
    out.append(
        Case("negative-seq_len-raises", _args(2, -5, 4, 4, 64, 2), kind="edge", raises="ValueError", note="seq_len < 1")
    )
    rng = np.random.default_rng(seed)
    for i in range(3):
        values = [int(rng.integers(1, 65)), int(rng.integers(1, 32769)), int(rng.integers(1, 97))]
        values += [int(rng.choice([1, 2, 4, 8, 16, 32])), int(rng.choice([32, 64, 80, 96, 128, 256]))]
        values.append(int(rng.choice([1, 2, 4])))
        out.append(Case(f"random-{i}", _args(*values), kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
