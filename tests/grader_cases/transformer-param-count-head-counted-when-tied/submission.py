# exercise: transformer-param-count
# Mistake: counts the LM head as its own matrix even when it is tied to the token embedding.


def count_gpt_params(vocab_size, n_positions, d_model, n_layers, d_ff=None, tied_embeddings=True):
    d_ff = d_ff or 4 * d_model
    block = 4 * d_model + (3 * d_model * d_model + 3 * d_model) + (d_model * d_model + d_model)
    block += (d_model * d_ff + d_ff) + (d_ff * d_model + d_model)
    return vocab_size * d_model + n_positions * d_model + n_layers * block + 2 * d_model + vocab_size * d_model
