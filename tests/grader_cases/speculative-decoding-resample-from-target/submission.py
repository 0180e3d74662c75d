# exercise: speculative-decoding
import numpy as np


def _draw(p, u):
    return int(np.searchsorted(np.cumsum(p), u, side="right"))


def speculative_accept(draft_tokens, p_draft, p_target, u, u_resample):
    out = []
    for i, x in enumerate(draft_tokens):
        if u[i] < min(1.0, p_target[i, x] / p_draft[i, x]):
            out.append(int(x))
        else:
            out.append(_draw(p_target[i], u_resample))  # resamples from the target itself
            return out
    out.append(_draw(p_target[len(draft_tokens)], u_resample))
    return out
