"""The one error family of the tool, and its named exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses; their meaning is part of the command-line contract."""

    OK = 0
    FAILED = 1  # a grade that failed, a bank with problems, a corrupt input
    USAGE = 2  # bad usage: no such file, unknown topic/exercise, wrong flag
    INTERRUPTED = 130


class QuizError(Exception):
    """An error whose message is written for the user; printed once, on stderr."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(QuizError):
    """The command line asked for something that does not exist or cannot be done."""

    exit_code = ExitCode.USAGE


class BankError(QuizError):
    """A question bank could not be loaded."""


class StoreError(QuizError):
    """The progress store could not be opened or written."""
