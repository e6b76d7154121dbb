"""Per-dimension ``(before, after)`` amounts of the cropping and padding layers.

Example:
    >>> pairs(1, 2, "padding")
    ((1, 1), (1, 1))
"""

from lamina.layers.convolutional.arguments import standardize_tuple

_ORDINALS = ("1st", "2nd", "3rd")


def pairs(value, n, name):
    """``value`` (an int, ``n`` ints or ``n`` pairs) as ``n`` ``(before, after)`` pairs.

    Example:
        >>> pairs((1, (2, 3)), 2, "cropping")
        ((1, 1), (2, 3))
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value),) * n
    if hasattr(value, "__len__") and not isinstance(value, str):
        if len(value) != n:
            raise ValueError(f"`{name}` should have {n} elements. Received: {name}={value}.")
        return tuple(standardize_tuple(v, 2, f"{_ORDINALS[i]} entry of {name}", allow_zero=True)
                     for i, v in enumerate(value))
    raise ValueError(
        f"`{name}` should be either an int, a tuple of {n} ints, or a tuple of {n} tuples of "
        f"2 ints ((before, after) per spatial dimension). Received: {name}={value}."
    )


def spatial_axes(rank, data_format):
    """The spatial axes of a batched input of ``rank`` spatial dimensions."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))
