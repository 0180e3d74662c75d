"""Cases for `bpe-train`: pairs counted inside words only, weighted by frequency, ties to the smallest pair."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _merge(symbols: tuple, pair: tuple) -> tuple:
    a, b = pair
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def _train(text: str, num_merges: int, *, sequences=None, first_seen: bool = False, weighted: bool = True) -> list:
    """BPE training with knobs for the classic mistakes (defaults: the contract).

    ``sequences`` replaces the words by other symbol sequences (one occurrence each), e.g. the
    whole text as one sequence; ``first_seen`` breaks ties by the pair met first instead of the
    smallest; ``weighted=False`` counts each distinct word once.
    """
    from collections import Counter

    if sequences is None:
        counts = Counter(text.split())
        words = [(tuple(w), c if weighted else 1) for w, c in counts.items()]
    else:
        words = [(tuple(s), 1) for s in sequences]
    merges: list = []
    while len(merges) < num_merges:
        pairs: Counter = Counter()
        for symbols, count in words:
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += count
        if not pairs:
            break
        top = max(pairs.values())
        tied = [p for p, c in pairs.items() if c == top]  # in order of first occurrence
        best = tied[0] if first_seen else min(tied)
        merges.append(best)
        words = [(_merge(s, best), c) for s, c in words]
    return merges


def _across_words(text, num_merges):
    return _train(text, num_merges, sequences=["".join(text.split())])


def _across_spaces(text, num_merges):
    return _train(text, num_merges, sequences=[" ".join(text.split())])


MISTAKES = (
    ("pairs counted across word boundaries: the last symbol of one word and the first of the next are not"
     " a pair; count pairs inside each word only (text.split(), then each word's adjacent symbols)", _across_words),
    ("pairs counted across word boundaries: the text was treated as one sequence (spaces included); count"
     " pairs inside each word of text.split() only", _across_spaces),
    ("ties broken by first occurrence: among pairs with the same count the smallest pair in Python tuple"
     " order must win (min over the tied pairs), not the one met first (max(counts, key=counts.get) or"
     " Counter.most_common)", lambda text, num_merges: _train(text, num_merges, first_seen=True)),
    ("each distinct word counted once: a pair's count must be weighted by how often its word occurs",
     lambda text, num_merges: _train(text, num_merges, weighted=False)),
)


def _as_merges(got):
    """``got`` as a list of (str, str) tuples, or None when it is not a list of pairs of strings."""
    if not isinstance(got, (list, tuple)):
        return None
    out = []
    for item in got:
        if not isinstance(item, (list, tuple)) or len(item) != 2 or not all(isinstance(s, str) for s in item):
            return None
        out.append(tuple(item))
    return out


def _describe(got) -> str:
    if isinstance(got, (list, tuple)):
        bad = next((x for x in got if not (isinstance(x, (list, tuple)) and len(x) == 2
                                           and all(isinstance(s, str) for s in x))), None)
        return f"a {type(got).__name__} holding {bad!r}"[:160]
    return f"a {type(got).__name__}"


def difference(expected: list, got: list) -> str | None:
    """Where two merge lists first differ, in words (None when equal)."""
    for i, (e, g) in enumerate(zip(expected, got)):
        if e != g:
            agree = "" if i == 0 else " (merge 0 agrees)" if i == 1 else f" (merges 0–{i - 1} agree)"
            return f"merge {i}: expected {e!r}, got {g!r}{agree}"
    if len(got) != len(expected):
        return f"expected {len(expected)} merges, got {len(got)}" + (
            f"; the first {len(got)} agree" if len(got) < len(expected) else f"; extra merge {got[len(expected)]!r}")
    return None


def check_merges(case: Case, got, expected) -> str | None:
    """Exact equality of the merge lists; a wrong list is matched against the known mistakes."""
    merges = _as_merges(got)
    if merges is None:
        return f"expected a list of (str, str) tuples, got {_describe(got)}"
    problem = difference([tuple(p) for p in expected], merges)
    if problem is None:
        return None
    return _named(case, merges, problem, MISTAKES)


def _named(case: Case, got, problem: str, mistakes) -> str:
    """``problem`` under the label of the mistake that reproduces ``got`` (all of them, when several do)."""
    labels = list(dict.fromkeys(label for label, variant in mistakes if variant(**case.kwargs) == got))
    if not labels:
        return problem
    if len(labels) == 1:
        return f"{labels[0]}\n{problem}"
    return "this result fits more than one known mistake:\n" + "\n".join(f"- {label}" for label in labels) + f"\n{problem}"


def _words(rng, alphabet: str, n_words: int, max_len: int) -> str:
    letters = list(alphabet)
    words = ["".join(rng.choice(letters, size=int(rng.integers(1, max_len + 1)))) for _ in range(n_words)]
    return " ".join(words)


SENNRICH = ("low " * 5 + "lower " * 2 + "newest " * 6 + "widest " * 3).strip()


def cases(seed: int) -> list[Case]:
    """Sennrich's corpus, ties, word boundaries, frequencies, repeated symbols, CJK, limits, random."""
    import numpy as np

    c = check_merges
    out = [
        Case("sennrich-corpus", {"text": SENNRICH, "num_merges": 10}, check=c,
             note="low×5 lower×2 newest×6 widest×3 (Sennrich et al., 2016), 10 merges"),
        Case("ties-smallest-pair", {"text": "ba ba ab ab", "num_merges": 2}, check=c,
             note="('b', 'a') is met first, ('a', 'b') is smaller: the smaller wins"),
        Case("word-boundaries", {"text": "ab ab cd", "num_merges": 3}, check=c,
             note="no pair spans two words: ('b', 'a') and ('ab', 'ab') do not exist"),
        Case("boundary-pair-most-frequent", {"text": "xa bx ay bz", "num_merges": 2}, check=c,
             note="across words ('a', 'b') would be the most frequent pair; inside words every pair occurs once"),
        Case("word-frequency", {"text": "cd cd cd ab ab xy", "num_merges": 3}, check=c,
             note="a pair counts once per occurrence of its word: ('c', 'd') first"),
        Case("repeated-symbols", {"text": "aaaa aaa", "num_merges": 3}, kind="edge", check=c,
             note="every occurrence counts (('a', 'a') 5 times); merged left to right without overlap"),
        Case("chinese", {"text": "机器学习 机器学习 机器翻译 深度学习 学习率 机器人", "num_merges": 6}, kind="edge", check=c,
             note="Chinese words: the symbols are the characters"),
        Case("mixed-script", {"text": "GPT模型 GPT训练 模型训练 token化 token化 分词token", "num_merges": 8},
             kind="edge", check=c, note="Latin and Chinese in one word; ties compare code points"),
        Case("whitespace", {"text": "  ab\tab\n\nab  ba ", "num_merges": 2}, kind="edge", check=c,
             note="tabs, newlines and repeated spaces separate words (text.split())"),
        Case("zero-merges", {"text": SENNRICH, "num_merges": 0}, kind="edge", check=c, note="num_merges = 0: []"),
        Case("runs-out-of-pairs", {"text": "ab abc a b", "num_merges": 10}, kind="edge", check=c,
             note="every word becomes one symbol before 10 merges: stop early"),
        Case("single-characters", {"text": "a b c a", "num_merges": 3}, kind="edge", check=c,
             note="no word has two symbols: []"),
        Case("empty-text", {"text": "", "num_merges": 5}, kind="edge", check=c, note="no words: []"),
        Case("negative-merges", {"text": "ab ab", "num_merges": -1}, kind="edge", raises="ValueError",
             note="num_merges < 0"),
    ]
    rng = np.random.default_rng(seed)
    for i, alphabet in enumerate(("abcd", "abcdefgh", "学习模型训练数据", "ab中文xy")):
        text = _words(rng, alphabet, int(rng.integers(5, 40)), 7)
        n = int(rng.integers(1, 25))
        out.append(Case(f"random-{i}", {"text": text, "num_merges": n}, kind="random", seed=seed, check=c,
                        note=f"{len(text.split())} words over {alphabet!r}, {n} merges"))
    return out


SPEC = ExerciseSpec(cases=cases)
