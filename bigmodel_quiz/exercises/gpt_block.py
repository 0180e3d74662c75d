"""gpt-block: a pre-norm GPT-2 block, graded on its state_dict layout, its output and its gradients.

The child builds the submission's ``Block(d_model, n_heads)``, loads a state_dict of the
reference layout strictly (weights from a seeded NumPy generator), runs a batch forward
and backward against a fixed upstream gradient, and sends back the output and every
gradient. The parent recomputes all of it in float64 with the NumPy twin below (forward
and backward by hand, no torch) and names the classic slips (post-norm, no causal mask,
exact GELU, unscaled scores) by recomputing them.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child.gpt_block import layout, block_weights, batch
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-4, 1e-5  # float32 on the device against a float64 twin
EPS = 1e-5


def cases(seed: int) -> list[Case]:
    """Several widths and head counts, one head, head size 2, T = 1, a longer sequence, a random shape."""
    import random

    r = random.Random(seed)
    d_rand = r.choice([16, 24, 32, 48])
    spec = [
        ("d32-h4", "deterministic", 32, 4, 2, 6),
        ("d16-h1-one-head", "edge", 16, 1, 2, 5),
        ("d16-h8-head-size-2", "edge", 16, 8, 1, 7),
        ("T-1", "edge", 24, 3, 3, 1),
        ("T-16", "deterministic", 32, 2, 1, 16),
        ("random", "random", d_rand, r.choice([h for h in (1, 2, 4, 8) if d_rand % h == 0]), r.randint(1, 3), r.randint(2, 10)),
    ]
    return [
        Case(name, {"d_model": d, "n_heads": h, "batch": b, "seq": t, "data_seed": seed if kind == "random" else i + 1},
             kind=kind, seed=seed if kind == "random" else None, check=check_block,
             note=f"Block({d}, {h}) on x of shape ({b}, {t}, {d}); output and gradients")
        for i, (name, kind, d, h, b, t) in enumerate(spec)
    ]


# ----------------------------------------------------------------------------- grader side: the NumPy twin


def _ln(x: Any, g: Any, b: Any) -> tuple[Any, tuple[Any, Any, Any]]:
    import numpy as np

    mu = x.mean(-1, keepdims=True)
    inv = 1.0 / np.sqrt(((x - mu) ** 2).mean(-1, keepdims=True) + EPS)
    xhat = (x - mu) * inv
    return xhat * g + b, (xhat, inv, g)


def _ln_back(dy: Any, cache: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    xhat, inv, g = cache
    dxhat = dy * g
    dx = inv * (dxhat - dxhat.mean(-1, keepdims=True) - xhat * (dxhat * xhat).mean(-1, keepdims=True))
    return dx, (dy * xhat).sum((0, 1)), dy.sum((0, 1))


_C = (2.0 / 3.141592653589793) ** 0.5


def _gelu(z: Any, kind: str) -> Any:
    import math

    import numpy as np

    if kind == "exact":
        return 0.5 * z * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))
    if kind == "relu":
        return np.maximum(z, 0.0)
    return 0.5 * z * (1.0 + np.tanh(_C * (z + 0.044715 * z**3)))


def _gelu_grad(z: Any) -> Any:
    import numpy as np

    t = np.tanh(_C * (z + 0.044715 * z**3))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * _C * (1.0 + 3 * 0.044715 * z**2)


def _attn(p: dict[str, Any], a: Any, h: int, *, causal: bool = True, scale: bool = True) -> tuple[Any, dict[str, Any]]:
    import numpy as np

    b, t, d = a.shape
    dh = d // h
    qkv = a @ p["attn.c_attn.weight"].T + p["attn.c_attn.bias"]
    q, k, v = (z.reshape(b, t, h, dh).transpose(0, 2, 1, 3) for z in np.split(qkv, 3, axis=-1))
    div = np.sqrt(dh) if scale else 1.0
    s = q @ k.transpose(0, 1, 3, 2) / div
    if causal:
        s = np.where(np.triu(np.ones((t, t), bool), 1), -np.inf, s)
    s = s - s.max(-1, keepdims=True)
    w = np.exp(s)
    w /= w.sum(-1, keepdims=True)
    o = (w @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
    return o @ p["attn.c_proj.weight"].T + p["attn.c_proj.bias"], {"a": a, "q": q, "k": k, "v": v, "w": w, "o": o, "div": div}


def _mlp(p: dict[str, Any], a: Any, gelu: str = "tanh") -> tuple[Any, dict[str, Any]]:
    z = a @ p["mlp.c_fc.weight"].T + p["mlp.c_fc.bias"]
    act = _gelu(z, gelu)
    return act @ p["mlp.c_proj.weight"].T + p["mlp.c_proj.bias"], {"a": a, "z": z, "act": act}


def block_np(params: dict[str, Any], x: Any, n_heads: int, *, post_norm: bool = False, causal: bool = True,
             gelu: str = "tanh", scale: bool = True) -> Any:
    """The block's output in float64 (or a slip's: post-norm, no mask, another activation, no 1/√d)."""
    import numpy as np

    p = {k: np.asarray(v, np.float64) for k, v in params.items()}
    x = np.asarray(x, np.float64)
    if post_norm:
        x = _ln(x + _attn(p, x, n_heads, causal=causal, scale=scale)[0], p["ln_1.weight"], p["ln_1.bias"])[0]
        return _ln(x + _mlp(p, x, gelu)[0], p["ln_2.weight"], p["ln_2.bias"])[0]
    x = x + _attn(p, _ln(x, p["ln_1.weight"], p["ln_1.bias"])[0], n_heads, causal=causal, scale=scale)[0]
    return x + _mlp(p, _ln(x, p["ln_2.weight"], p["ln_2.bias"])[0], gelu)[0]


def block_grads_np(params: dict[str, Any], x: Any, grad_out: Any, n_heads: int) -> tuple[Any, dict[str, Any], Any]:
    """(output, parameter gradients by state_dict name, input gradient) of sum(output · grad_out), float64."""
    import numpy as np

    p = {k: np.asarray(v, np.float64) for k, v in params.items()}
    x = np.asarray(x, np.float64)
    g_out = np.asarray(grad_out, np.float64)
    b, t, d = x.shape
    h, dh = n_heads, d // n_heads
    a1, ln1 = _ln(x, p["ln_1.weight"], p["ln_1.bias"])
    y_attn, ac = _attn(p, a1, h)
    x1 = x + y_attn
    a2, ln2 = _ln(x1, p["ln_2.weight"], p["ln_2.bias"])
    y_mlp, mc = _mlp(p, a2)
    out = x1 + y_mlp

    def flat(z: Any) -> Any:
        return z.reshape(-1, z.shape[-1])

    grads: dict[str, Any] = {}
    # MLP
    grads["mlp.c_proj.weight"] = flat(g_out).T @ flat(mc["act"])
    grads["mlp.c_proj.bias"] = g_out.sum((0, 1))
    dz = (g_out @ p["mlp.c_proj.weight"]) * _gelu_grad(mc["z"])
    grads["mlp.c_fc.weight"] = flat(dz).T @ flat(a2)
    grads["mlp.c_fc.bias"] = dz.sum((0, 1))
    dx1_ln, grads["ln_2.weight"], grads["ln_2.bias"] = _ln_back(dz @ p["mlp.c_fc.weight"], ln2)
    dx1 = g_out + dx1_ln
    # attention
    grads["attn.c_proj.weight"] = flat(dx1).T @ flat(ac["o"])
    grads["attn.c_proj.bias"] = dx1.sum((0, 1))
    do = (dx1 @ p["attn.c_proj.weight"]).reshape(b, t, h, dh).transpose(0, 2, 1, 3)
    w, q, k, v = ac["w"], ac["q"], ac["k"], ac["v"]
    dw = do @ v.transpose(0, 1, 3, 2)
    dv = w.transpose(0, 1, 3, 2) @ do
    ds = w * (dw - (dw * w).sum(-1, keepdims=True)) / ac["div"]
    dq, dk = ds @ k, ds.transpose(0, 1, 3, 2) @ q
    dqkv = np.concatenate([z.transpose(0, 2, 1, 3).reshape(b, t, d) for z in (dq, dk, dv)], axis=-1)
    grads["attn.c_attn.weight"] = flat(dqkv).T @ flat(a1)
    grads["attn.c_attn.bias"] = dqkv.sum((0, 1))
    dx_ln, grads["ln_1.weight"], grads["ln_1.bias"] = _ln_back(dqkv @ p["attn.c_attn.weight"], ln1)
    return out, grads, dx1 + dx_ln


SLIPS: list[tuple[dict[str, Any], str]] = [
    ({"post_norm": True},
     "the block is post-norm (x = ln(x + sublayer(x))): GPT-2 is pre-norm, x = x + attn(ln_1(x)) then "
     "x = x + mlp(ln_2(x)); the residual stream itself is never normalised inside the block"),
    ({"causal": False},
     "the attention is not causal: position i also attends to later positions; set the scores for j > i to "
     "-inf before the softmax"),
    ({"gelu": "exact"}, "the MLP uses the exact (erf) GELU: GPT-2 uses the tanh approximation, nn.GELU(approximate='tanh')"),
    ({"gelu": "relu"}, "the MLP uses ReLU: GPT-2 uses GELU with the tanh approximation"),
    ({"scale": False}, "the attention scores are not scaled: divide q·kᵀ by √(d_model / n_heads), the head size"),
    ({"post_norm": True, "causal": False}, "the block is post-norm and its attention is not causal"),
]


def _close(a: Any, b: Any) -> bool:
    import numpy as np

    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _first_wrong(what: str, want: Any, got: Any) -> str:
    import numpy as np

    bad = ~np.isclose(got, want, rtol=RTOL, atol=ATOL)
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    return (f"{what} wrong at {list(idx)}: expected {want[idx]:.6g}, got {got[idx]:.6g} "
            f"({int(bad.sum())} of {bad.size} values wrong)")


def _layout_problem(keys: dict[str, list[int]], d: int) -> str:
    want = layout(d)
    missing = [k for k in want if k not in keys]
    extra = [k for k in keys if k not in want]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unexpected {', '.join(extra)}")
    wrong = [f"{k} is {tuple(keys[k])}, expected {want[k]}" for k in want if k in keys and tuple(keys[k]) != want[k]]
    parts += wrong
    msg = "the state_dict does not have the layout's names and shapes (loaded with strict=True): " + "; ".join(parts)
    if any(k.startswith("attn.") and k.endswith((".bias", "mask")) and k not in want for k in extra):
        msg += ("; a causal-mask buffer must not be saved: register it with persistent=False, or build the mask "
                "in forward")
    if any("in_proj" in k for k in extra):
        msg += "; nn.MultiheadAttention has its own names: write attn.c_attn (D→3D) and attn.c_proj (D→D) as Linears"
    if any(k.startswith("attn.c_attn") for k in missing) and any(k.startswith("attn.") for k in extra):
        msg += "; q, k and v come from one fused Linear, attn.c_attn, with 3·d_model outputs in that order"
    return msg


def check_block(case: Case, got: Any, expected: Any) -> str | None:
    """Layout, then output (a slip named), then every gradient and the input's."""
    import numpy as np

    if not isinstance(got, dict):
        return f"the case driver returned {type(got).__name__}"
    if got.get("problem"):
        return str(got["problem"])
    kw = case.kwargs
    d, h = kw["d_model"], kw["n_heads"]
    if "state_dict" in got and "out" not in got:
        return _layout_problem(got["state_dict"], d)
    params = block_weights(kw["data_seed"], d)
    x, g = batch(kw["data_seed"], kw["batch"], kw["seq"], d)
    want_out, want_grads, want_dx = block_grads_np(params, x, g, h)
    out = np.asarray(got["out"], dtype=np.float64)
    if out.shape != want_out.shape:
        return f"the output has shape {out.shape}, expected {want_out.shape} (the input's shape)"
    if not _close(want_out, out):
        msg = _first_wrong("the output", want_out, out)
        for flags, why in SLIPS:
            variant = block_np(params, x, h, **flags)
            if not _close(want_out, variant) and _close(variant, out):
                return f"{msg}: {why}"
        return msg
    grads = got.get("grads") or {}
    for name, want in want_grads.items():
        have = grads.get(name)
        if have is None:
            return f"{name} has no gradient after backward(): is it used in forward, and not detached?"
        have = np.asarray(have, dtype=np.float64)
        if not _close(want, have):
            return _first_wrong(f"the gradient of {name}", want, have) + " (the output is right: check detach/no_grad and in-place edits)"
    if got.get("x_grad") is None or not _close(want_dx, np.asarray(got["x_grad"], dtype=np.float64)):
        return "the gradient with respect to the input x is wrong: the residual connections must carry it through"
    return None


SPEC = ExerciseSpec(cases=cases, timeout=60, child="gpt_block")
