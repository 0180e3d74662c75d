# exercise: bpe-encode
# Mistake: WordPiece-style greedy longest match over the vocabulary the merges build.
def bpe_encode(word, merges):
    vocab = set(word) | {a + b for a, b in merges}
    tokens, i = [], 0
    while i < len(word):
        for j in range(len(word), i, -1):
            if word[i:j] in vocab:
                tokens.append(word[i:j])
                i = j
                break
    return tokens
