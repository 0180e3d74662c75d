"""Reference: parameters of a GPT-2 style decoder-only transformer."""


def count_gpt_params(
    vocab_size: int,
    n_positions: int,
    d_model: int,
    n_layers: int,
    d_ff: int | None = None,
    tied_embeddings: bool = True,
) -> int:
    """Count the parameters of the GPT-2 layout (biases everywhere except the LM head)."""
    if d_ff is None:
        d_ff = 4 * d_model
    embeddings = vocab_size * d_model + n_positions * d_model
    layer_norm = 2 * d_model  # weight and bias
    attention = (d_model * 3 * d_model + 3 * d_model) + (d_model * d_model + d_model)
    mlp = (d_model * d_ff + d_ff) + (d_ff * d_model + d_model)
    block = 2 * layer_norm + attention + mlp
    lm_head = 0 if tied_embeddings else vocab_size * d_model
    return embeddings + n_layers * block + layer_norm + lm_head
