"""The backend-free part of ``lamina.Variable``.

Each backend subclasses :class:`Variable` to hold its own tensor type. Calling
``lamina.Variable(...)`` on the base class builds the active backend's subclass.

Example:
    >>> v = lamina.Variable(np.zeros((2, 2)), name="w")
    >>> v.assign_add(np.ones((2, 2)))
    >>> v.numpy().sum()
    4.0
"""

from lamina.backend.common import dtypes, global_state
from lamina.backend.common.keras_tensor import _standardize_shape
from lamina.backend.common.scopes import current_path, get_stateless_scope


def get_autocast_dtype():
    """The compute dtype that float variables are read as, or None."""
    return global_state.get_global_attribute("autocast_dtype")


class AutocastScope:
    """Reads float variables as ``dtype`` inside the scope (mixed precision).

    Example:
        >>> with AutocastScope("float16"):
        ...     v.value.dtype  # float16 for a float32 variable
    """

    def __init__(self, dtype):
        self.dtype = None if dtype is None else dtypes.standardize_dtype(dtype)

    def __enter__(self):
        self._parent = get_autocast_dtype()
        global_state.set_global_attribute("autocast_dtype", self.dtype)

    def __exit__(self, *exc):
        global_state.set_global_attribute("autocast_dtype", self._parent)
        return False


def _register_uninitialized(variable):
    pending = global_state.get_global_attribute("uninitialized_variables", [], set_to_default=True)
    pending.append(variable)


def initialize_all_variables():
    """Initializes the variables that were created inside a stateless scope."""
    pending = global_state.get_global_attribute("uninitialized_variables") or []
    for variable in pending:
        variable._deferred_initialize()
    global_state.set_global_attribute("uninitialized_variables", [])


