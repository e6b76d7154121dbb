"""NumPy-style products on TensorFlow."""

import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.numpy.numpy.linear import vectorize_with  # framework-free helper
from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.backend.tensorflow.numpy.shape import dims, promote

__all__ = [
    "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "tensordot", "trace", "vdot",
    "vectorize",
]

# dtypes that TensorFlow's matmul/einsum kernels lack, and the dtype to compute them in
_COMPUTE = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "int32",
            "uint16": "int32", "uint32": "int64", "uint64": "int64"}


def _compute(fn, *xs):
    """Runs ``fn`` on ``xs`` promoted to one dtype, through a supported dtype if needed."""
    xs = promote(*xs)
    dtype = dtypes.standardize_dtype(xs[0].dtype)
    compute = _COMPUTE.get(dtype)
    if compute is None:
        return fn(*xs)
    return tf.cast(fn(*[tf.cast(x, compute) for x in xs]), dtype)


def _matmul(a, b):
    if a.shape.rank == 1 and b.shape.rank == 1:
        return tf.reduce_sum(a * b)
    if a.shape.rank == 1:
        return tf.squeeze(tf.matmul(a[tf.newaxis], b), -2)
    if b.shape.rank == 1:
        return tf.squeeze(tf.matmul(a, b[:, tf.newaxis]), -1)
    return tf.matmul(a, b)


def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype == x2.dtype and x1.dtype in (tf.float32, tf.float16, tf.bfloat16, tf.float64):
        return _matmul(x1, x2)
    if x1.dtype == tf.int8 and x2.dtype == tf.int8:
        return _matmul(tf.cast(x1, tf.int32), tf.cast(x2, tf.int32))
    return _compute(_matmul, x1, x2)


def _cross(a, b, axisa, axisb, axisc):
    a = tf.experimental.numpy.moveaxis(a, axisa, -1)
    b = tf.experimental.numpy.moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3, None) or b.shape[-1] not in (2, 3, None):
        raise ValueError("the vector axis must have 2 or 3 components.")
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    pad = [[0, 0]] * (a.shape.rank - 1) + [[0, 1]]
    if a.shape[-1] == 2:
        a = tf.pad(a, pad)
    if b.shape[-1] == 2:
        b = tf.pad(b, [[0, 0]] * (b.shape.rank - 1) + [[0, 1]])
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    out = tf.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return tf.experimental.numpy.moveaxis(out, -1, axisc)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    return _compute(lambda a, b: _cross(a, b, axisa, axisb, axisc), x1, x2)


def _dot(a, b):
    if a.shape.rank == 0 or b.shape.rank == 0:
        return a * b
    if b.shape.rank == 1:
        return tf.tensordot(a, b, [[a.shape.rank - 1], [0]])
    return tf.tensordot(a, b, [[a.shape.rank - 1], [b.shape.rank - 2]])


def dot(x1, x2):
    return _compute(_dot, x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    if {x.dtype for x in operands} == {tf.int8}:
        return tf.einsum(subscripts, *[tf.cast(x, tf.int32) for x in operands])
    return _compute(lambda *xs: tf.einsum(subscripts, *xs), *operands)


def inner(x1, x2):
    def fn(a, b):
        if a.shape.rank == 0 or b.shape.rank == 0:
            return a * b
        return tf.tensordot(a, b, [[a.shape.rank - 1], [b.shape.rank - 1]])

    return _compute(fn, x1, x2)


def kron(x1, x2):
    def fn(a, b):
        ra, rb = a.shape.rank, b.shape.rank
        n = max(ra, rb)
        a = tf.reshape(a, [1] * (n - ra) + dims(a))
        b = tf.reshape(b, [1] * (n - rb) + dims(b))
        da, db = dims(a), dims(b)
        ea = tf.reshape(a, [v for d in da for v in (d, 1)])
        eb = tf.reshape(b, [v for d in db for v in (1, d)])
        return tf.reshape(ea * eb, [p * q for p, q in zip(da, db)])

    return _compute(fn, x1, x2)


def outer(x1, x2):
    return _compute(lambda a, b: tf.reshape(a, [-1, 1]) * tf.reshape(b, [1, -1]), x1, x2)


def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        a, b = axes
        axes = [[a] if isinstance(a, int) else list(a), [b] if isinstance(b, int) else list(b)]
    return _compute(lambda p, q: tf.tensordot(p, q, axes), x1, x2)


def trace(x, offset=0, axis1=0, axis2=1):
    from lamina.backend.tensorflow.numpy.indexing import diagonal

    x = convert_to_tensor(x)
    dtype = dtypes.standardize_dtype(x.dtype)
    if dtype in ("bool", "int8", "int16"):
        dtype = "int32"
    elif dtype in ("uint8", "uint16"):
        dtype = "uint32"
    return tf.reduce_sum(tf.cast(diagonal(x, offset, axis1, axis2), dtype), axis=-1)


def vdot(x1, x2):
    def fn(a, b):
        if a.dtype.is_complex:
            a = tf.math.conj(a)
        return tf.reduce_sum(tf.reshape(a, [-1]) * tf.reshape(b, [-1]))

    return _compute(fn, x1, x2)


def vectorize(pyfunc, *, excluded=None, signature=None):
    def vmap(fn, args):
        return tf.vectorized_map(lambda xs: fn(*xs), tuple(args))

    return vectorize_with(pyfunc, vmap, convert_to_tensor, tf.broadcast_to, tf.reshape,
                          excluded=excluded, signature=signature)
