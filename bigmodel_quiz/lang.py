"""The interface language: ``en`` or ``zh``, defaulting from the locale."""

from __future__ import annotations

import os
from enum import Enum


class Lang(str, Enum):
    """The interface languages."""

    en = "en"
    zh = "zh"


LANGS = tuple(lang.value for lang in Lang)


def default_lang() -> str:
    """``zh`` when the locale says Chinese, else ``en``."""
    for var in ("QUIZ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
