"""Notices a notebook that replaced the functions the checks rely on (numpy, builtins, lamina).

Checks run in the learner's kernel, so a notebook can make them agree with
anything by patching what they call (``np.mean = lambda *a: 0.99``,
``keras.Model.evaluate = ...``, ``keras.metrics.Accuracy.result = ...``).
Before a question's checks run, :func:`replaced` lists every guarded name
whose object is not the library's own: a different object than when
``lamina_grader`` was imported, or a function written outside the library's
folder (in the notebook). The checks of that question are then not run and
score zero, with a message that names what was replaced.

This raises the bar; it is not a sandbox (code in the kernel can reach
anything in it). The artifact grading is the real guard: the saved model is
scored in a fresh process that runs none of the learner's code.

Example:
    >>> import numpy as np
    >>> replaced()
    []
    >>> saved, np.mean = np.mean, (lambda *args, **kwargs: 0.99)
    >>> replaced()
    ['numpy.mean']
    >>> np.mean = saved
"""

import builtins
import inspect
import math
import os
import sys

__all__ = ["replaced", "snapshot"]

_NUMPY = ("mean", "average", "sum", "max", "min", "amax", "amin", "argmax", "argmin", "abs", "absolute", "isclose",
          "allclose", "array_equal", "array", "asarray", "unique", "exp", "log", "sqrt", "equal", "all", "any",
          "round", "clip", "linalg.norm")
_BUILTINS = ("abs", "sum", "max", "min", "len", "float", "int", "round", "isinstance", "any", "all", "sorted", "zip")
_MATH = ("log", "exp", "isclose", "sqrt", "isfinite")
_LAMINA_CLASSES = ("Model", "Sequential", "layers.Layer", "callbacks.History", "metrics.Metric")
_LAMINA_FUNCTIONS = ("models.load_model", "saving.load_model")

_SNAPSHOT = {}


def _lookup(module, dotted):
    obj = module
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
    return obj


def _guarded():
    """``{qualified name: (current object, library root or None)}`` of every guarded name."""
    out = {}
    np = sys.modules.get("numpy")
    if np is not None:
        root = os.path.dirname(os.path.realpath(np.__file__))
        out.update({f"numpy.{n}": (_lookup(np, n), root) for n in _NUMPY})
    out.update({f"builtins.{n}": (getattr(builtins, n, None), None) for n in _BUILTINS})
    out.update({f"math.{n}": (getattr(math, n, None), None) for n in _MATH})
    lamina = sys.modules.get("lamina")
    if lamina is not None:
        root = os.path.dirname(os.path.realpath(lamina.__file__))
        out.update({f"lamina.{n}": (_lookup(lamina, n), root) for n in _LAMINA_FUNCTIONS})
        classes = {f"lamina.{n}": _lookup(lamina, n) for n in _LAMINA_CLASSES}
        metric_base = classes.get("lamina.metrics.Metric")
        for name in dir(lamina.metrics):
            cls = getattr(lamina.metrics, name, None)
            if isinstance(cls, type) and metric_base is not None and issubclass(cls, metric_base):
                classes[f"lamina.metrics.{name}"] = cls
        for qual, cls in classes.items():
            if not isinstance(cls, type):
                continue
            for attr in dir(cls):
                if attr.startswith("__") and attr not in ("__call__", "__init__"):
                    continue
                try:
                    value = inspect.getattr_static(cls, attr)
                except AttributeError:
                    continue
                if isinstance(value, (staticmethod, classmethod)):
                    value = value.__func__
                if callable(value) or isinstance(value, property):
                    out[f"{qual}.{attr}"] = (value.fget if isinstance(value, property) else value, root)
    return out


def _own(obj, root):
    """Whether ``obj`` comes from its library: Python code in ``root``, or a C-level function or ufunc."""
    if obj is None:
        return True
    code = getattr(obj, "__code__", None) or getattr(getattr(obj, "__func__", None), "__code__", None)
    if code is not None:
        return root is not None and os.path.realpath(code.co_filename).startswith(root + os.sep)
    kind = type(obj)
    return kind.__module__ in ("builtins", "numpy") or kind.__module__.startswith("numpy.") or \
        kind.__name__ in ("type", "wrapper_descriptor", "method_descriptor")


def snapshot():
    """Records the objects behind the guarded names (lamina's only once it is imported)."""
    for name, (obj, _) in _guarded().items():
        _SNAPSHOT.setdefault(name, obj)


def replaced():
    """Guarded names whose object was replaced since the snapshot or is not the library's own, sorted."""
    snapshot()
    return sorted(name for name, (obj, root) in _guarded().items()
                  if obj is not _SNAPSHOT.get(name, obj) or not _own(obj, root))
