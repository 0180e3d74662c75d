# exercise: cnn-build
from torch import nn


def build_cnn(num_classes: int = 10) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.Sigmoid(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.Sigmoid(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.Sigmoid(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(512, 128), nn.Sigmoid(), nn.Dropout(0.5), nn.Linear(128, num_classes),
    )
