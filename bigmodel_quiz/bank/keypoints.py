"""Finding a short answer's key points in free text, in English or Chinese.

The matcher is a hint (the user rates their own recall), but it should not mislead:
a key phrase inside a negation ("has nothing to do with the interpolation
threshold", "不是过拟合", "与偏差方差无关") does not count, and a bare list of keywords
(fewer words than there are key points) covers nothing.
"""

from __future__ import annotations

import re
import unicodedata

EXACT_BELOW = 6  # phrases shorter than this (abbreviations, Chinese terms) must appear as written
FUZZY_FROM = 9  # phrases from this length on are matched by similarity; in between, one typo is allowed
FUZZY_MATCH = 85.0  # rapidfuzz partial ratio for a long key phrase to count as present

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])")
_DIGITS = re.compile(r"\d+")


def normalize(text: str) -> str:
    """NFKC, lower case, single spaces, no spaces next to Chinese characters."""
    # Chinese is written without spaces, and people differ on spacing around
    # Latin words inside it ("用 dropout" vs "用dropout"): drop spaces next to CJK.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return _SPACE_BY_CJK.sub("", text)


# -- negation ---------------------------------------------------------------
# A cue opens a negated stretch that runs to the end of its clause.
_EN_CUES = r"\b(?:not|never|no|neither|nor|nothing to do with|unrelated to|irrelevant to|rather than|instead of)\b|n't\b"
_ZH_CUES = r"不是|并非|并不是|而非|并没有|没有|无关于"
_CUE = re.compile(f"(?:{_EN_CUES})|(?:{_ZH_CUES})")
_NOT_ONLY = re.compile(r"\bnot only\b|\bnot just\b|不仅|不只")
# A clause ends at punctuation or at a word that turns the sentence around.
_CLAUSE_END = re.compile(r"[.;:!?,。；：！？，、]|\b(?:but|however|although|though|whereas|while|so|because|which|instead)\b"
                         r"|而是|但是|但|因为|所以|因此|而且")
_CLAUSE_WORD = re.compile(r"\w+")
# "与/和/跟 X 无关": X is negated.
_ZH_UNRELATED = re.compile(r"(?:与|和|跟|同)([^.;:!?。；：！？，]{1,40}?)(?:无关|没有关系|没关系)")


Span = tuple[int, int, str]  # start, end, the cue that opened it


def negated_spans(text: str) -> list[Span]:
    """Stretches of normalized ``text`` that a negation covers, as (start, end, cue)."""
    spans = []
    for cue in _CUE.finditer(text):
        if _NOT_ONLY.match(text, cue.start()):
            continue
        end = _CLAUSE_END.search(text, cue.end())
        if end and _CLAUSE_WORD.fullmatch(end.group()) and not text[cue.end():end.start()].strip():
            # "not because …", "不是因为 …": the word right after the cue is what is negated
            end = _CLAUSE_END.search(text, end.end())
        spans.append((cue.start(), end.start() if end else len(text), cue.group()))
    spans += [(m.start(), m.end(1), m.group()[0]) for m in _ZH_UNRELATED.finditer(text)]
    return spans


def _free(start: int, spans: list[Span], phrase: str) -> bool:
    # A cue at the very start of the match that the phrase itself begins with belongs
    # to the phrase ("not available at prediction time").
    return not any(a <= start < b and not (a == start and phrase.startswith(cue)) for a, b, cue in spans)


# -- matching ----------------------------------------------------------------
def _same_numbers(phrase: str, found: str) -> bool:
    # A number is never a typo: "2 experts" does not match "8 experts".
    return _DIGITS.findall(phrase) == _DIGITS.findall(found)


def _one_typo_starts(p: str, text: str):  # type: ignore[no-untyped-def]
    """Starts of stretches of ``text`` that are ``p`` with at most one typo (swapped, missing, extra or wrong character)."""
    from rapidfuzz.distance import DamerauLevenshtein

    for size in (len(p) - 1, len(p), len(p) + 1):
        for start in range(len(text) - size + 1):
            window = text[start:start + size]
            if DamerauLevenshtein.distance(p, window, score_cutoff=1) <= 1 and _same_numbers(p, window):
                yield start


def phrase_found(phrase: str, text: str, spans: list[Span] | None = None) -> bool:
    """Whether ``phrase`` occurs in normalized ``text`` outside the negated ``spans``."""
    from rapidfuzz import fuzz

    spans = spans or []
    p = normalize(phrase)
    if not p:
        return False
    at = text.find(p)
    while at >= 0:
        if _free(at, spans, p):
            return True
        at = text.find(p, at + 1)
    if len(p) < EXACT_BELOW:  # "bias" is one letter from "bins": short phrases must match exactly
        return False
    if len(p) < FUZZY_FROM:
        # A similarity score cannot tell a typo ("dropuot") from another word one
        # letter off ("raining" for "ranking"): allow exactly one edit, a swap included.
        return any(_free(s, spans, p) for s in _one_typo_starts(p, text))
    if len(text) < len(p):
        # partial_ratio would look for the shorter string, the answer, inside the
        # phrase: "a" would then "cover" every phrase with an a in it.
        return fuzz.ratio(p, text) >= FUZZY_MATCH and _same_numbers(p, text) and _free(0, spans, p)
    best = fuzz.partial_ratio_alignment(p, text, score_cutoff=FUZZY_MATCH)
    return (best is not None and _same_numbers(p, text[best.dest_start:best.dest_end])
            and _free(best.dest_start, spans, p))


_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-/().]*")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def word_count(text: str) -> int:
    """Words in normalized ``text``: Latin words, plus one per two Chinese characters."""
    han = len(_HAN.findall(text))
    return len(_LATIN_WORD.findall(text)) + (han + 1) // 2


def coverage(concepts: list[list[str]], text: str, *, negation: bool = True) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Indexes of the concepts (each a list of phrases) the answer covers, and of those it misses.

    ``negation=False`` finds phrases even inside a negation: for checking that a bank's
    model answer, which may discuss a counterfactual, uses the key phrases at all.
    """
    norm = normalize(text)
    if word_count(norm) < len(concepts):  # a bare list of keywords is not an answer
        return (), tuple(range(len(concepts)))
    spans = negated_spans(norm) if negation else []
    covered: list[int] = []
    missed: list[int] = []
    for i, phrases in enumerate(concepts):
        (covered if any(phrase_found(p, norm, spans) for p in phrases) else missed).append(i)
    return tuple(covered), tuple(missed)
