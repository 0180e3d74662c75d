"""The tokenization bank's generators, each checked against an independent computation.

The embedding share is checked against modules built with torch (shapes only, on the meta
device), the BPE vocabulary size against a small BPE trainer run on a toy corpus, the context
capacity against a fixed-rate tokenizer that fills a window token by token.
"""

from __future__ import annotations

import collections
from fractions import Fraction

import pytest

from generator_helpers import sample_tests

from bigmodel_quiz.bank import generators
from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

try:
    import torch
except ImportError:  # pragma: no cover - exercised only without torch
    torch = None

NO_TORCH = "PyTorch is not installed: this check compares against torch modules"

SAMPLE = {
    "embedding_share_pct": dict(vocab_size=32000, d_model=4096, n_layers=32, tied=0),
    "bpe_vocab_size": dict(base_symbols=256, merges=50000, special_tokens=1),
    "context_chars": dict(context_tokens=8192, chars_per_token_en=4, premium=2.5),
}

test_every_tokenization_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_tokenization", SAMPLE)


def value(name: str, **kwargs: object) -> float:
    gen = generators.get(name)
    assert gen is not None, name
    return gen(**kwargs)[0]


# --- Embedding share against torch modules ----------------------------------------


def _decoder(vocab: int, d: int, n_layers: int, tied: bool):
    nn = torch.nn
    meta = {"device": "meta", "bias": False}

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.qkv = nn.Linear(d, 3 * d, **meta)
            self.out = nn.Linear(d, d, **meta)
            self.up = nn.Linear(d, 4 * d, **meta)
            self.down = nn.Linear(4 * d, d, **meta)

    class Decoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wte = nn.Embedding(vocab, d, device="meta")
            self.blocks = nn.ModuleList(Block() for _ in range(n_layers))
            self.lm_head = nn.Linear(d, vocab, **meta)
            if tied:
                self.lm_head.weight = self.wte.weight  # parameters() yields a shared tensor once

    return Decoder()


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize("vocab,d,layers", [(32000, 4096, 32), (128256, 4096, 32), (50257, 768, 12),
                                            (256000, 2048, 18), (151936, 896, 24)])
@pytest.mark.parametrize("tied", [0, 1])
def test_embedding_share_matches_torch_numel(vocab: int, d: int, layers: int, tied: int) -> None:
    model = _decoder(vocab, d, layers, bool(tied))
    total = sum(p.numel() for p in model.parameters())
    blocks = sum(p.numel() for p in model.blocks.parameters())
    share = 100 * (total - blocks) / total
    answer, extra = generators.get("embedding_share_pct")(vocab_size=vocab, d_model=d, n_layers=layers, tied=tied)
    assert answer == pytest.approx(share, rel=1e-12)
    assert extra["total_params"] == total and extra["block_params"] == blocks


def test_embedding_share_rejects_a_non_boolean_tie() -> None:
    with pytest.raises(ValueError):
        value("embedding_share_pct", vocab_size=100, d_model=8, n_layers=1, tied=2)


# --- BPE vocabulary against a small trainer ----------------------------------------


def _train_bpe(words: dict[str, int], merges: int) -> set[str]:
    """Sennrich et al.'s loop: count adjacent pairs (weighted by word frequency), merge the most frequent."""
    corpus = {tuple(w): f for w, f in words.items()}
    vocab = {ch for w in corpus for ch in w}
    for _ in range(merges):
        pairs: collections.Counter = collections.Counter()
        for symbols, freq in corpus.items():
            for a, b in zip(symbols, symbols[1:]):
                pairs[a, b] += freq
        if not pairs:
            raise AssertionError("corpus ran out of pairs to merge")
        (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        merged = {}
        for symbols, freq in corpus.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + freq
        corpus = merged
        vocab.add(a + b)
    return vocab


@pytest.mark.parametrize("merges", [0, 1, 5, 12, 20])
def test_bpe_vocab_grows_by_one_symbol_per_merge(merges: int) -> None:
    words = {"low_": 5, "lower_": 2, "newest_": 6, "widest_": 3, "tokenization_": 4, "tokenizer_": 3}
    base = len({ch for w in words for ch in w})
    vocab = _train_bpe(words, merges)
    assert len(vocab) == value("bpe_vocab_size", base_symbols=base, merges=merges, special_tokens=0)
    assert value("bpe_vocab_size", base_symbols=base, merges=merges, special_tokens=3) == len(vocab) + 3


def test_gpt2_vocabulary_is_bytes_plus_merges_plus_end_of_text() -> None:
    assert value("bpe_vocab_size", base_symbols=256, merges=50000, special_tokens=1) == 50257


# --- Context capacity against a window filled token by token -----------------------------


@pytest.mark.parametrize("window,cpt,premium", [(4096, 4, 2), (8192, 3, 3), (128, 4, 1), (1000, 5, 4)])
def test_context_chars_matches_a_fixed_rate_tokenizer(window: int, cpt: int, premium: int) -> None:
    # English text is cut into pieces of cpt characters; the other language spends `premium`
    # tokens on the content of each English piece. Fill the window one piece at a time.
    used, content_chars = 0, 0
    while used + premium <= window:
        used += premium
        content_chars += cpt
    exact = Fraction(window * cpt, premium)
    assert abs(content_chars - exact) < cpt  # whole pieces only
    assert value("context_chars", context_tokens=window, chars_per_token_en=cpt, premium=premium) \
        == pytest.approx(float(exact))


# --- The shipped templates ----------------------------------------------------------


def test_tokenization_templates_use_these_generators_and_instantiate() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    mine = [t for t in bank.templates if t.topic == "tokenization"]
    assert len(mine) >= 2
    assert {t.generator for t in mine} <= set(SAMPLE)
    for t in mine:
        gen = generators.get(t.generator)
        assert {p.name for p in t.params} == set(gen.params), t.id
        for seed in range(10):
            assert instantiate(t, seed).answer > 0, (t.id, seed)
