"""Conformance cases: moments, batch/layer/RMS normalization, normalize."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand

EPS = 1e-7


def _ax(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    return tuple(a % ndim for a in (axis if isinstance(axis, (list, tuple)) else [axis]))


def _moments(x, axes, keepdims=False, synchronized=False):
    xd = x.astype(np.float64)
    axes = _ax(axes, x.ndim)
    out_dtype = x.dtype if x.dtype.kind == "f" else np.float32
    return (xd.mean(axis=axes, keepdims=keepdims).astype(out_dtype),
            xd.var(axis=axes, keepdims=keepdims).astype(out_dtype))


def _batch_norm(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: None if v is None else np.reshape(v.astype(np.float64), shape)  # noqa: E731
    out = (x - r(mean)) / np.sqrt(r(variance) + epsilon)
    if scale is not None:
        out = out * r(scale)
    if offset is not None:
        out = out + r(offset)
    return out.astype(x.dtype)


def _shape_for(v, x, axes):
    if v is None:
        return None
    v = np.asarray(v, np.float64)
    if v.ndim != x.ndim and axes != (x.ndim - 1,):
        v = v.reshape([x.shape[d] if d in axes else 1 for d in range(x.ndim)])
    return v


def _layer_norm(x, gamma=None, beta=None, axis=-1, epsilon=None):
    epsilon = 1e-3 if epsilon is None else epsilon  # Keras's epsilon() default is 1e-7
    axes = _ax(axis, x.ndim)
    xd = x.astype(np.float64)
    out = (xd - xd.mean(axis=axes, keepdims=True)) / np.sqrt(xd.var(axis=axes, keepdims=True) + epsilon)
    if gamma is not None:
        out = out * _shape_for(gamma, x, axes)
    if beta is not None:
        out = out + _shape_for(beta, x, axes)
    return out.astype(x.dtype if x.dtype.kind == "f" else np.float32)


def _layer_norm_default(x, gamma=None, beta=None, axis=-1):
    return _layer_norm(x, gamma, beta, axis, EPS)


def _rms(x, scale=None, axis=-1, epsilon=None):
    epsilon = EPS if epsilon is None else epsilon
    xd = np.atleast_1d(x.astype(np.float64))
    axes = _ax(axis, xd.ndim)
    out = xd / np.sqrt(np.mean(xd ** 2, axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * np.asarray(scale, np.float64)
    return out.astype(x.dtype if x.dtype.kind == "f" else np.float32)


def _normalize(x, axis=-1, order=2, epsilon=None):
    epsilon = EPS if epsilon is None else epsilon
    xd = np.atleast_1d(x.astype(np.float64))
    axes = _ax(axis, xd.ndim)
    norm = np.sum(np.abs(xd) ** order, axis=axes, keepdims=True) ** (1 / order)
    return (xd / np.maximum(norm, epsilon)).astype(x.dtype if x.dtype.kind == "f" else np.float32)


X = rand((3, 4, 5), seed=1)
CASES = []
for axes, keepdims in (([0], False), ([0, 2], True), ([1], False), ((0, 1, 2), False), ([-1], True)):
    CASES.append(Case("moments", (X,), {"axes": axes, "keepdims": keepdims}, ref=_moments, grad=True))
CASES += [
    Case("nn.moments", (rand((4, 3), "float16"),), {"axes": [0]}, ref=_moments, rtol=2e-3, atol=2e-3),
    # float16 statistics are computed in float32: these would overflow in float16.
    Case("moments", (np.array([60000.0, 60000.0, 60000.0], np.float16),), {"axes": [0]},
         ref=_moments, rtol=1e-3),
    Case("moments", (np.array([300.0, -300.0, 200.0, -100.0], np.float16),), {"axes": [0]},
         ref=lambda x, axes: tuple(np.clip(v, -65504, 65504).astype(np.float16)
                                   for v in _moments(x.astype(np.float32), axes)), rtol=1e-3),
    # keras=False: on ints Keras fails on torch, gives float64 on numpy and an integer mean
    # on tensorflow; lamina computes in float32 everywhere.
    Case("moments", (rand((2, 3), "int32", -5, 5),), {"axes": [1]}, ref=_moments, keras=False),
    Case("moments", (rand((0, 3)),), {"axes": [1]}, ref=_moments),
    Case("moments", (X,), {"axes": [0], "synchronized": True}, ref=_moments,
         backends=("tensorflow",)),
]

C = 4
XB = rand((2, 3, C), seed=2)
# symbolic_none=False on batch_normalization: the harness gives *every* tensor an unknown first
# dimension, so mean and variance become (None,) and Keras's check rejects them.
MEAN, VAR = rand((C,), seed=3), rand((C,), low=0.5, high=2.0, seed=4)
OFF, SCALE = rand((C,), seed=5), rand((C,), low=0.5, high=1.5, seed=6)
CASES += [
    Case("batch_normalization", (XB, MEAN, VAR), {"axis": -1}, ref=_batch_norm, symbolic_none=False, grad=True),
    Case("batch_normalization", (XB, MEAN, VAR, -1, OFF, SCALE), ref=_batch_norm, symbolic_none=False, grad=True),
    Case("nn.batch_normalization", (np.moveaxis(XB, -1, 1).copy(), MEAN, VAR, 1),
         {"offset": OFF, "scale": SCALE, "epsilon": 0.1}, ref=_batch_norm, symbolic_none=False, grad=True),
    Case("batch_normalization", (XB.astype(np.float16), MEAN.astype(np.float16), VAR.astype(np.float16)),
         {"axis": -1}, ref=_batch_norm, symbolic_none=False, rtol=5e-3, atol=5e-3),
    Case("batch_normalization", (XB[:0], MEAN, VAR), {"axis": -1}, ref=_batch_norm, symbolic_none=False),
]

XL = rand((2, 3, 4), seed=7)
CASES += [
    Case("layer_normalization", (XL,), ref=_layer_norm_default, grad=True, rtol=1e-4, atol=1e-5),
    Case("layer_normalization", (XL, rand((4,), seed=8), rand((4,), seed=9)),
         ref=_layer_norm_default, grad=True, rtol=1e-4, atol=1e-5),
    Case("nn.layer_normalization", (XL, rand((3, 4), seed=8), rand((3, 4), seed=9)),
         {"axis": (1, 2), "epsilon": 1e-3}, ref=_layer_norm, grad=True, rtol=1e-4, atol=1e-5),
    # keras=False: Keras's torch path passes this gamma to F.layer_norm, which rejects axis=1.
    Case("layer_normalization", (XL, rand((3,), seed=8)), {"axis": 1, "epsilon": 1e-3},
         ref=_layer_norm, grad=True, rtol=1e-4, atol=1e-5, keras=False),
    Case("layer_normalization", (XL.astype(np.float16),), ref=_layer_norm_default, rtol=5e-3, atol=5e-3),
    Case("layer_normalization", (XL[:0],), ref=_layer_norm_default),
    Case("rms_normalization", (XL,), ref=_rms, grad=True, rtol=1e-4),
    Case("rms_normalization", (XL, rand((4,), seed=10)), ref=_rms, grad=True, rtol=1e-4),
    Case("nn.rms_normalization", (XL,), {"axis": (1, 2), "epsilon": 1e-3}, ref=_rms, grad=True, rtol=1e-4),
    # keras=False: Keras's torch path sends axis=0 to F.rms_norm, which normalizes trailing axes.
    Case("rms_normalization", (XL,), {"axis": 0}, ref=_rms, rtol=1e-4, keras=False),
    Case("rms_normalization", (XL.astype(np.float16), rand((4,), "float16", seed=10)), ref=_rms,
         rtol=5e-3, atol=5e-3),
    Case("normalize", (XL,), ref=_normalize, grad=True, rtol=1e-4),
    Case("normalize", (XL,), {"axis": 1, "order": 1}, ref=_normalize, rtol=1e-4),
    # keras=False: with two axes Keras takes a *matrix* norm (and has none of order 3); lamina
    # takes the vector p-norm over the axes, as documented.
    Case("nn.normalize", (XL,), {"axis": (0, 2), "order": 3}, ref=_normalize, grad=True, rtol=1e-4,
         keras=False),
    # Keras's torch backend overflows clamping float16 at 1 / epsilon.
    Case("normalize", (XL.astype(np.float16),), ref=_normalize, rtol=5e-3, atol=5e-3,
         keras=BACKEND != "torch"),
    Case("normalize", (np.zeros((2, 3), np.float32),), ref=_normalize),
    # keras=False: Keras fails on ints on jax and tensorflow and returns zeros on numpy.
    Case("normalize", (rand((2, 3), "int32", 1, 5),), ref=_normalize, rtol=1e-4, keras=False),
    Case("normalize", (XL[:0],), ref=_normalize),
]

ERRORS = [
    ErrorCase("moments", (X,), {"axes": [3]}, match="out of range"),
    ErrorCase("moments", ("x",), {"axes": [0]}, error=TypeError, match="x"),
    ErrorCase("batch_normalization", (XB, rand((3,)), VAR), {"axis": -1}, match="mean"),
    ErrorCase("batch_normalization", (XB, MEAN, VAR), {"axis": 3}, match="out of range"),
    ErrorCase("layer_normalization", (XL,), {"axis": 5}, match="out of range"),
    ErrorCase("rms_normalization", (XL,), {"axis": (0, 0)}, match="repeated"),
    ErrorCase("normalize", (XL,), {"order": 0}, match="order"),
    ErrorCase("normalize", (XL,), {"axis": -4}, match="out of range"),
]
