"""``to_categorical`` and ``normalize``: small array helpers of the Keras API.

Example:
    >>> lamina.utils.to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
"""

import numpy as np

from lamina.saving.object_registry import keras_export


def _is_backend_tensor(x):
    from lamina import ops

    return not isinstance(x, (np.ndarray, np.generic, list, tuple, int, float)) and ops.is_tensor(x)


@keras_export("keras.utils")
def to_categorical(x, num_classes=None):
    """Converts integer class labels to one-hot rows (the class axis last).

    NumPy input (or lists) gives a float64 NumPy array, as Keras does; a backend
    tensor gives a backend tensor (``ops.one_hot``). A trailing axis of size 1 is
    dropped first, so ``(n, 1)`` labels give ``(n, num_classes)``.

    Args:
        x: integer labels in ``[0, num_classes)``.
        num_classes: the number of classes; ``max(x) + 1`` when ``None``.

    Returns:
        The one-hot array.

    Example:
        >>> lamina.utils.to_categorical([[1], [0]]).shape
        (2, 2)
    """
    if _is_backend_tensor(x):
        from lamina import ops

        shape = tuple(ops.shape(x))
        if len(shape) > 1 and shape[-1] == 1:
            x = ops.reshape(x, shape[:-1])
        if num_classes is None:
            num_classes = int(ops.convert_to_numpy(ops.max(x))) + 1
        return ops.one_hot(x, num_classes)
    array = np.asarray(x)
    if array.size and array.dtype.kind == "f" and not np.all(np.mod(array, 1) == 0):
        raise ValueError(f"to_categorical expected integer class labels, received non-integer values "
                         f"such as {array.ravel()[np.mod(array.ravel(), 1) != 0][0]!r}.")
    if array.dtype.kind not in "iufb":
        raise TypeError(f"to_categorical expected integer class labels, received dtype {array.dtype}.")
    array = array.astype("int64")
    shape = array.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = array.reshape(-1)
    if num_classes is None:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    if flat.size and (flat.min() < 0 or flat.max() >= num_classes):
        raise ValueError(f"to_categorical expected labels in [0, {num_classes}), received labels from "
                         f"{flat.min()} to {flat.max()}.")
    out = np.zeros((flat.shape[0], num_classes))
    out[np.arange(flat.shape[0]), flat] = 1
    return out.reshape(shape + (num_classes,))


@keras_export("keras.utils")
def normalize(x, axis=-1, order=2):
    """Divides ``x`` by its ``order``-norm along ``axis`` (zero norms are left alone).

    A NumPy array gives a NumPy array; a backend tensor goes through
    ``ops.normalize`` and stays a backend tensor.

    Args:
        x: the array.
        axis: the axis to normalize along.
        order: the norm's order (2 for L2).

    Returns:
        The normalized copy.

    Example:
        >>> lamina.utils.normalize(np.array([[3.0, 4.0]]))
        array([[0.6, 0.8]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis if axis is not None else -1)
    from lamina import ops

    return ops.normalize(x, axis=axis, order=order)
