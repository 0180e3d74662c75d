# exercise: bpe-train
# Mistake: most_common(1) breaks ties by the pair counted first, not by the smallest pair.
from collections import Counter


def bpe_train(text, num_merges):
    if num_merges < 0:
        raise ValueError("num_merges must be >= 0")
    vocab = {tuple(word): count for word, count in Counter(text.split()).items()}
    merges = []
    for _ in range(num_merges):
        pairs = Counter()
        for word, count in vocab.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += count
        if not pairs:
            break
        best = pairs.most_common(1)[0][0]
        merges.append(best)
        new_vocab = {}
        for word, count in vocab.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            new_vocab[tuple(out)] = count
        vocab = new_vocab
    return merges
