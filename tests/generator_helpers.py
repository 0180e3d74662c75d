"""Helpers shared by the tests/test_generators_<topic>.py files (not a test module)."""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable

import pytest

from bigmodel_quiz.bank import generators


def run(name: str, **kwargs: object) -> tuple[float, dict]:
    """The generator's (answer, extras) for these parameters; fails if no generator has that name."""
    gen = generators.get(name)
    assert gen is not None, name
    return gen(**kwargs)


def sample_tests(module: str, sample: dict[str, dict[str, Any]]) -> tuple[Callable[[], None], Callable[[str], None]]:
    """Two tests for the generators of ``bigmodel_quiz.bank.<module>`` and their sample calls.

    The first checks that every generator of that module has a sample in ``sample`` (and no
    other one does); the second, parametrised by generator name, that the sample names
    exactly the declared parameters, in the function's order, within their bounds, and that
    calling it gives a finite answer and the declared extras. Bind them to test_ names in the
    topic's module.
    """
    qualified = f"bigmodel_quiz.bank.{module}"

    def every_generator_has_a_sample() -> None:
        mine = {n for n in generators.names() if generators.get(n).func.__module__ == qualified}
        assert mine == set(sample)

    @pytest.mark.parametrize("name", sorted(sample))
    def sample_call_matches_declared_params(name: str) -> None:
        gen = generators.get(name)
        assert gen is not None and set(gen.params) == set(sample[name])
        assert list(inspect.signature(gen.func).parameters) == list(gen.params)
        for pname, (lo, hi) in gen.params.items():
            v = sample[name][pname]
            assert (lo is None or v >= lo) and (hi is None or v <= hi), (pname, v)
        answer, extra = gen(**sample[name])
        assert math.isfinite(answer)
        assert set(extra) == set(gen.extras)

    return every_generator_has_a_sample, sample_call_matches_declared_params
