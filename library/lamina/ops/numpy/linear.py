"""NumPy-style ops: products (matmul, dot, einsum, tensordot...), trace, cross, vectorize."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "tensordot", "trace", "vdot",
    "vectorize",
]


def _merge(a, b, message):
    if a is None:
        return b
    if b is None or a == b:
        return a
    raise ValueError(message)


def _prod(dims):
    if any(d == 0 for d in dims):
        return 0
    if any(d is None for d in dims):
        return None
    return int(np.prod(dims, dtype=np.int64))


def _operands(x1, x2):
    return (rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2"),
            rules.dtype_of(x1, "x1"), rules.dtype_of(x2, "x2"))


def matmul_dtype(d1, d2):
    """Keras's matmul dtype: int8 x int8 gives int32, else the promoted dtype."""
    if d1 == "int8" and d2 == "int8":
        return "int32"
    return dtypes.result_type(d1, d2)


# -- rules -------------------------------------------------------------------------

def _matmul_rule(x1, x2):
    s1, s2, d1, d2 = _operands(x1, x2)
    if not s1 or not s2:
        raise ValueError(f"matmul needs tensors of rank >= 1, received shapes {s1} and {s2}.")
    a = (1,) + tuple(s1) if len(s1) == 1 else tuple(s1)
    b = tuple(s2) + (1,) if len(s2) == 1 else tuple(s2)
    _merge(a[-1], b[-2], f"the last axis of x1 {s1} must match the "
           f"{'only' if len(s2) == 1 else 'second to last'} axis of x2 {s2}.")
    batch = rules.broadcast_shapes(a[:-2], b[:-2])
    out = batch + (a[-2],) * (len(s1) > 1) + (b[-1],) * (len(s2) > 1)
    return rules.spec(out, matmul_dtype(rules.tensor_dtype(x1, "x1"), rules.tensor_dtype(x2, "x2")))


def _dot_rule(x1, x2):
    s1, s2, d1, d2 = _operands(x1, x2)
    dtype = dtypes.result_type(d1, d2)
    if not s1 or not s2:
        return rules.spec(rules.broadcast_shapes(s1, s2), dtype)
    k2 = s2[0] if len(s2) == 1 else s2[-2]
    _merge(s1[-1], k2, f"shapes {s1} and {s2} are not aligned: {s1[-1]} (dim {len(s1) - 1}) "
           f"!= {k2}.")
    if len(s2) == 1:
        return rules.spec(tuple(s1[:-1]), dtype)
    return rules.spec(tuple(s1[:-1]) + tuple(s2[:-2]) + (s2[-1],), dtype)


def tensordot_axes(r1, r2, axes):
    """``axes`` of tensordot as two lists of canonical axes."""
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        if axes < 0 or axes > min(r1, r2):
            raise ValueError(f"`axes`={axes} must be between 0 and the smaller rank "
                             f"{min(r1, r2)}.")
        return list(range(r1 - axes, r1)), list(range(axes))
    if isinstance(axes, (list, tuple)) and len(axes) == 2:
        a, b = axes
        a = [a] if isinstance(a, (int, np.integer)) else list(a)
        b = [b] if isinstance(b, (int, np.integer)) else list(b)
        if len(a) != len(b):
            raise ValueError(f"`axes` must pair the same number of axes, received {axes}.")
        return ([rules.canonical_axis(i, r1, "axes") for i in a],
                [rules.canonical_axis(i, r2, "axes") for i in b])
    raise TypeError(f"expected an int or a pair of axis lists for `axes`, received {axes!r}.")


def _tensordot_rule(x1, x2, axes=2):
    s1, s2, d1, d2 = _operands(x1, x2)
    a, b = tensordot_axes(len(s1), len(s2), axes)
    for i, j in zip(a, b):
        _merge(s1[i], s2[j], f"contracted dimensions differ: axis {i} of x1 {s1} and axis {j} "
               f"of x2 {s2}.")
    out = tuple(d for i, d in enumerate(s1) if i not in a) + tuple(
        d for i, d in enumerate(s2) if i not in b)
    return rules.spec(out, dtypes.result_type(d1, d2))


