"""Cases for `bpe-encode`: merges applied by rank (lowest first), every occurrence, until none applies."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _merge_all(symbols: list, pair: tuple) -> list:
    a, b = pair
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def _by_rank(word, merges):
    rank: dict = {}
    for i, pair in enumerate(merges):
        rank.setdefault(tuple(pair), i)
    symbols = list(word)
    while True:
        present = [p for p in zip(symbols, symbols[1:]) if p in rank]
        if not present:
            return symbols
        symbols = _merge_all(symbols, min(present, key=rank.__getitem__))


def _greedy_longest(word, merges):
    """WordPiece-style: at each position the longest symbol of the vocabulary (characters + merge results)."""
    vocab = set(word) | {a + b for a, b in merges}
    out, i = [], 0
    while i < len(word):
        j = max(j for j in range(i + 1, len(word) + 1) if word[i:j] in vocab or j == i + 1)
        out.append(word[i:j])
        i = j
    return out


def _one_pass(word, merges):
    symbols = list(word)
    for pair in merges:
        symbols = _merge_all(symbols, tuple(pair))
    return symbols


def _leftmost_pair(word, merges):
    """Merges the leftmost adjacent pair that is in the list, whatever its rank."""
    known = {tuple(p) for p in merges}
    symbols = list(word)
    while True:
        at = next((i for i, p in enumerate(zip(symbols, symbols[1:])) if p in known), None)
        if at is None:
            return symbols
        symbols = symbols[:at] + [symbols[at] + symbols[at + 1]] + symbols[at + 2:]


MISTAKES = (
    ("greedy longest match instead of merge rank: BPE does not pick the longest known symbol at each position"
     " (that is WordPiece); it applies the lowest-ranked merge present in the word, again and again", _greedy_longest),
    ("one pass over the merge list: a later merge can create a pair of an earlier (lower-ranked) merge;"
     " repeat 'apply the lowest-ranked merge present' until none applies", _one_pass),
    ("merges the leftmost known pair regardless of its rank: among the pairs present, the one earliest in the"
     " merge list must be merged first", _leftmost_pair),
)


def check_tokens(case: Case, got, expected) -> str | None:
    """Exact equality of the symbol lists; a wrong list is matched against the known mistakes."""
    if not isinstance(got, (list, tuple)) or not all(isinstance(s, str) for s in got):
        return f"expected a list of strings, got {type(got).__name__} {str(got)[:120]}"
    got = list(got)
    if got == list(expected):
        return None
    problem = f"expected {list(expected)!r}, got {got!r}"
    if "".join(got) != case.kwargs["word"]:
        problem += " (the symbols must concatenate back to the word)"
    labels = [label for label, variant in MISTAKES if variant(**case.kwargs) == got]
    if len(labels) > 1:
        return "this result fits more than one known mistake:\n" + "\n".join(f"- {label}" for label in labels) + f"\n{problem}"
    return f"{labels[0]}\n{problem}" if labels else problem


def _random_merges(rng, alphabet: str, n: int) -> list:
    """n merges over symbols built from the alphabet (each merge joins two known symbols)."""
    vocab, merges = list(alphabet), []
    for _ in range(n):
        a, b = (vocab[int(rng.integers(len(vocab)))] for _ in range(2))
        merges.append((a, b))
        vocab.append(a + b)
    return merges


# The first 10 merges bpe-train learns from low×5 lower×2 newest×6 widest×3.
LOW_MERGES = [("e", "s"), ("es", "t"), ("l", "o"), ("lo", "w"), ("e", "w"), ("ew", "est"), ("n", "ewest"),
              ("d", "est"), ("i", "dest"), ("w", "idest")]


def cases(seed: int) -> list[Case]:
    """Merge lists from training, rank versus longest match, repeated pairs, CJK, unknown symbols, random."""
    import numpy as np

    c = check_tokens
    out = [
        Case("lowest", {"word": "lowest", "merges": LOW_MERGES}, check=c,
             note="merges learnt from low/lower/newest/widest; 'lowest' was never seen: ['low', 'est']"),
        Case("newer", {"word": "newer", "merges": LOW_MERGES}, check=c, note="['n', 'ew', 'e', 'r']"),
        Case("rank-not-length", {"word": "abc", "merges": [("b", "c"), ("a", "b")]}, check=c,
             note="('b', 'c') ranks first: ['a', 'bc'], although 'ab' is a known symbol at position 0"),
        Case("rank-not-leftmost", {"word": "baba", "merges": [("b", "a"), ("ba", "ba"), ("ba", "b")]}, check=c,
             note="after ['ba', 'ba'], ('ba', 'ba') ranks before ('ba', 'b'): ['baba']"),
        Case("longest-symbol-never-built", {"word": "aaaa", "merges": [("a", "a"), ("a", "aa")]}, check=c,
             note="('a', 'a') pairs the four a's into ['aa', 'aa']; 'aaa' is a known symbol but BPE never builds it here"),
        Case("later-merge-enables-earlier", {"word": "xab", "merges": [("x", "ab"), ("a", "b")]}, check=c,
             note="('a', 'b') creates 'ab', then ('x', 'ab') — listed earlier — applies"),
        Case("repeated-pair", {"word": "aaaaa", "merges": [("a", "a"), ("aa", "a")]}, kind="edge", check=c,
             note="('a', 'a') everywhere left to right without overlap, then ('aa', 'a')"),
        Case("unknown-symbols", {"word": "lowq!", "merges": LOW_MERGES}, kind="edge", check=c,
             note="characters no merge mentions stay as they are"),
        Case("chinese", {"word": "机器学习", "merges": [("学", "习"), ("机", "器"), ("机器", "学习")]}, kind="edge",
             check=c, note="CJK characters are symbols like any other"),
        Case("mixed-script", {"word": "GPT模型", "merges": [("模", "型"), ("G", "P"), ("GP", "T"), ("T", "模")]},
             kind="edge", check=c),
        Case("duplicate-merge", {"word": "abab", "merges": [("a", "b"), ("ab", "ab"), ("a", "b")]}, kind="edge",
             check=c, note="a merge listed twice keeps its first rank"),
        Case("no-merges", {"word": "hello", "merges": []}, kind="edge", check=c, note="[] merges: the characters"),
        Case("single-character", {"word": "x", "merges": LOW_MERGES}, kind="edge", check=c),
        Case("empty-word", {"word": "", "merges": LOW_MERGES}, kind="edge", check=c, note="empty word: []"),
    ]
    rng = np.random.default_rng(seed)
    for i, alphabet in enumerate(("ab", "abc", "abcd", "学习模型")):
        merges = _random_merges(rng, alphabet, int(rng.integers(1, 12)))
        letters = list(alphabet)
        word = "".join(rng.choice(letters, size=int(rng.integers(1, 16))))
        out.append(Case(f"random-{i}", {"word": word, "merges": merges}, kind="random", seed=seed, check=c,
                        note=f"{len(merges)} random merges over {alphabet!r}, a word of {len(word)} characters"))
    return out


SPEC = ExerciseSpec(cases=cases)
