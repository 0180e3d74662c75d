"""Cases for `rope`: interleaved pairs rotated by pos·base^(−2i/D), and the relative-position property."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker, mismatch
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _rope(x, positions, base=10000.0, *, exponent=lambda i, d: -2.0 * i / d, half_split=False, sign=1.0,
          own_positions=False):
    """RoPE with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    t, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError("odd D")
    pos = np.arange(t) if own_positions else np.asarray(positions)
    inv_freq = float(base) ** exponent(np.arange(d // 2), d)
    theta = pos[:, None].astype(np.float64) * inv_freq[None, :]  # (T, D/2)
    cos, sin = np.cos(theta), sign * np.sin(theta)
    a, b = (x[..., : d // 2], x[..., d // 2:]) if half_split else (x[..., 0::2], x[..., 1::2])
    ra, rb = a * cos - b * sin, a * sin + b * cos
    if half_split:
        return np.concatenate([ra, rb], axis=-1)
    out = np.empty(x.shape, dtype=np.float64)
    out[..., 0::2], out[..., 1::2] = ra, rb
    return out


def _variant(**knobs):
    def run(x, positions, base=10000.0):
        return _rope(x, positions, base, **knobs)

    return run


def _positions_ignored(x, positions, base=10000.0):
    import numpy as np

    return None if np.array_equal(positions, np.arange(len(positions))) else _rope(x, positions, base, own_positions=True)


MISTAKES = (
    ("half-split pairs: rotating (x[i], x[i + D/2]) as in GPT-NeoX's rotate_half, instead of the interleaved"
     " pairs (x[2i], x[2i+1]) this exercise (and the RoFormer paper) uses", _variant(half_split=True)),
    ("wrong frequency exponent: θ = pos·base^(−i/D) (the factor 2 is missing); it must be pos·base^(−2i/D)"
     " for pair i", _variant(exponent=lambda i, d: -1.0 * i / d)),
    ("wrong frequency exponent: θ = pos·base^(−4i/D) (the dimension index 2i was doubled again); it must be"
     " pos·base^(−2i/D) for pair i", _variant(exponent=lambda i, d: -4.0 * i / d)),
    ("wrong frequency exponent: θ = pos·base^(−2i/(D−2)), so the last pair gets base^(−1); it must be"
     " pos·base^(−2i/D)", _variant(exponent=lambda i, d: -2.0 * i / max(d - 2, 1))),
    ("rotation is clockwise: (a, b) → (a·cos θ + b·sin θ, −a·sin θ + b·cos θ); it must be counter-clockwise",
     _variant(sign=-1.0)),
    ("the positions argument is ignored (0 … T−1 used instead)", _positions_ignored),
)
_COMPARE = checker(MISTAKES)


def check_rope(case: Case, got, expected) -> str | None:
    """Values (naming the mistake they match), with the relative-position property checked first on property cases."""
    import numpy as np

    if case.name.startswith("relative-position") and mismatch(expected, got, 1e-7, 1e-9) is not None:
        arr = np.asarray(got, dtype=np.float64) if np.shape(got) == np.shape(expected) else None
        if arr is not None and np.isfinite(arr).all():
            gram = arr[0] @ arr[1].T  # <rope(q, m_i), rope(k, n_j)>; the positions are evenly spaced
            diff = np.abs(gram[1:, 1:] - gram[:-1, :-1])
            if diff.max() > 1e-9 * max(1.0, np.abs(gram).max()):
                i, j = (int(v) for v in np.unravel_index(diff.argmax(), diff.shape))
                pos = case.kwargs["positions"]
                return (
                    "relative-position property violated: ⟨rope(q, m), rope(k, n)⟩ must depend only on m − n, but"
                    f" (m, n) = ({pos[i]}, {pos[j]}) gives {gram[i, j]:.8g} and ({pos[i + 1]}, {pos[j + 1]}) gives"
                    f" {gram[i + 1, j + 1]:.8g}; each pair must be rotated by an angle proportional to the position"
                )
    return _COMPARE(case, got, expected)


def _relative(rng, t: int, d: int, start: int, step: int, base: float = 10000.0) -> dict:
    import numpy as np

    q, k = rng.normal(size=d), rng.normal(size=d)
    return {"x": np.stack([np.tile(q, (t, 1)), np.tile(k, (t, 1))]), "positions": start + step * np.arange(t),
            "base": base}


def cases(seed: int) -> list[Case]:
    """Batched shapes, one pair, position 0, far positions, other bases, the relative-position property."""
    import numpy as np

    fixed = np.random.default_rng(313)
    c = check_rope
    out = [
        Case("basic", {"x": fixed.normal(size=(4, 8)), "positions": np.arange(4)}, check=c, note="T=4, D=8"),
        Case("batched-heads", {"x": fixed.normal(size=(2, 3, 5, 16)), "positions": np.arange(5)}, check=c,
             note="x (B, H, T, D): rotate over the last two axes only"),
        Case("relative-position", _relative(fixed, 6, 8, 3, 5), check=c,
             note="x[0] is one vector q and x[1] one vector k at every position: q·k after RoPE depends on m − n only"),
        Case("one-pair", {"x": fixed.normal(size=(3, 2)), "positions": np.array([0, 1, 7])}, kind="edge", check=c,
             note="D = 2: one pair, θ = pos"),
        Case("position-zero", {"x": fixed.normal(size=(1, 6)), "positions": np.array([0])}, kind="edge", check=c,
             note="position 0: the identity"),
        Case("far-unordered-positions", {"x": fixed.normal(size=(4, 8)), "positions": np.array([4096, 7, 100000, 31])},
             kind="edge", check=c, note="positions need not be 0..T-1 (e.g. a decode step, or packed sequences)"),
        Case("base-500000", {"x": fixed.normal(size=(5, 12)), "positions": np.arange(5) + 20, "base": 500000.0},
             kind="edge", check=c, note="LLaMA 3's base"),
        Case("relative-position-far", _relative(fixed, 5, 16, 1000, 37, base=500.0), kind="edge", check=c,
             note="the property at far positions and a small base"),
        Case("odd-dimension", {"x": fixed.normal(size=(3, 5)), "positions": np.arange(3)}, kind="edge",
             raises="ValueError", note="D = 5 cannot be split into pairs"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        lead = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(0, 3))))
        t, d = int(rng.integers(1, 9)), 2 * int(rng.integers(1, 9))
        positions = rng.integers(0, 5000, size=t)
        out.append(Case(f"random-{i}", {"x": rng.normal(size=lead + (t, d)), "positions": positions}, kind="random",
                        seed=seed, check=c, note=f"x shape {lead + (t, d)}"))
    return out


SPEC = ExerciseSpec(cases=cases)
