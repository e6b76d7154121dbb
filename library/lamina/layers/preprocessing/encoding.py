"""Shared categorical encoding (int, one_hot, multi_hot, count) of integer indices.

Example:
    >>> encode_categorical(np.array([[0, 2]]), "multi_hot", depth=3, dtype="float32")
"""

from lamina import ops

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def encode_categorical(inputs, output_mode, depth, dtype, count_weights=None):
    """Encodes integer ``inputs`` as Keras's ``encode_categorical_inputs`` does."""
    if output_mode == "int":
        return ops.cast(inputs, dtype)
    inputs = ops.convert_to_tensor(inputs)
    if len(ops.shape(inputs)) == 0:
        inputs = ops.expand_dims(inputs, -1)
    if output_mode == "multi_hot":
        return ops.multi_hot(inputs, depth, dtype=dtype)
    if output_mode == "one_hot":
        shape = tuple(ops.shape(inputs))
        if len(shape) > 1 and shape[-1] == 1:
            inputs = ops.reshape(inputs, shape[:-1])
        return ops.one_hot(inputs, depth, dtype=dtype)
    if output_mode == "count":
        axis = 1 if len(ops.shape(inputs)) > 1 else 0
        if count_weights is not None:
            dtype = count_weights.dtype
        encoded = ops.one_hot(inputs, depth, dtype=dtype)
        if count_weights is not None:
            encoded = ops.multiply(encoded, ops.expand_dims(count_weights, -1))
        return ops.sum(encoded, axis=axis)
    raise ValueError(f"Unknown output_mode {output_mode!r}; expected one of {OUTPUT_MODES}.")


def encoded_shape(input_shape, output_mode, depth):
    """The output shape of :func:`encode_categorical` for ``input_shape``."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if input_shape[-1] == 1 and len(input_shape) > 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)
