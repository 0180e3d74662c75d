"""Reference: mean softmax cross-entropy and its gradient with respect to the logits."""

import numpy as np


def softmax_cross_entropy(logits, labels):
    """logits (N,K), labels int (N,) -> (mean loss, d loss / d logits of shape (N,K))."""
    n = logits.shape[0]
    # Subtracting the row max changes nothing mathematically but keeps exp() from overflowing.
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_sum_exp
    rows = np.arange(n)
    loss = float(-log_probs[rows, labels].mean())

    grad = np.exp(log_probs)
    grad[rows, labels] -= 1.0
    grad /= n
    return loss, grad
