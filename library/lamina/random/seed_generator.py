"""``SeedGenerator``: random-seed state kept in a Variable.

The state is a non-trainable Variable of shape ``(2,)``: ``[seed, counter]``.
Each :meth:`SeedGenerator.next` returns the current state and advances the
counter, so a JAX training step can treat it like any other state: read it in
a :class:`~lamina.StatelessScope` and get the advanced value back from the scope.

Example:
    >>> gen = lamina.random.SeedGenerator(42)
    >>> a = lamina.random.normal((2,), seed=gen)
    >>> b = lamina.random.normal((2,), seed=gen)  # different numbers
"""

import random as _py_random

import numpy as np

from lamina.backend.common import global_state
from lamina.backend.common.keras_tensor import KerasTensor

_GLOBAL_KEY = "global_seed_generator"


def make_default_seed():
    """A seed from Python's ``random`` module (so ``random.seed`` makes it repeatable)."""
    return _py_random.randint(1, int(1e9))


def _check_int_seed(seed, where):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(
            f"{where}: expected `seed` to be None, an int or a SeedGenerator, "
            f"received {type(seed).__name__} {seed!r}."
        )
    return int(seed) % (2**32)


class SeedGenerator:
    """Generates a sequence of seeds for the ``lamina.random`` functions.

    Args:
        seed: an int to make the sequence repeatable, or None for a random start.
        name: the name of the state Variable's scope (default ``"seed_generator"``).

    Example:
        >>> gen = lamina.random.SeedGenerator(seed=1)
        >>> x = lamina.random.uniform((3,), seed=gen)
    """

    def __init__(self, seed=None, name=None, **kwargs):
        from lamina.backend import impl
        from lamina.backend.common.scopes import name_scope
        from lamina.backend.common.variables import Variable

        unknown = set(kwargs) - {"backend"}
        if unknown:
            raise TypeError(f"SeedGenerator: unexpected keyword arguments {sorted(unknown)}.")
        if name is None:
            uid = global_state.get_uid("seed_generator")
            name = "seed_generator" if uid == 1 else f"seed_generator_{uid - 1}"
        if seed is None:
            seed = make_default_seed()
        self._initial_seed = _check_int_seed(seed, "SeedGenerator")
        self.name = name
        self._seed_dtype = impl.random.SEED_DTYPE
        dtype = self._seed_dtype

        def initializer(shape, dtype=None):
            return np.array([self._initial_seed, 0], dtype=np.int64).astype(dtype or "int64")

        with name_scope(name, caller=self):
            self.state = Variable(initializer, shape=(2,), dtype=dtype, trainable=False,
                                  name="seed_generator_state")

    def next(self, ordered=True):
        """Returns the current seed state (a ``(2,)`` tensor) and advances it."""
        from lamina.backend import impl

        value = self.state.value * 1  # a copy: torch and tf variables change in place
        increment = impl.core.convert_to_tensor(np.array([0, 1]), dtype=self._seed_dtype)
        self.state.assign(value + increment)
        return value

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name} seed={self._initial_seed}>"


def global_seed_generator():
    """The process-wide generator used when ``seed=None`` (reset by ``clear_session``)."""
    gen = global_state.get_global_attribute(_GLOBAL_KEY)
    if gen is None:
        gen = SeedGenerator(name="global_seed_generator")
        global_state.set_global_attribute(_GLOBAL_KEY, gen)
    return gen


def draw_seed(seed, where="random"):
    """Turns a ``seed`` argument into backend seed material: a ``(2,)`` tensor.

    Args:
        seed: None (the global generator), an int, a SeedGenerator, or an
            already drawn ``(2,)`` seed tensor.
        where: the function name used in error messages.

    Example:
        >>> draw_seed(42)  # the tensor [42, 0]
    """
    from lamina.backend import impl

    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        if impl.random.in_tracing_scope():
            raise ValueError(
                f"{where}: seed=None draws from the global SeedGenerator, which cannot be "
                "advanced inside a traced (jax.jit) function. Pass an explicit "
                "seed=lamina.random.SeedGenerator(...) and carry its state through a "
                "StatelessScope."
            )
        return global_seed_generator().next()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        value = np.array([_check_int_seed(seed, where), 0], dtype=np.int64)
        return impl.core.convert_to_tensor(value, dtype=impl.random.SEED_DTYPE)
    if isinstance(seed, KerasTensor) or not hasattr(seed, "shape") or tuple(seed.shape) != (2,):
        _check_int_seed(seed, where)
    return impl.core.convert_to_tensor(seed, dtype=impl.random.SEED_DTYPE)
