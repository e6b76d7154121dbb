"""Shared checks of the normalization layers."""


def check_axes(axis, input_shape, name=None):
    """Raises a ValueError when an axis is out of range for ``input_shape``.

    Example:
        >>> check_axes(-1, (None, 3))
    """
    for a in axis if isinstance(axis, (list, tuple)) else [axis]:
        if a >= len(input_shape) or a < -len(input_shape):
            where = f"layer {name!r}: " if name else ""
            raise ValueError(
                f"{where}Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={axis}"
            )
    return input_shape
