# exercise: beam-search
import numpy as np


def beam_search(start_logp, trans_logp, beam_width, max_len, eos_id):
    beams = sorted((([t], float(start_logp[t])) for t in range(len(start_logp))), key=lambda b: (-b[1], b[0]))[:beam_width]
    for _ in range(max_len - 1):
        alive = [b for b in beams if b[0][-1] != eos_id]  # finished beams are forgotten
        if not alive:
            break
        candidates = [(tokens + [t], score + float(trans_logp[tokens[-1], t]))
                      for tokens, score in alive for t in range(len(start_logp))]
        beams = sorted(candidates, key=lambda b: (-b[1], b[0]))[:beam_width]
    return beams
