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
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from rich.markdown import Markdown

_IDEO = "\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CLOSE = "、。，．：；！？）》」』】〕〉\uff05\uff09\uff0c\uff0e\uff1a\uff1b\uff01\uff1f"
_CJK_OPEN = "（《「『【〔〈\uff08"
# Quotes and % belong to a Latin word they touch ("don’t", "50%"), and stick to Chinese otherwise.
_CLOSE = _CJK_CLOSE + "’”%"
_OPEN = _CJK_OPEN + "‘“"
_UNIT = re.compile(
    rf"\s*[{_OPEN}]*(?:[{_IDEO}]|[^\s{_IDEO}{_CJK_OPEN}{_CJK_CLOSE}]+|(?=[{_CLOSE}]))(?:\s*[{_CLOSE}]+)*\s*"
)


def words(text: str) -> Iterable[tuple[int, int, str]]:
    """Rich's ``words`` contract: (start, end, unit) with trailing whitespace included."""
    position = 0
    match = _UNIT.match(text, position)
    while match is not None and match.end() > position:
        yield match.start(), match.end(), match.group(0)
        position = match.end()
        match = _UNIT.match(text, position)


def install() -> None:
    """Let Rich break lines between Chinese characters (idempotent)."""
    try:
        from rich import _wrap
    except ImportError:  # pragma: no cover - a Rich without the module keeps its own breaks
        return
    if callable(getattr(_wrap, "words", None)) and callable(getattr(_wrap, "divide_line", None)):
        _wrap.words = words


def markdown(text: str) -> "Markdown":
    """Rich Markdown of bank text, Chinese line wraps undone first."""
    from rich.markdown import Markdown

    from bigmodel_quiz.bank.prose import fix_emphasis, unwrap

    return Markdown(fix_emphasis(unwrap(text)))
