"""nn ops (pooling) on TensorFlow; computed in channels-last layout."""

import numpy as np
import tensorflow as tf

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.backend.tensorflow.nn.conv import from_channels_last, to_channels_last

__all__ = ["max_pool", "average_pool", "adaptive_max_pool", "adaptive_average_pool"]


def _pool(fn, inputs, pool_size, strides, padding, data_format):
    fmt = config.standardize_data_format(data_format)
    x = convert_to_tensor(inputs)
    cu.check_rank(len(x.shape))
    x = to_channels_last(x, fmt)
    n = len(x.shape) - 2
    pool = cu.normalize_tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else cu.normalize_tuple(strides, n, "strides")
    padding = cu.check_padding(padding)
    cu.check_window(tuple(x.shape[1:-1]), pool, strides, padding)
    tf_format = {1: "NWC", 2: "NHWC", 3: "NDHWC"}[n]  # explicit: TF's eager 3D grads need it
    return from_channels_last(fn(x, pool, strides, padding.upper(), data_format=tf_format), fmt)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(tf.nn.max_pool, inputs, pool_size, strides, padding, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(tf.nn.avg_pool, inputs, pool_size, strides, padding, data_format)


def _adaptive(inputs, output_size, data_format, average):
    fmt = config.standardize_data_format(data_format)
    x = to_channels_last(convert_to_tensor(inputs), fmt)
    n = len(x.shape) - 2
    size = cu.normalize_tuple(output_size, n, "output_size")
    dtype = x.dtype
    if average and dtype in (tf.float16, tf.bfloat16):
        x = tf.cast(x, tf.float32)
    for axis, o in zip(range(1, n + 1), size):
        if average:
            m = tf.constant(np.asarray(cu.adaptive_matrix(x.shape[axis], o)), x.dtype)
            x = tf.tensordot(x, m, axes=[[axis], [0]])
            perm = list(range(axis)) + [n + 1] + list(range(axis, n + 1))
            x = tf.transpose(x, perm)
        else:
            index, _ = cu.adaptive_index(x.shape[axis], o)
            x = tf.reduce_max(tf.gather(x, np.asarray(index, np.int32), axis=axis), axis=axis + 1)
    return from_channels_last(tf.cast(x, dtype), fmt)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, average=False)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, average=True)
