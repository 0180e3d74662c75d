"""Reference solution of sequence-classifier."""

import torch
from torch import nn


class SequenceClassifier(nn.Module):
    """Embedding → one batch-first LSTM layer → Linear on the last hidden state."""

    def __init__(self, vocab_size: int, embed_dim: int, hidden_dim: int, num_classes: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Logits (N, num_classes) for a LongTensor of token ids (N, T)."""
        _, (h_n, _) = self.lstm(self.embed(tokens))  # h_n: (num_layers=1, N, hidden)
        return self.head(h_n[-1])
