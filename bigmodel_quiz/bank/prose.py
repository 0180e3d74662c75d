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
