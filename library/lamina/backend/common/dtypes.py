"""Dtype names and the one type-promotion table shared by every backend.

Dtypes are plain strings (``"float32"``). Promotion follows a lattice in which
Python scalars are *weak*: ``int32 tensor + 1.5`` is ``float32``, not
``float64``, and ``int8 tensor + 3`` stays ``int8``.

Example:
    >>> result_type("int32", "float16")
    'float16'
    >>> result_type("uint8", "int8")
    'int16'
"""

import functools

from lamina.backend import config

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
WEAK_TYPES = ("int", "float", "complex")
ALLOWED_DTYPES = BOOL_TYPES + INT_TYPES + FLOAT_TYPES + COMPLEX_TYPES + ("string",)

# Each dtype points to the dtypes just above it; the least upper bound of a set
# of dtypes is the promoted type.
_LATTICE = {
    "bool": ("int",),
    "int": ("uint8", "int8"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16", "complex"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex": ("complex64",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds():
    bounds = {}

    def visit(node):
        if node not in bounds:
            found = {node}
            for parent in _LATTICE[node]:
                found |= visit(parent)
            bounds[node] = frozenset(found)
        return bounds[node]

    for node in _LATTICE:
        visit(node)
    return bounds


_UPPER = _upper_bounds()

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "bool_": "bool",
    "str": "string",
    "object": "string",
}


@functools.lru_cache(maxsize=512)
def _standardize_name(name):
    name = _ALIASES.get(name, name)
    for prefix in ("torch.", "tf.", "<dtype: '"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    name = name.rstrip("'>")
    if name in ("float", "int"):
        name = _ALIASES[name]
    if name == "float0":  # jax's dtype of gradients w.r.t. integers
        return "bool"
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {name!r}. Expected one of {ALLOWED_DTYPES}.")
    return name


def standardize_dtype(dtype=None):
    """Returns the standard string name of ``dtype``.

    Accepts strings, NumPy dtypes, Python types and the dtypes of every backend.
    ``None`` gives ``floatx()``.

    Example:
        >>> standardize_dtype(np.float32)
        'float32'
    """
    if dtype is None:
        return config.floatx()
    if dtype is int:
        return "int64" if config.backend() == "tensorflow" else "int32"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
    if isinstance(dtype, str):
        return _standardize_name(dtype)
    name = getattr(dtype, "name", None)
    if not isinstance(name, str):
        name = str(dtype)
    return _standardize_name(name)


def is_float_dtype(dtype):
    """True for float dtypes (``bfloat16`` to ``float64``).

    Example:
        >>> is_float_dtype("float16")
        True
    """
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int_dtype(dtype):
    """True for signed and unsigned integer dtypes.

    Example:
        >>> is_int_dtype("uint8")
        True
    """
    return standardize_dtype(dtype) in INT_TYPES


def is_complex_dtype(dtype):
    """True for complex dtypes."""
    return standardize_dtype(dtype) in COMPLEX_TYPES


def dtype_size(dtype):
    """Returns the size of one element of ``dtype`` in bits."""
    dtype = standardize_dtype(dtype)
    if dtype == "bool":
        return 8
    digits = "".join(c for c in dtype if c.isdigit())
    return int(digits)


def _weak_name(dtype):
    if dtype == "bool":
        return dtype
    if dtype in FLOAT_TYPES:
        return "float"
    if dtype in COMPLEX_TYPES:
        return "complex"
    return "int"


def _resolve_weak(weak):
    floatx = config.floatx()
    if weak == "float":
        return floatx
    if weak == "complex":
        return "complex128" if floatx == "float64" else "complex64"
    return "int64" if floatx == "float64" else "int32"


def _least_upper_bound(nodes):
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    for candidate in common:
        if _UPPER[candidate] == common:
            return candidate
    raise ValueError(f"No common dtype for {sorted(nodes)}.")


@functools.lru_cache(maxsize=1024)
def _promote(entries, floatx):
    """``entries``: tuple of (dtype, is_weak) pairs; ``floatx`` keys the cache."""
    # A weak scalar joins the lattice by kind only ("int", "float").
    nodes = {(_weak_name(d) if w else d) for d, w in entries}
    out = _least_upper_bound(nodes)
    if out in WEAK_TYPES:
        out = _resolve_weak(out)
    return _narrow_64_bit(out)


def _narrow_64_bit(dtype):
    """As in Keras: 64-bit results become 32-bit, except int64/float64 on TensorFlow."""
    if dtype in ("uint64", "complex128"):
        return {"uint64": "uint32", "complex128": "complex64"}[dtype]
    if dtype in ("int64", "float64") and config.backend() != "tensorflow":
        return {"int64": "int32", "float64": "float32"}[dtype]
    return dtype


def _entry(value):
    if value is None:
        return (config.floatx(), False)
    if type(value) is bool:
        return ("bool", False)
    if type(value) is int:
        return ("int32", True)
    if type(value) is float:
        return ("float32", True)
    if type(value) is complex:
        return ("complex64", True)
    if value is int:
        return ("int32", True)
    if value is float:
        return ("float32", True)
    if value is bool:
        return ("bool", False)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bool):
        return (standardize_dtype(value[0]), value[1])
    return (standardize_dtype(value), False)


def result_type(*dtypes):
    """Returns the dtype that an op on arguments of ``dtypes`` produces.

    Each argument is a dtype, or a Python scalar or Python type (``int``,
    ``float``), which counts as weakly typed.

    Example:
        >>> result_type("int32", float)
        'float32'
        >>> result_type("float16", "float32")
        'float32'
    """
    if not dtypes:
        return config.floatx()
    return _promote(tuple(_entry(d) for d in dtypes), config.floatx())


def float_result_type(*dtypes):
    """The promoted dtype, made floating: ints and bool become ``floatx``.

    Example:
        >>> float_result_type("int32")
        'float32'
    """
    out = result_type(*dtypes)
    if out in FLOAT_TYPES or out in COMPLEX_TYPES:
        return out
    if out == "int64":
        return config.floatx()
    return result_type(out, float)
