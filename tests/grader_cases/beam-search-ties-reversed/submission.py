# exercise: beam-search
import numpy as np


def beam_search(start_logp, trans_logp, beam_width, max_len, eos_id):
    def rank(c):
        # descending by (score, tokens): equal scores put the larger token list first
        return sorted(c, key=lambda b: (b[1], b[0]), reverse=True)[:beam_width]

    beams = rank([([t], float(start_logp[t])) for t in range(len(start_logp))])
    while True:
        growing = [b for b in beams if b[0][-1] != eos_id]
        if not growing or len(growing[0][0]) >= max_len:
            return beams
        cands = [b for b in beams if b[0][-1] == eos_id]
        for tokens, score in growing:
            cands += [(tokens + [t], score + float(trans_logp[tokens[-1], t])) for t in range(len(start_logp))]
        beams = rank(cands)
