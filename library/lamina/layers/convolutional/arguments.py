"""Argument checks shared by the convolution, pooling and reshaping layers.

Example:
    >>> standardize_tuple(3, 2, "kernel_size")
    (3, 3)
"""


def standardize_tuple(value, n, name, allow_zero=False):
    """``value`` (an int or ``n`` ints) as a tuple of ``n`` ints, checked.

    Args:
        value: an int or an iterable of ``n`` ints.
        n: the length of the result.
        name: the argument's name, for error messages.
        allow_zero: accept zeros (else every value must be positive).

    Returns:
        A tuple of ``n`` ints.

    Example:
        >>> standardize_tuple((1, 2), 2, "strides")
        (1, 2)
    """
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n:
            raise ValueError(message)
        for v in values:
            try:
                int(v)
            except (ValueError, TypeError):
                raise ValueError(f"{message}, including element {v!r} of type {type(v)}") from None
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        raise ValueError(
            f"{message}, including values {bad} that do not satisfy "
            f"`value {'>= 0' if allow_zero else '> 0'}`"
        )
    return values


def standardize_padding(value, allow_causal=False):
    """``"valid"``, ``"same"`` (or ``"causal"`` when allowed), lower-cased.

    Example:
        >>> standardize_padding("SAME")
        'same'
    """
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {', '.join(repr(a) for a in allowed)}. "
            f"Received: padding={value!r}"
        )
    return padding


def channel_dim(layer, input_shape):
    """The channel size of ``input_shape`` for ``layer.data_format``; a clear
    error when it is unknown.

    Example:
        >>> channel_dim(conv, (None, 8, 8, 3))
        3
    """
    channels = input_shape[-1] if layer.data_format == "channels_last" else input_shape[1]
    if channels is None:
        raise ValueError(
            f"Layer {layer.name!r} needs a known channel dimension (data_format="
            f"{layer.data_format!r}), received input shape {tuple(input_shape)}."
        )
    return channels


def check_rank(layer, input_shape, rank):
    """Raises a ValueError naming the layer when ``input_shape`` is not of rank ``rank + 2``."""
    if len(input_shape) != rank + 2:
        raise ValueError(
            f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected '
            f"ndim={rank + 2}, found ndim={len(input_shape)}. Full shape received: "
            f"{tuple(input_shape)}"
        )
