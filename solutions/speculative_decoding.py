"""Reference: the speculative sampling acceptance rule (Leviathan et al., 2023) with given randomness."""

import numpy as np


def _draw(p, u):
    """The first index whose cumulative probability exceeds u (the last nonzero one if rounding leaves none)."""
    above = np.flatnonzero(np.cumsum(p) > u)
    return int(above[0]) if above.size else int(np.flatnonzero(p > 0)[-1])


def speculative_accept(draft_tokens, p_draft, p_target, u, u_resample):
    """draft_tokens (K,), p_draft (K,V), p_target (K+1,V), u (K,) -> the emitted tokens."""
    emitted = []
    for i, x in enumerate(int(t) for t in draft_tokens):
        if u[i] < min(1.0, p_target[i, x] / p_draft[i, x]):
            emitted.append(x)
            continue
        # Rejected: draw from the part of the target the draft under-covers, then stop.
        residual = np.maximum(p_target[i] - p_draft[i], 0.0)
        emitted.append(_draw(residual / residual.sum(), u_resample))
        return emitted
    emitted.append(_draw(p_target[len(emitted)], u_resample))  # every draft accepted: one bonus token
    return emitted
