"""Reference solution of ring-allreduce."""

import torch
import torch.distributed as dist


def ring_all_reduce(tensor: torch.Tensor) -> None:
    """Sum ``tensor`` in place across all ranks with a ring: reduce-scatter, then all-gather."""
    rank, world = dist.get_rank(), dist.get_world_size()
    if world == 1:
        return
    right, left = (rank + 1) % world, (rank - 1) % world
    # views into `tensor`, sizes differing by at most one when world does not divide the length
    chunks = list(tensor.tensor_split(world))

    def exchange(send_idx: int, recv_idx: int) -> torch.Tensor:
        # post the send without waiting, then receive: blocking send/recv in the same
        # order on every rank would deadlock the ring
        incoming = torch.empty_like(chunks[recv_idx])
        request = dist.isend(chunks[send_idx], dst=right)
        dist.recv(incoming, src=left)
        request.wait()
        return incoming

    # reduce-scatter: after N-1 steps rank r holds the full sum of chunk (r + 1) % N
    for step in range(world - 1):
        recv_idx = (rank - step - 1) % world
        chunks[recv_idx] += exchange((rank - step) % world, recv_idx)
    # all-gather: pass the finished chunks around the ring once more
    for step in range(world - 1):
        recv_idx = (rank - step) % world
        chunks[recv_idx].copy_(exchange((rank - step + 1) % world, recv_idx))
