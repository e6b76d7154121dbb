"""``set_random_seed``: one call that makes a training run repeatable."""

import random

import numpy as np

from lamina.backend.common import global_state


def set_random_seed(seed):
    """Seeds Python's ``random``, NumPy, lamina's global seed generator and the backend.

    Layers created afterwards draw their initializer seeds from these, so the
    same seed gives the same weights, the same shuffling and the same dropout.

    Args:
        seed: a non-negative int.

    Example:
        >>> lamina.utils.set_random_seed(1337)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_random_seed expected a non-negative int, received {seed!r}.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % (2**32))
    global_state.set_global_attribute("global_seed_generator", None)
    from lamina.backend import impl

    backend_seed = getattr(impl.random, "set_backend_seed", None)
    if backend_seed is not None:
        backend_seed(seed)
