"""The op conformance harness: one declarative case checks an op every way.

A :class:`Case` names an op, its inputs (NumPy arrays and Python values) and a
NumPy reference. ``test_conformance.py`` runs each case:

* eager on the active backend against the NumPy reference;
* against real Keras 3 on the same backend (values and dtype), when it has the op;
* symbolically: the KerasTensor spec equals the eager shape and dtype, and with
  an unknown first dimension it equals Keras's spec;
* inside ``jax.jit`` / ``tf.function`` (on those backends);
* gradients against central finite differences (``grad=True``).

An :class:`ErrorCase` checks that bad input raises an error naming the op.
"""

import dataclasses
from typing import Callable

import numpy as np

import lamina
from lamina.backend import impl

BACKEND = lamina.backend.backend()
ALL = ("jax", "torch", "tensorflow", "numpy")


@dataclasses.dataclass
class Case:
    op: str                          # name under lamina.ops: "add", "nn.relu", "linalg.det"
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    ref: Callable | None = None      # NumPy reference; None: only the Keras oracle
    id: str = ""
    rtol: float = 1e-5
    atol: float = 1e-6
    grad: bool = False               # finite-difference check w.r.t. float array args
    grad_rtol: float = 2e-2
    grad_atol: float = 2e-3
    grad_eps: float = 1e-2
    keras: bool = True               # compare with keras.ops
    keras_op: str | None = None      # keras name when it differs
    symbolic: bool = True
    symbolic_none: bool = True       # also with an unknown first dimension
    jit: bool = True
    check_dtype: bool = True
    backends: tuple = ALL
    tensor_args: tuple | None = None  # indices of args converted to tensors (default: arrays)
    postprocess: Callable | None = None  # applied to outputs before comparing (e.g. sort)

    def __post_init__(self):
        if not self.id:
            shapes = ",".join(
                f"{a.dtype}{list(a.shape)}" if isinstance(a, np.ndarray) else repr(a)[:12]
                for a in self.args
            )
            kw = ",".join(f"{k}={v!r}"[:20] for k, v in self.kwargs.items())
            self.id = f"{self.op}({shapes}{';' + kw if kw else ''})"

    def tensor_positions(self):
        if self.tensor_args is not None:
            return self.tensor_args
        return tuple(i for i, a in enumerate(self.args) if isinstance(a, np.ndarray))


@dataclasses.dataclass
class ErrorCase:
    op: str
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    error: type = ValueError
    match: str = ""                   # a fragment the message must contain
    id: str = ""
    symbolic: bool = True             # also check the symbolic path
    backends: tuple = ALL

    def __post_init__(self):
        if not self.id:
            self.id = f"{self.op}-{self.error.__name__}-{self.match[:20]}"


def resolve(module, name):
    obj = module
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def lamina_op(name):
    return resolve(lamina.ops, name)


def keras_op(name):
    try:
        import keras
    except ImportError:
        return None
    try:
        return resolve(keras.ops, name)
    except AttributeError:
        return None


def rand(shape, dtype="float32", low=-2.0, high=2.0, seed=0):
    """Random test data of a shape and dtype (ints in [low, high), bools at 50%)."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if np.dtype(dtype).kind in "iu":
        return rng.integers(int(low), int(high), size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def to_tensors(case, args, convert):
    positions = case.tensor_positions()
    return tuple(convert(a) if i in positions else a for i, a in enumerate(args))


def to_numpy_tree(x):
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return tuple(to_numpy_tree(v) for v in x)  # namedtuples (top_k, svd...) as plain tuples
    if isinstance(x, (list, tuple)):
        return type(x)(to_numpy_tree(v) for v in x)
    if isinstance(x, dict):
        return {k: to_numpy_tree(v) for k, v in x.items()}
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    return impl.core.convert_to_numpy(x)


def flat(x):
    if isinstance(x, (list, tuple)):
        return [leaf for v in x for leaf in flat(v)]
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in flat(x[k])]
    return [x]


def dtype_name(x):
    return lamina.backend.standardize_dtype(x.dtype) if hasattr(x, "dtype") else type(x).__name__


def assert_close(actual, expected, rtol, atol, what):
    actual, expected = flat(actual), flat(expected)
    assert len(actual) == len(expected), f"{what}: {len(actual)} outputs, expected {len(expected)}"
    for i, (a, e) in enumerate(zip(actual, expected)):
        a = np.asarray(a)
        e = np.asarray(e)
        assert a.shape == e.shape, f"{what}[{i}]: shape {a.shape}, expected {e.shape}"
        if a.dtype == bool or e.dtype == bool or a.dtype.kind in "iu":
            np.testing.assert_array_equal(a, e.astype(a.dtype) if e.dtype != a.dtype else e,
                                          err_msg=f"{what}[{i}]")
        else:
            np.testing.assert_allclose(a.astype(np.float64) if a.dtype.kind != "c" else a,
                                       e.astype(np.float64) if e.dtype.kind != "c" else e,
                                       rtol=rtol, atol=atol, err_msg=f"{what}[{i}]")
