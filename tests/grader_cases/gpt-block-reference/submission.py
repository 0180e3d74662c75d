# exercise: gpt-block
"""Reference: a pre-norm GPT-2 block (causal self-attention and a GELU MLP, each behind a LayerNorm)."""

import math

import torch
from torch import nn


class CausalSelfAttention(nn.Module):
    """Fused q, k, v projection, heads as contiguous chunks of D / n_heads, causal softmax, output projection."""

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model {d_model} is not divisible by n_heads {n_heads}")
        self.n_heads = n_heads
        self.c_attn = nn.Linear(d_model, 3 * d_model)
        self.c_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        h, dh = self.n_heads, d // self.n_heads
        q, k, v = (z.view(b, t, h, dh).transpose(1, 2) for z in self.c_attn(x).split(d, dim=2))
        scores = q @ k.transpose(-2, -1) / math.sqrt(dh)
        future = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)  # built per call: no buffer to save
        weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
        return self.c_proj((weights @ v).transpose(1, 2).reshape(b, t, d))


class MLP(nn.Module):
    def __init__(self, d_model: int):
        super().__init__()
        self.c_fc = nn.Linear(d_model, 4 * d_model)
        self.gelu = nn.GELU(approximate="tanh")
        self.c_proj = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    """x + attn(ln_1(x)), then x + mlp(ln_2(x)): the residual stream itself is never normalised."""

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model, eps=1e-5)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln_2 = nn.LayerNorm(d_model, eps=1e-5)
        self.mlp = MLP(d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))
