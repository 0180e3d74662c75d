"""Reference: beam search over a bigram model, finished beams carried over unchanged."""

import numpy as np


def beam_search(start_logp, trans_logp, beam_width, max_len, eos_id):
    """Returns the kept beams as (tokens, summed log-probability), best first."""
    start = np.asarray(start_logp, dtype=np.float64)
    trans = np.asarray(trans_logp, dtype=np.float64)

    def rank(candidates):
        # best score first; equal scores: the smaller token list (Python list order) first
        return sorted(candidates, key=lambda beam: (-beam[1], beam[0]))[:beam_width]

    beams = rank([([t], float(start[t])) for t in range(len(start))])
    while True:
        growing = [b for b in beams if b[0][-1] != eos_id]
        if not growing or len(growing[0][0]) >= max_len:  # all growing beams have the same length
            return beams
        candidates = [b for b in beams if b[0][-1] == eos_id]  # finished: carried over, never extended
        for tokens, score in growing:
            row = trans[tokens[-1]]
            candidates += [(tokens + [t], score + float(row[t])) for t in range(len(row))]
        beams = rank(candidates)
