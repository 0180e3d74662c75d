"""Answer generators of the tokenization bank's parametric templates (registered on import)."""

from __future__ import annotations

from bigmodel_quiz.bank.generators import POS, generator


@generator("embedding_share_pct", extras=("embedding_params", "block_params", "total_params", "tables"),
           vocab_size=POS, d_model=POS, n_layers=POS, tied=(0, 1))
def embedding_share_pct(vocab_size: int, d_model: int, n_layers: int, tied: int) -> tuple[float, dict]:
    """Share of all weights held by the token embedding (and an untied LM head), in percent.

    Embedding tables: V·d each, one when the LM head is tied to the input embedding, two when not.
    Transformer blocks: 12·d² per layer (Q, K, V, O projections 4d² and an MLP of width 4d, 8d²);
    biases, norms and position embeddings are left out.
    """
    if tied not in (0, 1):
        raise ValueError(f"tied must be 0 or 1, not {tied}")
    tables = 1 if tied else 2
    emb = tables * vocab_size * d_model
    blocks = 12 * n_layers * d_model * d_model
    total = emb + blocks
    return 100.0 * emb / total, {"embedding_params": emb, "block_params": blocks, "total_params": total,
                                 "tables": tables}


@generator("bpe_vocab_size", extras=("learned",), base_symbols=POS, merges=(0, None), special_tokens=(0, None))
def bpe_vocab_size(base_symbols: int, merges: int, special_tokens: int) -> tuple[int, dict]:
    """BPE vocabulary: the initial symbols plus one new symbol per merge (Sennrich et al. 2016, §3.2), plus specials."""
    return base_symbols + merges + special_tokens, {"learned": merges}


@generator("context_chars", extras=("chars_en", "loss_pct"),
           context_tokens=POS, chars_per_token_en=(0, None), premium=(0, None))
def context_chars(context_tokens: int, chars_per_token_en: float, premium: float) -> tuple[float, dict]:
    """Characters of English-equivalent content a context window holds for a language whose text needs
    ``premium`` times as many tokens as its English translation.

    English: tokens × chars/token characters; the other language fits 1/premium of that content.
    """
    chars_en = context_tokens * chars_per_token_en
    content = chars_en / premium
    return content, {"chars_en": chars_en, "loss_pct": 100.0 * (1 - 1 / premium)}
