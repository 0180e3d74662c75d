"""Reference solution of cnn-build."""

from torch import nn


def build_cnn(num_classes: int = 10) -> nn.Module:
    """Three conv blocks (32, 64, 128 channels), then a 128-unit hidden layer."""
    return nn.Sequential(
        nn.Conv2d(3, 32, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),    # 32 → 30 → 15
        nn.Conv2d(32, 64, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),   # 15 → 13 → 6
        nn.Conv2d(64, 128, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),  # 6 → 4 → 2
        nn.Flatten(),                                                   # 128 × 2 × 2 = 512
        nn.Linear(128 * 2 * 2, 128), nn.ReLU(),
        nn.Linear(128, num_classes),
    )
