"""nn ops (activations) on JAX."""

import jax

from lamina.backend.jax.core import convert_to_tensor


def relu(x):
    return jax.nn.relu(convert_to_tensor(x))
