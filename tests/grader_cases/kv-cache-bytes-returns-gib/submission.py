# exercise: kv-cache-bytes
# Mistake: converts to GiB (a float) instead of returning exact bytes.


def kv_cache_bytes(batch, seq_len, n_layers, n_kv_heads, head_dim, bytes_per_elem=2):
    for v in (batch, seq_len, n_layers, n_kv_heads, head_dim, bytes_per_elem):
        if v < 1:
            raise ValueError("every argument must be >= 1")
    return 2 * batch * seq_len * n_layers * n_kv_heads * head_dim * bytes_per_elem / 2**30
