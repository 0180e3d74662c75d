"""Every failed case says what it was called with: array shapes and scalar values, never the values of arrays."""

from __future__ import annotations

import numpy as np

from bigmodel_quiz.grader.judge import describe_inputs


def test_arrays_show_shape_and_dtype_scalars_their_value() -> None:
    text = describe_inputs({"x": np.zeros((2, 3, 4, 4)), "w": np.zeros((5,)), "stride": 2, "causal": True,
                            "eps": 1e-5, "mode": "same"})
    assert text == ("x=(2, 3, 4, 4) float64, w=(5,) float64, stride=2, causal=True, eps=1e-05, mode='same'")


def test_long_lists_and_long_inputs_are_cut() -> None:
    assert describe_inputs({"merges": [("a", "b")] * 10}).endswith("... (10 items)]")
    assert len(describe_inputs({f"x{i}": np.zeros((1000, 1000)) for i in range(40)})) <= 240


def test_a_failed_case_shows_its_inputs_in_the_report(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    sub = tmp_path / "rms_norm.py"
    sub.write_text("# exercise: rms-norm\ndef rms_norm(x, weight, eps=1e-6):\n    return x\n", encoding="utf-8")
    result = cli("grade", str(sub))
    assert "inputs: x=(4, 8) float64, weight=(8,) float64" in result.stdout
