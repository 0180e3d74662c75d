"""Reference: encoding a word with a learned merge list, lowest rank first."""


def bpe_encode(word, merges):
    """The word's symbols after applying the merges by rank until none applies."""
    rank = {}
    for i, pair in enumerate(merges):
        rank.setdefault(tuple(pair), i)  # a repeated merge keeps its earliest rank
    symbols = list(word)
    while len(symbols) > 1:
        present = [pair for pair in zip(symbols, symbols[1:]) if pair in rank]
        if not present:
            break
        a, b = min(present, key=rank.__getitem__)
        out, i = [], 0
        while i < len(symbols):  # every occurrence, left to right, without overlap
            if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                out.append(a + b)
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return symbols
