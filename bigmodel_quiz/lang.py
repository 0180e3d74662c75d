"""The interface language: ``en`` or ``zh``, defaulting from the locale."""

from __future__ import annotations

import os

LANGS = ("en", "zh")


def default_lang() -> str:
    """``zh`` when the locale says Chinese, else ``en``."""
    for var in ("QUIZ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