def _parse_einsum(subscripts, shapes):
    if not isinstance(subscripts, str):
        raise TypeError(f"expected a string for `subscripts`, received {rules.describe(subscripts)}.")
    text = subscripts.replace(" ", "")
    if "->" in text:
        lhs, rhs = text.split("->")
    else:
        lhs, rhs = text, None
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"the subscripts {subscripts!r} name {len(terms)} operands, received "
                         f"{len(shapes)}.")
    sizes, ell_shapes = {}, []
    for term, shape in zip(terms, shapes):
        labels = term.replace("...", "")
        if not labels.isalpha() and labels:
            raise ValueError(f"invalid subscripts {subscripts!r}.")
        n_ell = len(shape) - len(labels)
        if ("..." in term and n_ell < 0) or ("..." not in term and n_ell != 0):
            raise ValueError(f"the term {term!r} does not match an operand of shape {shape}.")
        if "..." in term:
            pre = term.index("...")
            ell_shapes.append(tuple(shape[pre:pre + n_ell]))
            dims = list(shape[:pre]) + list(shape[pre + n_ell:])
        else:
            dims = list(shape)
        for label, d in zip(labels, dims):
            if label in sizes and sizes[label] not in (None, 1) and d not in (None, 1):
                if sizes[label] != d:
                    raise ValueError(f"the label {label!r} has sizes {sizes[label]} and {d}.")
            if label not in sizes or sizes[label] in (None, 1):
                sizes[label] = d if label not in sizes or d != 1 else sizes[label]
    ell = rules.broadcast_shapes(*ell_shapes) if ell_shapes else ()
    if rhs is None:
        counts = {}
        for c in lhs.replace("...", "").replace(",", ""):
            counts[c] = counts.get(c, 0) + 1
        out = list(ell) + [sizes[c] for c in sorted(c for c, n in counts.items() if n == 1)]
    else:
        if "..." in rhs:
            pre, post = rhs.split("...")
        else:
            pre, post = rhs, ""
        for c in pre + post:
            if c not in sizes:
                raise ValueError(f"the output label {c!r} is not among the inputs of {subscripts!r}.")
        out = [sizes[c] for c in pre] + (list(ell) if "..." in rhs else []) + [sizes[c] for c in post]
    return tuple(out)


def _einsum_rule(subscripts, *operands, **kwargs):
    shapes = [rules.shape_of(x, "operands") for x in operands]
    dts = sorted({rules.tensor_dtype(x, "operands") for x in operands})
    dtype = "int32" if dts == ["int8"] else dtypes.result_type(*[rules.dtype_of(x) for x in operands])
    return rules.spec(_parse_einsum(subscripts, shapes), dtype)


def _inner_rule(x1, x2):
    s1, s2, d1, d2 = _operands(x1, x2)
    dtype = dtypes.result_type(d1, d2)
    if not s1 or not s2:
        return rules.spec(rules.broadcast_shapes(s1, s2), dtype)
    _merge(s1[-1], s2[-1], f"the last dimensions of x1 {s1} and x2 {s2} must match.")
    return rules.spec(tuple(s1[:-1]) + tuple(s2[:-1]), dtype)


def _kron_rule(x1, x2):
    s1, s2, d1, d2 = _operands(x1, x2)
    n = max(len(s1), len(s2))
    a = (1,) * (n - len(s1)) + tuple(s1)
    b = (1,) * (n - len(s2)) + tuple(s2)
    return rules.spec(tuple(_prod([p, q]) for p, q in zip(a, b)), dtypes.result_type(d1, d2))


def _outer_rule(x1, x2):
    s1, s2, d1, d2 = _operands(x1, x2)
    return rules.spec((_prod(s1), _prod(s2)), dtypes.result_type(d1, d2))


