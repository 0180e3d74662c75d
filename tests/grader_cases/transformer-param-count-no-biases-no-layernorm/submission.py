# exercise: transformer-param-count
# Mistake: counts only the weight matrices (12*d^2 per block), forgetting biases and LayerNorms.


def count_gpt_params(vocab_size, n_positions, d_model, n_layers, d_ff=None, tied_embeddings=True):
    d_ff = d_ff or 4 * d_model
    block = 4 * d_model * d_model + 2 * d_model * d_ff
    head = 0 if tied_embeddings else vocab_size * d_model
    return (vocab_size + n_positions) * d_model + n_layers * block + head
