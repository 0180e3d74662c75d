"""Option types shared by several commands."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bigmodel_quiz.lang import Lang

LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help="Language of questions and feedback (default: from the locale).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", help="Seed for the selection order and parametric questions.")]


_global_lang: Optional[str] = None  # set by the root callback at the start of every invocation
_command_lang: Optional[str] = None  # the language a command resolved, for its errors


def set_global_lang(value: Optional[Lang]) -> None:
    """``quiz --lang L COMMAND``: the default language of this invocation's command."""
    global _global_lang, _command_lang
    _global_lang = value.value if value is not None else None
    _command_lang = None


def lang_of(value: Optional[Lang]) -> str:
    """The command's --lang, else the global --lang, else QUIZ_LANG or the locale's."""
    from bigmodel_quiz.lang import default_lang

    global _command_lang
    _command_lang = value.value if value is not None else (_global_lang or default_lang())
    return _command_lang


def current_lang() -> str:
    """The language of this invocation so far: the command's once resolved, else the global default."""
    from bigmodel_quiz.lang import default_lang

    return _command_lang or _global_lang or default_lang()
