# exercise: beam-search
import numpy as np


def beam_search(start_logp, trans_logp, beam_width, max_len, eos_id):
    beams = sorted(([t], float(start_logp[t])) for t in range(len(start_logp)))
    beams = sorted(beams, key=lambda b: (-b[1], b[0]))[:beam_width]
    for _ in range(max_len - 1):
        if all(b[0][-1] == eos_id for b in beams):
            break
        candidates = []
        for tokens, score in beams:  # every beam, finished or not, is extended
            for t in range(len(start_logp)):
                candidates.append((tokens + [t], score + float(trans_logp[tokens[-1], t])))
        beams = sorted(candidates, key=lambda b: (-b[1], b[0]))[:beam_width]
    return beams
