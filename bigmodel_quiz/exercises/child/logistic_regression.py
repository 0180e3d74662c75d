"""Child side of logistic-regression: one call, with NumPy's floating-point warnings recorded."""

from __future__ import annotations

from bigmodel_quiz.exercises.child.numpy_warnings import run as run
