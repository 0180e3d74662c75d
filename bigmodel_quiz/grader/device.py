"""Which device a grade runs on: ``--device cpu|cuda|auto`` against the exercise's kind.

Python and NumPy exercises always run on the CPU. Torch exercises: ``auto`` is CUDA
when PyTorch sees a GPU, ``cuda`` without one is an error (never a silent CPU run).
"""

from __future__ import annotations

import importlib.util
from enum import Enum

from bigmodel_quiz.errors import QuizError, UsageError


class Device(str, Enum):
    """Where a grade runs (``auto``: CUDA when PyTorch sees a GPU); torch exercises only."""

    cpu = "cpu"
    cuda = "cuda"
    auto = "auto"


DEVICES = tuple(d.value for d in Device)


def torch_install_hint() -> str:
    """How to install PyTorch, for the way this copy was installed: a checkout (make run) or a package."""
    from pathlib import Path

    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "Makefile").is_file() and (checkout / "constraints.txt").is_file():
        return (f"PyTorch is not installed; in the checkout {checkout} run: make run "
                "(installs the pinned CPU build into .venv)")
    return "PyTorch is not installed; install it with: pip install torch (a CUDA build from pytorch.org for a GPU)"


TORCH_INSTALL_HINT = torch_install_hint()


class DeviceUnavailable(QuizError):
    """The requested device does not exist on this machine (error kind ``device-unavailable``)."""


def torch_installed() -> bool:
    """True when ``import torch`` would find a package (without importing it)."""
    return importlib.util.find_spec("torch") is not None


# [torch] device nodes a CUDA (or ROCm, or WSL) GPU needs; without any, no build of torch sees one
_GPU_NODES = ("/dev/nvidiactl", "/dev/nvidia0", "/dev/kfd", "/dev/dxg")


def gpu_possible() -> bool:
    """False when this machine certainly has no usable GPU, decided without importing torch.

    Importing torch costs about as much as a whole CPU grade, and the child imports it
    anyway: the parent only pays it where a GPU may be present.
    """
    import os
    import sys

    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    if not sys.platform.startswith("linux"):
        return sys.platform == "win32"  # macOS has no CUDA; Windows has no device nodes to look at
    return any(os.path.exists(node) for node in _GPU_NODES)


def cuda_available() -> bool:
    """True when PyTorch sees a CUDA GPU (imports torch only where a GPU may be present)."""
    if not torch_installed() or not gpu_possible():
        return False
    import torch

    return bool(torch.cuda.is_available())


def resolve_device(requested: str, kind: str) -> str:
    """``cpu`` or ``cuda`` for an exercise of ``kind``; raises DeviceUnavailable for a missing GPU."""
    if requested not in DEVICES:
        raise UsageError(f"unknown device {requested!r}: use cpu, cuda or auto")
    if kind != "torch" or requested == "cpu":
        return "cpu"
    if cuda_available():
        return "cuda"
    if requested == "cuda":
        raise DeviceUnavailable("--device cuda was asked for, but PyTorch sees no CUDA GPU here (use --device cpu or auto)")
    return "cpu"
