"""Bank prose: undoing the line wraps an author made in a YAML block.

In Markdown a single line break inside a paragraph is a space. Chinese puts no
space there, so a wrapped Chinese sentence would show stray spaces; other
renderers (Anki's HTML) would show the break itself. Blank lines, list items,
quotes, tables, headings and fenced code keep their breaks.
"""

from __future__ import annotations

import re

_HAN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_CJK_PUNCT = re.compile("[\u3000-\u303f\uff00-\uffef]")
_BLOCK_START = re.compile(r"\s*([-*+>#|]|\d+[.)]\s|```)")


def unwrap(text: str, latin: str = "\n") -> str:
    """Join wrapped lines: directly next to Chinese, with ``latin`` elsewhere (a newline leaves those to Markdown)."""
    lines = text.split("\n")
    out = [lines[0]]
    fenced = lines[0].lstrip().startswith("```")
    for line in lines[1:]:
        prev = out[-1].rstrip()
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        joinable = not fenced and prev and line.strip() and not _BLOCK_START.match(line)
        if joinable:
            before, after = prev[-1], line.lstrip()[0]
            if (_HAN.match(before) and _HAN.match(after)) or _CJK_PUNCT.match(before):
                out[-1] = prev + line.lstrip()
                continue
            if latin != "\n":
                out[-1] = prev + latin + line.lstrip()
                continue
        out.append(line)
    return "\n".join(out)


# -- emphasis next to punctuation --------------------------------------------
# CommonMark does not close ``**约定。**`` when a letter follows it (a delimiter run
# preceded by punctuation must be followed by a space or punctuation), which Chinese
# text never has: the asterisks would show. Moving the punctuation outside the
# emphasis (``**约定**。``) reads the same and parses everywhere.
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def _punct(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch).startswith("P")


def _bare(ch: str) -> bool:
    # a character that makes the delimiter run fail when punctuation is on its inner side
    return bool(ch) and not ch.isspace() and not _punct(ch)


def _emphasis_spans(text: str):  # type: ignore[no-untyped-def]
    """(match, moves leading, moves trailing) of every emphasis span outside code that would not parse."""
    for part in _CODE.split(text)[::2]:
        for m in _EMPHASIS.finditer(part):
            inner = m.group(2)
            before = part[m.start() - 1] if m.start() else ""
            after = part[m.end()] if m.end() < len(part) else ""
            lead = _punct(inner[0]) and _bare(before)
            trail = _punct(inner[-1]) and _bare(after)
            if lead or trail:
                yield m, lead, trail


def emphasis_next_to_punctuation(text: str) -> list[str]:
    """The ``**…**`` spans whose punctuation keeps them from parsing as emphasis."""
    return [m.group() for m, _, _ in _emphasis_spans(text)]


def fix_emphasis(text: str) -> str:
    """Punctuation at the inner edge of an emphasis moved outside it, where it would keep the emphasis from parsing."""
    if "**" not in text and "__" not in text:
        return text
    parts = _CODE.split(text)
    for i in range(0, len(parts), 2):
        for _ in range(3):  # 前**「约定」。**后 → 前**「约定」**。后 → 前「**约定**」。后
            fixed = _EMPHASIS.sub(_moved, parts[i])
            if fixed == parts[i]:
                break
            parts[i] = fixed
    return "".join(parts)


_PAIRS = dict(zip("（「『【《〈“‘([{", "）」』】》〉”’)]}"))


def _closes(ch: str, inner: str) -> bool:
    # a closing bracket whose opening one is inside stays with it
    return any(close == ch and opener in inner for opener, close in _PAIRS.items())


def _opens(ch: str, inner: str) -> bool:
    return ch in _PAIRS and _PAIRS[ch] in inner


def _moved(m: re.Match) -> str:
    part, mark, inner = m.string, m.group(1), m.group(2)
    before = part[m.start() - 1] if m.start() else ""
    after = part[m.end()] if m.end() < len(part) else ""
    head = tail = ""
    if _bare(before) and _bare(after) and len(inner) > 2 and _PAIRS.get(inner[0]) == inner[-1]:
        head, tail, inner = inner[0], inner[-1], inner[1:-1]  # 前**「约定」**后 → 前「**约定**」后
    if _bare(after):
        while len(inner) > 1 and _punct(inner[-1]) and not _closes(inner[-1], inner):
            tail = inner[-1] + tail
            inner = inner[:-1]
    if _bare(before):
        while len(inner) > 1 and _punct(inner[0]) and not _opens(inner[0], inner):
            head += inner[0]
            inner = inner[1:]
    return f"{head}{mark}{inner}{mark}{tail}"
