# exercise: speculative-decoding
import numpy as np


def _draw(p, u):
    above = np.flatnonzero(np.cumsum(p) > u)
    return int(above[0]) if above.size else int(np.flatnonzero(p > 0)[-1])


def speculative_accept(draft_tokens, p_draft, p_target, u, u_resample):
    out = []
    for i, x in enumerate(draft_tokens):
        if u[i] < min(1.0, p_target[i, x] / p_draft[i, x]):
            out.append(int(x))
        else:
            r = np.maximum(p_target[i] - p_draft[i], 0.0)
            out.append(_draw(r / r.sum(), u_resample))
            break
    return out  # all accepted: the target's extra token is never drawn
