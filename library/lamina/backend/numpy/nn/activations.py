"""nn ops (activations) on NumPy."""

import numpy as np

from lamina.backend.numpy.core import convert_to_tensor


def relu(x):
    x = convert_to_tensor(x)
    return np.maximum(x, np.zeros((), x.dtype))
