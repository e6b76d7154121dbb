"""InputSpec: what a layer accepts (rank, axes sizes, dtype), checked on every call.

Example:
    >>> spec = InputSpec(ndim=2, axes={-1: 3})
    >>> assert_input_compatibility(spec, np.ones((4, 3)), "dense")
"""

from lamina import tree
from lamina.backend.common import dtypes


class InputSpec:
    """Constraints on a layer's input.

    Args:
        dtype: the expected dtype.
        shape: the expected shape (None for any size on an axis).
        ndim: the expected rank.
        max_ndim: the largest rank accepted.
        min_ndim: the smallest rank accepted.
        axes: ``{axis: size}`` for axes whose size is fixed.
        allow_last_axis_squeeze: accept a missing trailing axis of size 1.
        name: the input's name (for dict inputs).
        optional: whether the input may be None.

    Example:
        >>> InputSpec(min_ndim=2, axes={-1: 8})
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtypes.standardize_dtype(dtype) if dtype is not None else None
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def __repr__(self):
        fields = {k: v for k, v in vars(self).items() if v not in (None, {}, False)}
        return "InputSpec(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises a ValueError naming the layer, the expected and the received shape."""
    if input_spec is None:
        return
    specs = tree.flatten(input_spec)
    flat = tree.flatten(inputs)
    if len(specs) != len(flat) and len(specs) != 1:
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} '
            "input tensors."
        )
    for spec, x in zip(specs, flat if len(specs) == len(flat) else flat[:1]):
        if spec is None:
            continue
        if x is None:
            if spec.optional:
                continue
            raise ValueError(f'Layer "{layer_name}" received None for a required input.')
        shape = getattr(x, "shape", None)
        if shape is None:
            continue
        shape = tuple(None if d is None else int(d) for d in shape)
        rank = len(shape)
        where = f'Input 0 of layer "{layer_name}" is incompatible with the layer'
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
            raise ValueError(f"{where}: expected ndim={spec.ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        if spec.max_ndim is not None and rank > spec.max_ndim:
            raise ValueError(f"{where}: expected max_ndim={spec.max_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        if spec.min_ndim is not None and rank < spec.min_ndim:
            raise ValueError(f"{where}: expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        for axis, size in spec.axes.items():
            if size is None:
                continue
            if -rank <= axis < rank and shape[axis] is not None and shape[axis] != size:
                raise ValueError(
                    f"{where}: expected axis {axis} of the input shape to have value {size}, "
                    f"but received input with shape {shape}"
                )
        if spec.shape is not None and rank == len(spec.shape):
            for want, got in zip(spec.shape, shape):
                if want is not None and got is not None and want != got:
                    raise ValueError(f"{where}: expected shape={spec.shape}, found shape={shape}")
