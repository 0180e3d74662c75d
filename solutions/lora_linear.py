"""Reference: a linear layer with a low-rank (LoRA) update, in torch.nn.Linear's layout."""


def lora_linear(x, w, b, lora_a, lora_b, alpha):
    """x (N,in) -> (N,out): x@wᵀ + b + (alpha/r)·(x@lora_aᵀ)@lora_bᵀ, r = lora_a.shape[0]."""
    r = lora_a.shape[0]
    # Through the rank-r bottleneck: never form the (out, in) product lora_b @ lora_a.
    return x @ w.T + b + (alpha / r) * ((x @ lora_a.T) @ lora_b.T)
