"""Reference: decode attention over a key/value cache stored in fixed-size blocks (PagedAttention)."""

import numpy as np


def paged_attention(q, k_pool, v_pool, block_table, seq_len):
    """q (H,D); k_pool, v_pool (num_blocks, block_size, H, D); the sequence's blocks in block_table order."""
    block_size, _, d = k_pool.shape[1:]
    if seq_len < 1 or seq_len > len(block_table) * block_size:
        raise ValueError(f"seq_len must be in 1..{len(block_table) * block_size} for {len(block_table)} blocks of {block_size}, got {seq_len}")
    used = np.asarray(block_table[: -(-seq_len // block_size)], dtype=np.int64)  # ceil(seq_len / block_size) blocks
    # Gather the blocks in table order, flatten to positions, and cut the unfilled tail of the last one.
    k = k_pool[used].reshape(-1, *k_pool.shape[2:])[:seq_len]
    v = v_pool[used].reshape(-1, *v_pool.shape[2:])[:seq_len]
    scores = np.einsum("hd,thd->ht", q, k) / np.sqrt(d)
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return np.einsum("ht,thd->hd", weights, v)
