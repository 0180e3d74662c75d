"""Line breaking for Chinese text in Rich output.

Rich wraps only at whitespace. Chinese has none between words, and the banks put
spaces around Latin words and numbers inside Chinese sentences ("MFU 为 40 %。训练…"),
so Rich would push a whole clause to the next line and leave half a line empty,
or split "40" from "%". Chinese may break between any two characters, except
before closing punctuation and after opening punctuation. Rich has no hook for
this, so the CLI installs its own word splitter in Rich's wrapper: each Chinese
character is a unit of its own (with the punctuation that sticks to it), Latin
words stay whole. If a Rich release moves that function, the wrapper is left as
it is and text still prints, only with Rich's own breaks.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

_IDEO = "\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CLOSE = "、。，．：；！？）》」』】〕〉\uff05\uff09\uff0c\uff0e\uff1a\uff1b\uff01\uff1f"
_CJK_OPEN = "（《「『【〔〈\uff08"
# Quotes and % belong to a Latin word they touch ("don’t", "50%"), and stick to Chinese otherwise.
_CLOSE = _CJK_CLOSE + "’”%"
_OPEN = _CJK_OPEN + "‘“"


@cache
def _unit() -> re.Pattern[str]:
    # compiled on first use: its large character ranges take milliseconds, which output as JSON never needs
    return re.compile(
        rf"\s*[{_OPEN}]*(?:[{_IDEO}]|[^\s{_IDEO}{_CJK_OPEN}{_CJK_CLOSE}]+|(?=[{_CLOSE}]))(?:\s*[{_CLOSE}]+)*\s*"
    )


def words(text: str) -> Iterable[tuple[int, int, str]]:
    """Rich's ``words`` contract: (start, end, unit) with trailing whitespace included."""
    unit = _unit()
    position = 0
    match = unit.match(text, position)
    while match is not None and match.end() > position:
        yield match.start(), match.end(), match.group(0)
        position = match.end()
        match = unit.match(text, position)


def install() -> None:
    """Let Rich break lines between Chinese characters (idempotent)."""
    try:
        from rich import _wrap
    except ImportError:  # pragma: no cover - a Rich without the module keeps its own breaks
        return
    if callable(getattr(_wrap, "words", None)) and callable(getattr(_wrap, "divide_line", None)):
        _wrap.words = words


# Characters that give text a Markdown meaning, and the starts of a block (list, heading, rule).
_MARKUP = frozenset("*_`[]<>#|\\~&!") | frozenset(map(chr, range(32)))
_BLOCK_START = frozenset("-+=0123456789")


def plain_paragraph(text: str) -> bool:
    """Whether Markdown would show ``text`` as one paragraph of exactly these characters."""
    return bool(text) and text == text.strip() and text[0] not in _BLOCK_START and _MARKUP.isdisjoint(text)


class Paragraph:
    """What Rich's Markdown renders for a plain paragraph (:func:`plain_paragraph`), without parsing Markdown."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: "Console", options: "ConsoleOptions") -> "RenderResult":
        from rich.text import Text

        style = console.get_style("none") + console.get_style("markdown.paragraph", default="none")
        text = Text(justify="left")
        text.append(self.text, style)
        yield text


def markdown(text: str) -> "RenderableType":
    """Rich Markdown of bank text, Chinese line wraps undone first.

    Plain text (most prompts and choices) is rendered as Markdown would render it, without
    loading a Markdown parser, which costs a question's first screen tens of milliseconds.
    """
    if plain_paragraph(text):  # nothing for unwrap or fix_emphasis to change either: no line break, no * or _
        return Paragraph(text)
    from rich.markdown import Markdown

    from bigmodel_quiz.bank.prose import fix_emphasis, unwrap

    return Markdown(fix_emphasis(unwrap(text)))
