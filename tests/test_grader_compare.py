"""The diagnosis: each way a result can differ gets a message that says where and how."""

from __future__ import annotations

import numpy as np
import pytest

from bigmodel_quiz.grader.compare import compare, describe
from bigmodel_quiz.grader.protocol import TensorData, Unsupported

TIGHT = {"rtol": 1e-7, "atol": 1e-9}


def test_equal_values_pass():
    e = np.linspace(0, 1, 12).reshape(3, 4)
    assert compare(e, e.copy(), **TIGHT) is None
    assert compare(e, e + 1e-12, **TIGHT) is None
    assert compare((1.0, {"w": e}), [1.0 + 1e-12, {"w": e}], **TIGHT) is None  # a list is a fine tuple
    assert compare(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), **TIGHT) is None  # NaN where expected


@pytest.mark.parametrize(
    ("expected", "got"),
    [(3, np.int64(3)), (0.5, np.float32(0.5)), (2.0, 2), (True, np.bool_(True)), (1.5, np.array(1.5))],
)
def test_scalars_may_be_python_or_numpy(expected, got):
    assert compare(expected, got, **TIGHT) is None


def test_scalar_type_mistakes():
    assert compare(10010, 10010.0, **TIGHT) == "expected an int 10010, got a float 10010.0"
    assert "expected an int 3, got a bool True" in compare(3, True, **TIGHT)
    assert compare(1.0, "1.0", **TIGHT) == "expected a float 1.0, got the string '1.0'"
    assert compare(1.0, None, **TIGHT) == "expected a float 1.0, got None"


def test_scalar_value_message_has_errors_and_a_factor_hint():
    msg = compare(0.5, 1.0, **TIGHT)
    assert msg.startswith("expected 0.5, got 1.0 (abs error 0.5, rel error 1;")
    assert "got is 2× the expected value" in msg
    assert "the sign is flipped" in compare(0.25, -0.25, **TIGHT)
    assert "1/4 of the expected value" in compare(8.0, 2.0, **TIGHT)
    assert compare(2.0, float("nan"), **TIGHT) == "got nan where 2.0 was expected"


def test_shape_and_dtype_class():
    e = np.zeros((2, 3))
    assert compare(e, np.zeros((3, 2)), **TIGHT) == "shape: expected (2, 3), got (3, 2) (the transpose of the expected shape)"
    assert "a reshape or an axis order" in compare(e, np.zeros(6), **TIGHT)
    assert compare(e, np.zeros((2, 3), dtype=int), **TIGHT) == "dtype: expected floating (float64), got integer (int64)"
    assert compare(np.zeros(3, dtype=bool), np.zeros(3, dtype=np.int8), **TIGHT).startswith("dtype: expected bool")
    assert compare(e, np.zeros((2, 3), dtype=np.float32), **TIGHT) is None  # same class: the values decide
    assert compare(e, [[0.0] * 3] * 2, **TIGHT) == "expected an array of shape (2, 3) (float64), got a list of 2 items"


def test_first_bad_index_errors_and_excerpt():
    e = np.arange(24, dtype=float).reshape(2, 3, 4)
    g = e.copy()
    g[1, 2, 1] = -g[1, 2, 1]
    lines = compare(e, g, **TIGHT).split("\n")
    assert lines[0] == (
        "wrong at [1, 2, 1]: expected 21.0, got -21.0 (1 of 24 elements differ; max abs error 42,"
        " max rel error 2; rtol 1e-07, atol 1e-09)"
    )
    assert lines[1].split("]: ", 1)[1].split() == ["20.0", "21.0", "22.0", "23.0"]
    assert lines[2].split("]: ", 1)[1].split() == ["20.0", "-21.0", "22.0", "23.0"]
    assert lines[1].startswith("  expected [1, 2, 0:4]:") and lines[2].startswith("  got      [1, 2, 0:4]:")
    assert lines[3].index("^") == lines[2].index("-21.0") + len("-21.0") - 1  # under the bad cell


def test_long_rows_are_cut_around_the_bad_index():
    e = np.arange(100.0)
    g = e.copy()
    g[50] += 1
    excerpt = compare(e, g, **TIGHT).split("\n")[1]
    assert "[47:54]" in excerpt and excerpt.count("…") == 2


def test_integer_arrays_compare_exactly():
    msg = compare(np.array([[1, 2], [3, 4]]), np.array([[1, 2], [4, 3]]), **TIGHT)
    assert msg.startswith("wrong at [1, 0]: expected 3, got 4 (2 of 4 elements differ)")


def test_nan_and_inf_name_the_first_bad_index():
    e = np.ones((2, 3))
    g = e.copy()
    g[1, 1], g[1, 2] = np.inf, np.nan
    assert compare(e, g, **TIGHT) == "inf at [1, 1] where 1.0 was expected (2 NaN/Inf values where the expected values are finite)"


def test_everywhere_factor_hint():
    e = np.arange(1.0, 7.0)
    assert "got is 2× the expected values everywhere" in compare(e, 2 * e, **TIGHT)
    assert "the sign is flipped" in compare(e, -e, **TIGHT)
    assert "reversed along the last axis" in compare(e, e[::-1].copy(), **TIGHT)


def test_structure_is_named_by_path():
    e = (0.5, {"w1": np.zeros((3, 4)), "b1": np.zeros(4)})
    g = (0.5, {"w1": np.zeros((3, 4)), "b1": np.zeros(4)})
    g[1]["w1"][2, 3] = 1.0
    names = ("loss", "grad")
    assert compare(e, g, names=names, **TIGHT).startswith('grad["w1"] wrong at [2, 3]: expected 0.0, got 1.0')
    assert compare(e, g, **TIGHT).startswith('result[1]["w1"] wrong at [2, 3]')
    missing = (0.5, {"w1": np.zeros((3, 4))})
    assert compare(e, missing, names=names, **TIGHT) == "grad is missing key 'b1' (expected keys {'w1', 'b1'})"
    extra = (0.5, {"w1": np.zeros((3, 4)), "b1": np.zeros(4), "w9": 1})
    assert compare(e, extra, names=names, **TIGHT).startswith("grad has unexpected key 'w9'")
    assert compare(e, (0.5,), names=names, **TIGHT) == "expected a tuple of 2 items (loss, grad), got 1 items"
    assert compare(e, 0.5, names=names, **TIGHT) == "expected a tuple (loss, grad), got a float 0.5"
    assert compare([1, 2, 3], [1, 2, 4], **TIGHT) == "result[2]: expected 3, got 4"


def test_tensors_compare_device_then_dtype_then_values():
    e = TensorData(np.zeros(3, dtype=np.float32), "float32", "cuda:0")
    assert "on cpu, expected on cuda:0" in compare(e, TensorData(e.array, "float32", "cpu"), **TIGHT)
    assert compare(e, TensorData(e.array, "float64", "cuda:0"), **TIGHT) == "dtype: expected float32, got float64"
    assert compare(e, TensorData(e.array.copy(), "float32", "cuda:0"), **TIGHT) is None
    assert "got an array" in compare(e, e.array, **TIGHT)


def test_unsupported_results_are_described():
    msg = compare(3, Unsupported("generator", "not a number"), **TIGHT)
    assert msg == "expected an int 3, got a generator (not a number)"
    assert describe(None) == "None" and describe({"a": 1}) == "a dict with keys {'a'}"
