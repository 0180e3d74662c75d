"""Reference: byte-pair-encoding training on whitespace-separated words (no end-of-word marker)."""

from collections import Counter


def _merge(symbols, pair):
    """Every non-overlapping occurrence of ``pair`` in ``symbols`` merged, left to right."""
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


def bpe_train(text, num_merges):
    """The first ``num_merges`` merges, most frequent pair first (ties: the smallest pair)."""
    if num_merges < 0:
        raise ValueError(f"num_merges must be >= 0, got {num_merges}")
    # One entry per distinct word with its frequency; pairs never cross a word boundary.
    words = [(tuple(word), count) for word, count in Counter(text.split()).items()]
    merges = []
    while len(merges) < num_merges:
        pairs = Counter()
        for symbols, count in words:
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += count
        if not pairs:
            break
        top = max(pairs.values())
        best = min(pair for pair, count in pairs.items() if count == top)  # ties: smallest tuple
        merges.append(best)
        words = [(_merge(symbols, best), count) for symbols, count in words]
    return merges
