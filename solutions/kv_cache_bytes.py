"""Reference: memory of the key/value cache during autoregressive decoding."""


def kv_cache_bytes(
    batch: int,
    seq_len: int,
    n_layers: int,
    n_kv_heads: int,
    head_dim: int,
    bytes_per_elem: int = 2,
) -> int:
    """Bytes held by the keys and values of every layer for `batch` sequences of `seq_len` tokens."""
    args = {
        "batch": batch,
        "seq_len": seq_len,
        "n_layers": n_layers,
        "n_kv_heads": n_kv_heads,
        "head_dim": head_dim,
        "bytes_per_elem": bytes_per_elem,
    }
    for name, value in args.items():
        if value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")
    # 2: one tensor of keys and one of values per layer.
    return 2 * batch * seq_len * n_layers * n_kv_heads * head_dim * bytes_per_elem
