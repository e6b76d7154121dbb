"""KerasTensor: a symbolic tensor with a shape and a dtype but no values.

Ops applied to KerasTensors infer the output shape and dtype without computing
anything, and record the graph that functional models are built from.

Example:
    >>> x = lamina.KerasTensor((None, 3), dtype="float32")
    >>> (x * 2).shape
    (None, 3)
"""

from lamina.backend.common import dtypes


def _standardize_shape(shape, owner="KerasTensor"):
    if shape is None:
        raise ValueError(f"{owner} needs a shape, received None.")
    if not hasattr(shape, "__iter__"):
        raise ValueError(f"{owner} expected a shape tuple, received {shape!r}.")
    out = []
    for dim in shape:
        if dim is None:
            out.append(None)
            continue
        if hasattr(dim, "item") and not isinstance(dim, int):  # numpy / tensor scalars
            dim = dim.item()
        if isinstance(dim, bool) or not isinstance(dim, int):
            raise ValueError(
                f"{owner} expected a shape of non-negative ints or None, received {tuple(shape)!r}."
            )
        if dim < 0:
            raise ValueError(f"{owner} expected non-negative dimensions, received {tuple(shape)!r}.")
        out.append(int(dim))
    return tuple(out)


class KerasTensor:
    """A symbolic tensor: shape, dtype, and where it came from in a graph.

    Args:
        shape: a tuple of ints or None (unknown size).
        dtype: a dtype name (default ``floatx()``).
        sparse: whether the tensor is sparse.
        name: an optional name.

    Example:
        >>> KerasTensor((2, None)).ndim
        2
    """

    __array_priority__ = 1000  # numpy defers to our operators

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, name=None, record_history=True):
        self._shape = _standardize_shape(shape)
        self._dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name
        self._keras_history = None

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, value):
        self._shape = _standardize_shape(value)

    @property
    def dtype(self):
        return self._dtype

    @dtype.setter
    def dtype(self, value):
        self._dtype = dtypes.standardize_dtype(value)

    @property
    def ndim(self):
        return len(self._shape)

    def reshape(self, newshape):
        from lamina import ops

        return ops.reshape(self, newshape)

    def squeeze(self, axis=None):
        from lamina import ops

        return ops.squeeze(self, axis=axis)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}{name}>"

    def __iter__(self):
        raise TypeError(
            "Iterating over a symbolic KerasTensor is not supported: its values are unknown "
            "until the model runs. Use ops such as lamina.ops.unstack instead."
        )

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python bool.")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic KerasTensor has no values to convert to a NumPy array. It stands for "
            "a tensor in a model graph; call the model on real data to get values."
        )

    def __len__(self):
        if not self._shape or self._shape[0] is None:
            raise TypeError(f"len() of a KerasTensor with shape {self._shape} is unknown.")
        return self._shape[0]

    def __hash__(self):
        return id(self)

    def __getitem__(self, key):
        from lamina import ops

        return ops.get_item(self, key)


def _binary(name, reflected=False):
    def method(self, other):
        from lamina import ops

        fn = getattr(ops, name)
        return fn(other, self) if reflected else fn(self, other)

    method.__name__ = name
    return method


def _unary(name):
    def method(self):
        from lamina import ops

        return getattr(ops, name)(self)

    return method


_BINARY = {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
    "floordiv": "floor_divide", "mod": "mod", "pow": "power", "matmul": "matmul",
    "and": "logical_and", "or": "logical_or", "xor": "logical_xor",
}
for _dunder, _op in _BINARY.items():
    setattr(KerasTensor, f"__{_dunder}__", _binary(_op))
    setattr(KerasTensor, f"__r{_dunder}__", _binary(_op, reflected=True))
for _dunder, _op in {"lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal",
                     "ne": "not_equal", "eq": "equal"}.items():
    setattr(KerasTensor, f"__{_dunder}__", _binary(_op))
for _dunder, _op in {"neg": "negative", "pos": "identity", "abs": "absolute", "invert": "bitwise_invert"}.items():
    setattr(KerasTensor, f"__{_dunder}__", _unary(_op))


def is_keras_tensor(x):
    """True when ``x`` is a symbolic KerasTensor.

    Example:
        >>> is_keras_tensor(lamina.KerasTensor((1,)))
        True
    """
    return isinstance(x, KerasTensor)


def any_symbolic(args, kwargs=None):
    """True when a KerasTensor appears in ``args`` or ``kwargs`` (two levels deep)."""
    for a in args:
        if isinstance(a, KerasTensor):
            return True
        if isinstance(a, (list, tuple)):
            for b in a:
                if isinstance(b, KerasTensor):
                    return True
        elif isinstance(a, dict):
            for b in a.values():
                if isinstance(b, KerasTensor):
                    return True
    if kwargs:
        return any_symbolic(kwargs.values())
    return False
