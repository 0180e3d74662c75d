"""Cases for `mlp-param-count`: parameters of a fully connected network."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def cases(seed: int) -> list[Case]:
    """The catalog's example, no bias, deep and wide nets, invalid sizes, random nets."""
    import random

    out = [
        Case("catalog-example", {"layer_sizes": [1000, 10]}, note="[1000, 10] has 1000*10 + 10 = 10010"),
        Case("two-hidden-layers", {"layer_sizes": [784, 256, 128, 10]}),
        Case("no-bias", {"layer_sizes": [784, 256, 10], "bias": False}, kind="edge", note="bias=False: weights only"),
        Case("width-one", {"layer_sizes": [1, 1]}, kind="edge", note="a single weight and a single bias"),
        Case("bottleneck", {"layer_sizes": [512, 1, 512]}, kind="edge"),
        Case("large", {"layer_sizes": [12288, 49152, 12288]}, kind="edge", note="a GPT-3-sized MLP block: the count exceeds 2**31"),
        Case(
            "sizes-not-mutated",
            {"layer_sizes": [64, 32, 16, 8]},
            kind="edge",
            note="layer_sizes must be left as it was",
        ),
        Case("one-size-raises", {"layer_sizes": [10]}, kind="edge", raises="ValueError", note="fewer than 2 sizes"),
        Case("empty-raises", {"layer_sizes": []}, kind="edge", raises="ValueError", note="fewer than 2 sizes"),
        Case("zero-width-raises", {"layer_sizes": [10, 0, 5]}, kind="edge", raises="ValueError", note="a size < 1"),
        Case("negative-width-raises", {"layer_sizes": [10, -3]}, kind="edge", raises="ValueError", note="a size < 1"),
    ]
    rng = random.Random(seed)
    for i in range(3):
        sizes = [rng.randint(1, 4096) for _ in range(rng.randint(2, 7))]
        out.append(Case(f"random-{i}", {"layer_sizes": sizes, "bias": rng.random() < 0.7}, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
