"""Option types shared by several commands."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer


class Lang(str, Enum):
    """Interface languages."""

    en = "en"
    zh = "zh"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help="Language of questions and feedback (default: from the locale).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", help="Seed for the selection order and parametric questions.")]


def lang_of(value: Optional[Lang]) -> str:
    """The chosen language, or the locale's."""
    from bigmodel_quiz.lang import default_lang

    return value.value if value is not None else default_lang()
