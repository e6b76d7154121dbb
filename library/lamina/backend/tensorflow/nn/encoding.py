"""nn ops (encoding) on TensorFlow."""

import tensorflow as tf

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.backend.tensorflow.nn.activations import to_float


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("`sparse=True` is not supported.")
    x = tf.cast(convert_to_tensor(x), "int64")
    dtype = dtypes.standardize_dtype(dtype) if dtype else config.floatx()
    on, off = (True, False) if dtype == "bool" else (None, None)
    return tf.one_hot(x, num_classes, on_value=on, off_value=off, axis=axis, dtype=dtype)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.get("num_tokens", num_classes)
    x = convert_to_tensor(inputs)
    reduce_axis = 1 if len(x.shape) > 1 else 0
    out = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    if out.dtype == tf.bool:
        return tf.reduce_any(out, axis=reduce_axis)
    return tf.reduce_max(out, axis=reduce_axis)


def polar(abs_, angle):
    abs_, angle = to_float(abs_), to_float(angle)
    dtype = dtypes.result_type(dtypes.standardize_dtype(abs_.dtype), dtypes.standardize_dtype(angle.dtype))
    if dtype in ("float16", "bfloat16"):
        dtype = "float32"
    abs_, angle = tf.cast(abs_, dtype), tf.cast(angle, dtype)
    return tf.complex(abs_ * tf.cos(angle), abs_ * tf.sin(angle))
