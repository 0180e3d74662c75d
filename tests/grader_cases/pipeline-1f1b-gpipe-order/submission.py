# exercise: pipeline-1f1b
# Mistake: every forward first, then every backward (the GPipe schedule).


def one_f_one_b(num_stages, num_microbatches, stage):
    if num_stages < 1 or num_microbatches < 1 or not 0 <= stage < num_stages:
        raise ValueError("bad pipeline")
    return [("F", m) for m in range(num_microbatches)] + [("B", m) for m in range(num_microbatches)]
