# exercise: ring-allreduce
import torch
import torch.distributed as dist


def ring_all_reduce(tensor: torch.Tensor) -> None:
    rank, world = dist.get_rank(), dist.get_world_size()
    incoming = torch.empty_like(tensor)
    dist.recv(incoming, src=(rank - 1) % world)  # every rank waits first: nobody ever sends
    dist.send(tensor, dst=(rank + 1) % world)
    tensor += incoming
