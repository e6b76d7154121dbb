"""nn ops (activations) on PyTorch."""

import torch

from lamina.backend.torch.core import convert_to_tensor


def relu(x):
    return torch.relu(convert_to_tensor(x))