class Variable:
    """A tensor whose value persists and can be assigned: weights, counters, state.

    Args:
        initializer: an initial value (array, tensor, number) or a callable
            ``initializer(shape, dtype)`` such as ``lamina.initializers.GlorotUniform()``.
        shape: the shape; required with a callable initializer.
        dtype: the dtype (default: the value's dtype, else ``floatx()``).
        trainable: whether gradients should update it.
        autocast: whether it is read in the compute dtype under mixed precision.
        aggregation: how distributed replicas combine it (kept for Keras compatibility).
        synchronization: kept for Keras compatibility.
        name: the name; ``path`` is the name prefixed by the enclosing name scopes.

    Example:
        >>> v = lamina.Variable(lamina.initializers.Ones(), shape=(2,), name="bias")
        >>> (v + 1).numpy()
        array([2., 2.], dtype=float32)
    """

    def __new__(cls, *args, **kwargs):
        if cls is Variable:
            from lamina.backend import impl

            cls = impl.core.Variable
        return super().__new__(cls)

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None):
        if name is None:
            name = _auto_name()
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Variable name must be a string without '/', received {name!r}."
            )
        self._name = name
        parent = current_path()
        self._path = f"{parent}/{name}" if parent else name
        self.trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._aggregation = aggregation
        self._synchronization = synchronization
        self.regularizer = None
        self.constraint = None
        self.overwrite_with_gradient = False
        self._value = None
        self._initializer = None
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable {name!r}: a callable initializer needs a shape, received shape=None."
                )
            self._shape = _standardize_shape(shape, f"Variable {name!r}")
            self._dtype = dtypes.standardize_dtype(dtype)
            self._initializer = initializer
            if get_stateless_scope() is not None:
                _register_uninitialized(self)  # initialized when the scope exits
            else:
                self._deferred_initialize()
        else:
            value = self._convert_to_tensor(initializer, dtype)
            self._dtype = dtypes.standardize_dtype(value.dtype if dtype is None else dtype)
            self._shape = tuple(int(d) for d in value.shape)
            if shape is not None and _standardize_shape(shape) != self._shape:
                raise ValueError(
                    f"Variable {name!r}: the initial value has shape {self._shape}, "
                    f"but shape={tuple(shape)} was given."
                )
            self._initialize(value)

    # -- to be provided by each backend ------------------------------------
    def _initialize(self, value):
        raise NotImplementedError

    def _convert_to_tensor(self, value, dtype=None):
        raise NotImplementedError

    def _direct_assign(self, value):
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------
    def _deferred_initialize(self):
        if self._value is not None:
            return
        value = self._initializer(self._shape, dtype=self._dtype)
        self._initialize(self._convert_to_tensor(value, self._dtype))

    def _maybe_autocast(self, value):
        if not self._autocast:
            return value
        target = get_autocast_dtype()
        if target is None or target == self._dtype or self._dtype not in dtypes.FLOAT_TYPES:
            return value
        from lamina.backend import impl

        return impl.core.cast(value, target)

    @property
    def value(self):
        """The current value, as a backend tensor."""
        scope = get_stateless_scope()
        if scope is not None:
            current = scope.get_current_value(self)
            if current is not None:
                return self._maybe_autocast(current)
        if self._value is None:
            # Created in a stateless scope and not initialized yet.
            return self._maybe_autocast(
                self._convert_to_tensor(self._initializer(self._shape, dtype=self._dtype), self._dtype)
            )
        return self._maybe_autocast(self._value)

    def assign(self, value):
        """Sets the value; the shape must match. Returns the new value.

        Example:
            >>> v.assign(np.zeros(v.shape))
        """
        value = self._convert_to_tensor(value, self._dtype)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                f"Variable {self.path!r} has shape {self._shape}; cannot assign a value of "
                f"shape {tuple(value.shape)}."
            )
        scope = get_stateless_scope()
        if scope is not None:
            scope.add_update(self, value)
        else:
            self._direct_assign(value)
        return value

    def assign_add(self, value):
        """Adds ``value`` to the variable in place."""
        return self.assign(self + value)

    def assign_sub(self, value):
        """Subtracts ``value`` from the variable in place."""
        return self.assign(self - value)

    @property
    def name(self):
        return self._name

    @property
    def path(self):
        return self._path

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        target = get_autocast_dtype()
        if self._autocast and target is not None and self._dtype in dtypes.FLOAT_TYPES:
            return target
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def initializer(self):
        return self._initializer

    def numpy(self):
        """Returns the value as a NumPy array."""
        import numpy as np

        from lamina.backend import impl

        # A copy: on torch and numpy the backend array would share memory with the
        # variable, so a snapshot (get_weights) would change as training goes on.
        return np.array(impl.core.convert_to_numpy(self.value), copy=True)

    def __array__(self, dtype=None, copy=None):
        import numpy as np

        out = np.asarray(self.numpy())
        return out if dtype is None else out.astype(dtype)

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self.shape}, dtype={self._dtype}, "
                f"value={self.numpy()!r}>")

    def __bool__(self):
        return bool(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __len__(self):
        return self._shape[0]

    def __hash__(self):
        return id(self)

    def __getitem__(self, key):
        return self.value.__getitem__(key)

    def __iter__(self):
        return iter(self.value)


def _auto_name():
    uid = global_state.get_uid("variable")
    return "variable" if uid == 1 else f"variable_{uid - 1}"


def _op_method(op_name, reflected=False):
    def method(self, other=None):
        from lamina import ops

        fn = getattr(ops, op_name)
        if other is None and op_name in _UNARY_OPS:
            return fn(self.value)
        return fn(other, self.value) if reflected else fn(self.value, other)

    method.__name__ = op_name
    return method


_UNARY_OPS = {"negative", "identity", "absolute", "bitwise_invert"}

for _dunder, _op in {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
    "floordiv": "floor_divide", "mod": "mod", "pow": "power", "matmul": "matmul",
    "and": "logical_and", "or": "logical_or", "xor": "logical_xor",
}.items():
    setattr(Variable, f"__{_dunder}__", _op_method(_op))
    setattr(Variable, f"__r{_dunder}__", _op_method(_op, reflected=True))
for _dunder, _op in {"lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal",
                     "ne": "not_equal", "eq": "equal"}.items():
    setattr(Variable, f"__{_dunder}__", _op_method(_op))
for _dunder, _op in {"neg": "negative", "pos": "identity", "abs": "absolute",
                     "invert": "bitwise_invert"}.items():
    setattr(Variable, f"__{_dunder}__", _op_method(_op))
