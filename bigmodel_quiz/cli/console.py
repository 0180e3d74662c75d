"""The Rich consoles the commands print to (NO_COLOR is honoured by Rich itself)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from bigmodel_quiz.cli import cjk_wrap

if TYPE_CHECKING:
    from rich.console import Console


def out() -> "Console":
    """A console on the current stdout (looked up per call so tests can swap it)."""
    from rich.console import Console

    cjk_wrap.install()
    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


def err() -> "Console":
    """A console on the current stderr."""
    from rich.console import Console

    cjk_wrap.install()
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def print_error(message: str) -> None:
    """One line on stderr, prefixed with ``error:`` (``错误：`` in a Chinese session, the message translated)."""
    from bigmodel_quiz.cli.messages import ERRORS, translate_error
    from bigmodel_quiz.cli.options import current_lang

    lang = current_lang()
    print(f"{ERRORS[lang]['error']}{translate_error(message, lang)}", file=sys.stderr, flush=True)


def print_notice(message: str) -> None:
    """One line on stderr, prefixed with ``note:`` (``提示：`` in a Chinese session)."""
    from bigmodel_quiz.cli.messages import ERRORS
    from bigmodel_quiz.cli.options import current_lang

    print(f"{ERRORS[current_lang()]['note']}{message}", file=sys.stderr, flush=True)


def print_json(doc: Any) -> None:
    """One JSON document on stdout and nothing else."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
