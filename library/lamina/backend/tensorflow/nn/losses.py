"""nn ops (losses) on TensorFlow."""

import tensorflow as tf

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.backend.tensorflow.nn.activations import to_float


def _pair(target, output):
    output = to_float(output)
    target = convert_to_tensor(target)
    dtype = dtypes.float_result_type(dtypes.standardize_dtype(target.dtype),
                                     dtypes.standardize_dtype(output.dtype))
    return tf.cast(target, dtype), tf.cast(output, dtype)


def _check_same_shape(target, output):
    t, o = target.shape.as_list(), output.shape.as_list()
    if len(t) != len(o) or any(a is not None and b is not None and a != b for a, b in zip(t, o)):
        raise ValueError(f"`target` and `output` must have the same shape, received "
                         f"{tuple(t)} and {tuple(o)}.")


def binary_crossentropy(target, output, from_logits=False):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = config.epsilon()
    p = tf.clip_by_value(output, eps, 1 - eps)
    return -(target * tf.math.log(p) + (1 - target) * tf.math.log1p(-p))


def _probs_log(output, axis):
    eps = config.epsilon()
    p = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    return tf.math.log(tf.clip_by_value(p, eps, 1 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if len(output.shape) < 1:
        raise ValueError("`target` and `output` must be at least rank 1.")
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    return -tf.reduce_sum(target * _probs_log(output, axis), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = to_float(output)
    target = tf.cast(convert_to_tensor(target), "int32")
    ndim = len(output.shape)
    if ndim < 1:
        raise ValueError("`output` must be at least rank 1.")
    if len(target.shape) == ndim and target.shape[-1] == 1:
        target = tf.squeeze(target, -1)
    axis = axis % ndim
    if axis != ndim - 1:
        perm = [d for d in range(ndim) if d != axis] + [axis]
        output = tf.transpose(output, perm)
    rest = output.shape.as_list()[:-1]
    t = target.shape.as_list()
    if len(t) != len(rest) or any(a is not None and b is not None and a != b for a, b in zip(t, rest)):
        raise ValueError(f"`target` shape {tuple(t)} does not match `output` shape without its "
                         f"class axis {tuple(rest)}.")
    logits = output if from_logits else _probs_log(output, -1)
    n = tf.shape(output)[-1]
    valid = (target >= 0) & (target < n)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.clip_by_value(target, 0, tf.maximum(n - 1, 0)), logits=logits)
    return tf.where(valid, loss, tf.zeros((), loss.dtype))


def psnr(x1, x2, max_val):
    x1, x2 = _pair(x1, x2)
    _check_same_shape(x1, x2)
    mse = tf.reduce_mean(tf.square(x1 - x2))
    # The logarithms in at least float32: log(x) / log(10) loses digits in half precision.
    compute = "float32" if x1.dtype in (tf.float16, tf.bfloat16) else x1.dtype
    mse = tf.cast(mse, compute)
    max_val = tf.cast(tf.cast(max_val, x1.dtype), compute)
    log10 = tf.math.log(tf.constant(10.0, compute))
    out = 20 * tf.math.log(max_val) / log10 - 10 * tf.math.log(mse) / log10
    return tf.cast(out, x1.dtype)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = tf.cast(convert_to_tensor(target), "int32")
    output = convert_to_tensor(output)
    dtype = dtypes.result_type(dtypes.standardize_dtype(output.dtype), "float32")
    compute = "float32" if dtype == "float64" else dtype
    loss = tf.nn.ctc_loss(
        labels=target, logits=tf.cast(output, compute),
        label_length=tf.cast(convert_to_tensor(target_length), "int32"),
        logit_length=tf.cast(convert_to_tensor(output_length), "int32"),
        blank_index=mask_index, logits_time_major=False)
    return tf.cast(loss, dtype)


def _greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    steps = tf.shape(inputs)[1]
    best = tf.cast(tf.argmax(inputs, axis=-1), "int32")
    scores = tf.reduce_max(inputs, axis=-1)
    positions = tf.range(steps)[None, :]
    beyond = positions >= sequence_lengths[:, None]
    best = tf.where(beyond, mask_index, best)
    scores = tf.where(beyond, tf.zeros_like(scores), scores)
    if merge_repeated:
        repeat = tf.pad(best[:, 1:] == best[:, :-1], [[0, 0], [1, 0]])
        best = tf.where(repeat, mask_index, best)
    blank = best == mask_index
    order = tf.argsort(tf.where(blank, steps, positions), axis=-1, stable=True)
    paths = tf.gather(tf.where(blank, -1, best), order, batch_dims=1)
    return paths[None], -tf.reduce_sum(scores, axis=1, keepdims=True)


def _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    shape = tf.shape(inputs)
    batch, steps = shape[0], shape[1]
    # TensorFlow's decoder expects time-major inputs with the blank class last.
    x = tf.transpose(inputs, (1, 0, 2))
    x = tf.concat([x[..., :mask_index], x[..., mask_index + 1:], x[..., mask_index:mask_index + 1]],
                  axis=-1)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(
        inputs=x, sequence_length=sequence_lengths, beam_width=beam_width, top_paths=top_paths)
    dense = []
    for st in decoded:
        st = tf.SparseTensor(st.indices, st.values, tf.cast(tf.stack([batch, steps]), "int64"))
        dense.append(tf.sparse.to_dense(st, default_value=-1))
    paths = tf.cast(tf.stack(dense, axis=0), "int32")
    paths = tf.where(paths >= mask_index, paths + 1, paths)
    return paths, log_probs


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = convert_to_tensor(inputs)
    dtype = dtypes.result_type(dtypes.standardize_dtype(inputs.dtype), "float32")
    inputs = tf.cast(inputs, dtype)
    sequence_lengths = tf.cast(convert_to_tensor(sequence_lengths), "int32")
    classes = inputs.shape[-1]
    mask_index = classes - 1 if mask_index is None else mask_index % classes
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    raise ValueError(f"`strategy` must be 'greedy' or 'beam_search', received {strategy!r}.")