def trace_dtype(dtype, backend_name=None):
    """Keras's trace dtype: small ints and bool accumulate in int32 (unsigned in uint32)."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        from lamina.backend import config

        return "int32" if (backend_name or config.backend()) == "torch" else "uint32"
    return dtype


def _trace_rule(x, offset=0, axis1=0, axis2=1):
    shape = rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"expected a tensor of rank >= 2, received shape {shape}.")
    a = rules.canonical_axis(axis1, len(shape), "axis1")
    b = rules.canonical_axis(axis2, len(shape), "axis2")
    if a == b:
        raise ValueError(f"`axis1` and `axis2` must differ, received {axis1} and {axis2}.")
    out = tuple(d for i, d in enumerate(shape) if i not in (a, b))
    return rules.spec(out, trace_dtype(rules.tensor_dtype(x)))


def _vdot_rule(x1, x2):
    s1, s2, d1, d2 = _operands(x1, x2)
    _merge(_prod(s1), _prod(s2), f"x1 {s1} and x2 {s2} must have the same number of elements.")
    return rules.spec((), dtypes.result_type(d1, d2))


def _cross_rule(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    s1, s2, d1, d2 = _operands(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    if not s1 or not s2:
        raise ValueError(f"expected tensors of rank >= 1, received shapes {s1} and {s2}.")
    a = rules.canonical_axis(axisa, len(s1), "axisa")
    b = rules.canonical_axis(axisb, len(s2), "axisb")
    na, nb = s1[a], s2[b]
    for n, s in ((na, s1), (nb, s2)):
        if n is not None and n not in (2, 3):
            raise ValueError(f"the vector axis must have 2 or 3 components, received shapes "
                             f"{s1} and {s2}.")
    rest1 = tuple(d for i, d in enumerate(s1) if i != a)
    rest2 = tuple(d for i, d in enumerate(s2) if i != b)
    batch = list(rules.broadcast_shapes(rest1, rest2))
    if na == 2 and nb == 2:
        return rules.spec(tuple(batch), dtypes.result_type(d1, d2))
    c = rules.canonical_axis(axisc, len(batch) + 1, "axisc")
    batch.insert(c, 3 if (na == 3 or nb == 3) else None)
    return rules.spec(tuple(batch), dtypes.result_type(d1, d2))


def _vectorize_rule(pyfunc, *, excluded=None, signature=None):
    if not callable(pyfunc):
        raise TypeError(f"expected a callable for `pyfunc`, received {rules.describe(pyfunc)}.")
    return None


# -- ops ---------------------------------------------------------------------------

@op(_cross_rule)
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 2- or 3-component vectors, with broadcasting.

    Example:
        >>> lamina.ops.cross(np.array([1.0, 0, 0]), np.array([0.0, 1, 0]))
        # [0, 0, 1]
    """


@op(_dot_rule)
def dot(x1, x2):
    """NumPy's dot: inner product of vectors, matrix product, sum over the last axis of
    ``x1`` and the second to last of ``x2``.

    Example:
        >>> lamina.ops.dot(np.array([1, 2]), np.array([3, 4]))
        # 11
    """


@op(_einsum_rule)
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation, e.g. ``"ij,jk->ik"`` (``...`` broadcasts batch axes).

    Example:
        >>> lamina.ops.einsum("ij,j->i", np.ones((2, 3)), np.ones(3))
        # [3, 3]
    """


@op(_inner_rule)
def inner(x1, x2):
    """Inner product over the last axes of ``x1`` and ``x2``.

    Example:
        >>> lamina.ops.inner(np.array([1, 2]), np.array([3, 4]))
        # 11
    """


@op(_kron_rule)
def kron(x1, x2):
    """Kronecker product.

    Example:
        >>> lamina.ops.kron(np.eye(2), np.ones((2, 2))).shape
        (4, 4)
    """


@op(_matmul_rule)
def matmul(x1, x2):
    """Matrix product with batch broadcasting (1-D operands act as vectors).

    ``int8 @ int8`` gives ``int32``; other dtypes promote.

    Example:
        >>> lamina.ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
        (2, 4)
    """


@op(_outer_rule)
def outer(x1, x2):
    """Outer product of the flattened ``x1`` and ``x2``.

    Example:
        >>> lamina.ops.outer(np.array([1, 2]), np.array([1, 10]))
        # [[1, 10], [2, 20]]
    """


@op(_tensordot_rule)
def tensordot(x1, x2, axes=2):
    """Sums products over ``axes`` (the last/first ``axes`` axes, or explicit lists).

    Example:
        >>> lamina.ops.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
        (2, 4)
    """


@op(_trace_rule)
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal of the plane of ``axis1`` and ``axis2``.

    Example:
        >>> lamina.ops.trace(np.eye(3))
        # 3.0
    """


@op(_vdot_rule)
def vdot(x1, x2):
    """Dot product of the flattened tensors (conjugating ``x1``).

    Example:
        >>> lamina.ops.vdot(np.array([1, 2]), np.array([3, 4]))
        # 11
    """


@op(_vectorize_rule)
def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns a function of tensors into one that maps over leading axes.

    Args:
        pyfunc: the function.
        excluded: positions or names of arguments passed through unchanged.
        signature: a generalized ufunc signature like ``"(n),(n)->()"``; without
            it the function is applied element-wise.

    Returns:
        The vectorized function.

    Example:
        >>> f = lamina.ops.vectorize(lambda a, b: lamina.ops.dot(a, b), signature="(n),(n)->()")
        >>> f(np.ones((4, 3)), np.ones((4, 3))).shape
        (4,)
    """
