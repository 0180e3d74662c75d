"""Answer generators of the post-training bank's parametric templates (registered on import)."""

from __future__ import annotations

from bigmodel_quiz.bank.generators import generator  # noqa: F401
