# exercise: ring-allreduce
import torch
import torch.distributed as dist


def ring_all_reduce(tensor: torch.Tensor) -> None:
    rank, world = dist.get_rank(), dist.get_world_size()
    right, left = (rank + 1) % world, (rank - 1) % world
    chunks = list(tensor.tensor_split(world))

    def exchange(send_idx, recv_idx):
        buf = torch.empty_like(chunks[recv_idx])
        req = dist.isend(chunks[send_idx], dst=right)
        dist.recv(buf, src=left)
        req.wait()
        return buf

    for step in range(world - 1):
        recv_idx = (rank - step - 1) % world
        chunks[recv_idx] += exchange((rank - step) % world, recv_idx)
    for step in range(world - 1):
        recv_idx = (rank - step) % world
        chunks[recv_idx].copy_(exchange((rank - step + 1) % world, recv_idx))
