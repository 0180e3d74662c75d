"""Where things live: the user's data dir and the shipped banks and solutions.

The data dir is owned by :func:`data_dir` alone; ``QUIZ_HOME`` (or the global
``--data-dir`` option, which sets it) overrides the platform default.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_path() -> Path:
    override = os.environ.get("QUIZ_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("bigmodel-quiz", appauthor=False))


def data_dir() -> Path:
    """The directory holding the user's progress store (created on demand)."""
    path = _data_path()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from bigmodel_quiz.errors import StoreError

        raise StoreError(f"cannot use {path} as the data folder (QUIZ_HOME or --data-dir): {exc.strerror}") from None
    return path


def cache_dir() -> Path:
    """Derived data that can be rebuilt at any time (parsed banks); not created here."""
    return _data_path() / "cache"


def _shipped(name: str) -> Path:
    # In a checkout (or an editable install) the top-level folder is used; in an
    # installed wheel the same files are package data under ``data/``.
    checkout = _PACKAGE.parent / name
    if checkout.is_dir() and (_PACKAGE.parent / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE / "data" / name


def bank_dir() -> Path:
    """The question banks: ``QUIZ_BANK_DIR`` when set, else the shipped ones."""
    override = os.environ.get("QUIZ_BANK_DIR")
    if override:
        return Path(override).expanduser()
    return _shipped("questions")


def exercise_text_dir() -> Path:
    """The shipped exercise statements, hints and starters."""
    return _shipped("questions") / "exercises"


def solutions_dir() -> Path:
    """The shipped reference solutions of the coding exercises."""
    return _shipped("solutions")
