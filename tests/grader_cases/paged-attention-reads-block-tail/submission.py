# exercise: paged-attention
import numpy as np


def paged_attention(q, k_pool, v_pool, block_table, seq_len):
    bs, h, d = k_pool.shape[1:]
    if seq_len < 1 or seq_len > len(block_table) * bs:
        raise ValueError("seq_len out of range")
    blocks = block_table[: (seq_len + bs - 1) // bs]
    k = k_pool[blocks].reshape(-1, h, d)  # every slot of the last block, filled or not
    v = v_pool[blocks].reshape(-1, h, d)
    s = np.einsum("hd,thd->ht", q, k) / np.sqrt(d)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    return np.einsum("ht,thd->hd", w, v)
