"""The CLI's message catalog: every key in both languages, with the same placeholders."""

from __future__ import annotations

import string
from typing import Any, get_type_hints

import pytest

from bigmodel_quiz.cli import messages
from bigmodel_quiz.lang import LANGS

TABLES = {name: table for name, table in vars(messages).items() if name.isupper() and isinstance(table, dict)}


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_leaves(sub, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list):
        return {f"{path}[{i}]": v for i, v in enumerate(value)}
    return {path: value}


def test_there_are_tables() -> None:
    assert {"SESSION", "MOCK", "STATS", "GRADE", "REVIEW", "EXERCISES", "TOPICS", "TODAY"} <= set(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_key_exists_in_both_languages_with_the_same_placeholders(name: str) -> None:
    table = TABLES[name]
    assert set(table) == set(LANGS)
    declared = set(get_type_hints(_typed_dict_of(name)))
    en, zh = _leaves(table["en"]), _leaves(table["zh"])
    assert set(table["en"]) == set(table["zh"]) == declared
    assert set(en) == set(zh), set(en) ^ set(zh)
    for key, text in en.items():
        assert isinstance(text, str) and text and isinstance(zh[key], str) and zh[key], key
        # "{s}" (an English plural) may be left out in Chinese; nothing else may differ
        assert _placeholders(text) - {"s"} == _placeholders(zh[key]) - {"s"}, key


def _typed_dict_of(name: str) -> type:
    annotation = messages.__annotations__[name]  # "dict[str, SessionText]"
    return getattr(messages, annotation.split(",")[1].strip(" ]"))
