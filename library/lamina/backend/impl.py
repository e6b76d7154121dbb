"""Lazy handle on the active backend's modules.

``impl.numpy`` is ``lamina.backend.<active>.numpy``, imported on first access
(so ``import lamina`` does not import the framework). After that first access
it is a plain module attribute: no cost on the hot path.

Example:
    >>> from lamina.backend import impl
    >>> impl.core.convert_to_numpy(impl.core.convert_to_tensor([1, 2])).tolist()
    [1, 2]
"""

import importlib

from lamina.backend.config import backend as _backend

MODULES = ("core", "numpy", "nn", "math", "linalg", "random", "image", "rnn", "trainer",
           "optimizers")


def __getattr__(name):
    if name not in MODULES:
        raise AttributeError(f"lamina.backend.impl has no module {name!r}; it has {MODULES}.")
    module = importlib.import_module(f"lamina.backend.{_backend()}.{name}")
    globals()[name] = module
    return module
