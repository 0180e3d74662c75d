"""Reference: one stage's operations in the non-interleaved 1F1B pipeline schedule (PipeDream-Flush / Megatron)."""


def one_f_one_b(num_stages, num_microbatches, stage):
    """[("F", m) / ("B", m), ...] in the order `stage` runs them."""
    if num_stages < 1 or num_microbatches < 1:
        raise ValueError("num_stages and num_microbatches must be at least 1")
    if not 0 <= stage < num_stages:
        raise ValueError(f"stage must be in [0, {num_stages}), got {stage}")
    warmup = min(num_stages - stage - 1, num_microbatches)  # forwards in flight before the first backward
    steady = num_microbatches - warmup
    ops = [("F", m) for m in range(warmup)]
    for i in range(steady):  # one forward, then one backward
        ops += [("F", warmup + i), ("B", i)]
    ops += [("B", m) for m in range(steady, num_microbatches)]  # cool-down: drain the backwards
    return ops
