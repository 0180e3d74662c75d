# exercise: kv-cache-bytes
# Mistake: no argument check, so a batch of 0 silently gives 0 bytes.


def kv_cache_bytes(batch, seq_len, n_layers, n_kv_heads, head_dim, bytes_per_elem=2):
    return 2 * batch * seq_len * n_layers * n_kv_heads * head_dim * bytes_per_elem
