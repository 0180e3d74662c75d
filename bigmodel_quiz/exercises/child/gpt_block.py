"""Child side of gpt-block: build the submission's Block, load the layout's weights, forward and backward.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm

def layout(d: int) -> dict[str, tuple[int, ...]]:
    """The state_dict the statement fixes: names and shapes (nn.Linear weights are (out, in))."""
    return {
        "ln_1.weight": (d,), "ln_1.bias": (d,),
        "attn.c_attn.weight": (3 * d, d), "attn.c_attn.bias": (3 * d,),
        "attn.c_proj.weight": (d, d), "attn.c_proj.bias": (d,),
        "ln_2.weight": (d,), "ln_2.bias": (d,),
        "mlp.c_fc.weight": (4 * d, d), "mlp.c_fc.bias": (4 * d,),
        "mlp.c_proj.weight": (d, 4 * d), "mlp.c_proj.bias": (d,),
    }


def block_weights(seed: int, d: int) -> dict[str, Any]:
    """Float32 weights for the layout: LayerNorm gains near 1, Linear weights at 1/√fan_in, small biases."""
    import numpy as np

    gen = tm.rng(seed, 29)
    out = {}
    for name, shape in layout(d).items():
        if name.startswith("ln_") and name.endswith("weight"):
            w = 1.0 + 0.2 * gen.standard_normal(shape)
        elif name.endswith("bias"):
            w = 0.1 * gen.standard_normal(shape)
        else:
            w = gen.standard_normal(shape) / np.sqrt(shape[1])
        out[name] = w.astype(np.float32)
    return out


def batch(seed: int, b: int, t: int, d: int) -> tuple[Any, Any]:
    """The input x (B,T,D) and the upstream gradient of the output, float32."""
    import numpy as np

    gen = tm.rng(seed, 31)
    return gen.standard_normal((b, t, d)).astype(np.float32), gen.standard_normal((b, t, d)).astype(np.float32)


def prepare(device: str) -> None:
    """Before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Build, load the layout's weights strictly, forward, backward; return data only."""
    import torch

    d, h = kwargs["d_model"], kwargs["n_heads"]
    torch.manual_seed(0)
    block = entry(d, h)
    if not isinstance(block, torch.nn.Module):
        return {"problem": f"Block(d_model, n_heads) must build a torch.nn.Module, got {type(block).__name__}"}
    keys = {name: [int(s) for s in value.shape] for name, value in block.state_dict().items()}
    weights = block_weights(kwargs["data_seed"], d)
    if set(keys) != set(weights) or any(keys[k] != list(w.shape) for k, w in weights.items()):
        return {"state_dict": keys}
    block.load_state_dict({k: torch.from_numpy(w) for k, w in weights.items()}, strict=True)
    block = block.to(device)
    x_np, g_np = batch(kwargs["data_seed"], kwargs["batch"], kwargs["seq"], d)
    x = tm.tensor(x_np, device).requires_grad_(True)
    out = block(x)
    if not isinstance(out, torch.Tensor):
        return {"problem": f"forward must return a tensor, got {type(out).__name__}"}
    try:
        out_plain = tm.to_plain(out, device, "the output")
    except tm.WrongDevice as exc:
        return {"problem": str(exc)}
    if tuple(out.shape) != tuple(x.shape):
        return {"out": out_plain}
    (out * tm.tensor(g_np, device)).sum().backward()
    grads = {name: None if p.grad is None else p.grad.detach().cpu().numpy() for name, p in block.named_parameters()}
    x_grad = None if x.grad is None else x.grad.detach().cpu().numpy()
    return {"out": out_plain, "grads": grads, "x_grad": x_grad}
