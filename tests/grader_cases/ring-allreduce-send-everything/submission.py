# exercise: ring-allreduce
import torch
import torch.distributed as dist


def ring_all_reduce(tensor: torch.Tensor) -> None:
    # Pass the whole tensor around the ring N-1 times: right answer, (N-1)x the bytes.
    rank, world = dist.get_rank(), dist.get_world_size()
    right, left = (rank + 1) % world, (rank - 1) % world
    passing = tensor.clone()
    total = tensor.clone()
    for _ in range(world - 1):
        incoming = torch.empty_like(tensor)
        req = dist.isend(passing, dst=right)
        dist.recv(incoming, src=left)
        req.wait()
        total += incoming
        passing = incoming
    tensor.copy_(total)
