"""``lamina.random``: seeded random sampling on every backend.

Example:
    >>> gen = lamina.random.SeedGenerator(0)
    >>> lamina.random.normal((2,), seed=gen).shape
    (2,)
"""

from lamina.random.random import (  # noqa: F401
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from lamina.random.seed_generator import SeedGenerator  # noqa: F401

__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal",
           "randint", "shuffle", "truncated_normal", "uniform"]
