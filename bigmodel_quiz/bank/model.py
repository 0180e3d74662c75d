"""Typed questions, templates and topics, as loaded from the banks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class QType(str, Enum):
    """The five question types."""

    SINGLE = "single"
    MULTI = "multi"
    TRUEFALSE = "truefalse"
    NUMERIC = "numeric"
    SHORT = "short"


DIFFICULTIES = ("easy", "medium", "hard")

Text = dict  # {"en": str, "zh": str}


@dataclass(frozen=True)
class Tolerance:
    """Absolute or relative tolerance of a numeric answer."""

    abs: float | None = None
    rel: float | None = None

    def accepts(self, expected: float, got: float) -> bool:
        """Whether ``got`` is close enough to ``expected``."""
        if self.abs is not None:
            return abs(got - expected) <= self.abs + 1e-12 * abs(expected)
        rel = self.rel if self.rel is not None else 0.01
        return abs(got - expected) <= rel * abs(expected) + 1e-12

    def describe(self, lang: str = "en") -> str:
        """``±0.5``, ``±1%`` or ``exact`` (``精确``)."""
        if self.abs == 0:
            return "精确" if lang == "zh" else "exact"
        if self.abs is not None:
            return f"±{self.abs:g}"
        return f"±{(self.rel if self.rel is not None else 0.01) * 100:g}%"


@dataclass(frozen=True)
class Concept:
    """A key concept of a short answer: its accepted phrasings per language."""

    phrases: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Question:
    """One question, ready to ask (a parametric one is already instantiated)."""

    id: str
    topic: str
    type: QType
    difficulty: str
    tags: tuple[str, ...]
    prompt: Text
    explanation: Text
    references: tuple[str, ...]
    choices: tuple[Text, ...] = ()
    answer: object = None  # letter | tuple of letters | bool | float | None
    unit: str = ""
    tolerance: Tolerance = field(default_factory=Tolerance)
    keywords: tuple[Concept, ...] = ()
    min_keywords: int = 0
    model_answer: Text | None = None
    template: str | None = None  # the template id, for instantiated questions
    group: str | None = None  # variants of one idea share a group; never asked in one session
    choice_order: tuple[int, ...] = ()  # when shown shuffled: the bank index of each shown choice
    source: str = ""  # file:line where it was defined

    def text(self, field_name: str, lang: str) -> str:
        """The prompt/explanation/model answer in ``lang``."""
        value = getattr(self, field_name) or {}
        return value.get(lang) or value.get("en", "")

    def choice_text(self, index: int, lang: str) -> str:
        """The text of choice ``index`` in ``lang``."""
        c = self.choices[index]
        return c.get(lang) or c.get("en", "")


@dataclass(frozen=True)
class Param:
    """A template parameter: an integer range (with step) or a list of choices."""

    name: str
    lo: int | None = None
    hi: int | None = None
    step: int = 1
    choices: tuple = ()


@dataclass(frozen=True)
class Template:
    """A parametric numeric question; its answer comes from a named generator."""

    id: str
    topic: str
    generator: str
    difficulty: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    prompt: Text
    explanation: Text
    references: tuple[str, ...]
    unit: str = ""
    tolerance: Tolerance = field(default_factory=Tolerance)
    source: str = ""
    group: str | None = None


@dataclass(frozen=True)
class Topic:
    """A topic's metadata (one bank file)."""

    id: str
    title: Text
    description: Text
    source: str = ""


@dataclass
class Bank:
    """Everything loaded from a set of bank files."""

    topics: dict[str, Topic] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)

    def topic_ids(self) -> list[str]:
        """Topic ids in file order."""
        return list(self.topics)
