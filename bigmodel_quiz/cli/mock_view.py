"""Mock interviews (being written)."""

from __future__ import annotations

from bigmodel_quiz.errors import UsageError


def run_mock(console, bank, questions, lang, *, minutes=None) -> None:  # type: ignore[no-untyped-def]
    """Run a timed mock interview."""
    raise UsageError("--mode mock is not available yet; use --mode practice")
