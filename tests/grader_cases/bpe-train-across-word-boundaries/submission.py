# exercise: bpe-train
# Mistake: the words are glued into one symbol sequence, so the last symbol of a word and the
# first of the next count as a pair.
from collections import Counter


def bpe_train(text, num_merges):
    if num_merges < 0:
        raise ValueError("num_merges must be >= 0")
    symbols = [ch for word in text.split() for ch in word]
    merges = []
    for _ in range(num_merges):
        pairs = Counter(zip(symbols, symbols[1:]))
        if not pairs:
            break
        top = max(pairs.values())
        best = min(p for p, c in pairs.items() if c == top)
        merges.append(best)
        out, i = [], 0
        while i < len(symbols):
            if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                out.append(symbols[i] + symbols[i + 1])
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return merges
