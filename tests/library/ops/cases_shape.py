"""Conformance cases: shape manipulation ops (reshape, transpose, join, split, pad...)."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand

DTYPES = ("float32", "float16", "int32", "bool")


def _list(fn):
    """A reference returning a list (split-like ops)."""
    return lambda *a, **k: list(fn(*a, **k))


CASES = []

# -- reshape, ravel, transpose, axes -----------------------------------------------------
for dt in DTYPES:
    CASES += [
        Case("reshape", (rand((2, 3), dt), (3, 2)), ref=np.reshape),
        Case("transpose", (rand((2, 3, 4), dt),), ref=np.transpose),
        Case("ravel", (rand((2, 3), dt),), ref=np.ravel),
        Case("flip", (rand((2, 3), dt),), {"axis": -1}, ref=np.flip),
        Case("expand_dims", (rand((2, 3), dt), 1), ref=np.expand_dims),
        Case("squeeze", (rand((1, 3, 1), dt),), ref=np.squeeze),
        Case("tile", (rand((2,), dt), (2, 2)), ref=np.tile),
        Case("repeat", (rand((2, 2), dt), 2), {"axis": 1}, ref=np.repeat),
        Case("broadcast_to", (rand((3,), dt), (2, 3)), ref=np.broadcast_to),
    ]
CASES += [
    Case("reshape", (rand((2, 3, 4)), (-1, 4)), ref=np.reshape, grad=True),
    Case("reshape", (rand((2, 3)), (6,)), ref=np.reshape),
    Case("reshape", (rand((2, 3)), 6), ref=np.reshape),
    Case("reshape", (rand((0, 3)), (3, -1)), ref=np.reshape),
    Case("reshape", (rand(()), (1, 1)), ref=np.reshape),
    Case("reshape", (rand((4, 3)), (-1, 2, 3)), ref=np.reshape, id="reshape-minus1-first"),
    Case("transpose", (rand((2, 3, 4)),), {"axes": (1, 0, 2)}, ref=np.transpose, grad=True),
    Case("transpose", (rand((2, 3, 4)),), {"axes": (-1, 0, 1)}, ref=np.transpose),
    Case("transpose", (rand(()),), ref=np.transpose),
    Case("transpose", (rand((0, 2)),), ref=np.transpose),
    Case("ravel", (rand(()),), ref=np.ravel),
    # lamina knows 0 * None = 0 elements; Keras says None.
    Case("ravel", (rand((2, 0)),), ref=np.ravel, symbolic_none=False),
    Case("moveaxis", (rand((2, 3, 4)), 0, -1), ref=np.moveaxis, grad=True),
    Case("moveaxis", (rand((2, 3, 4)), (0, 1), (2, 0)), ref=np.moveaxis),
    Case("swapaxes", (rand((2, 3, 4)), 0, 2), ref=np.swapaxes, grad=True),
    Case("swapaxes", (rand((2, 3), "int32"), -1, 0), ref=np.swapaxes),
    Case("expand_dims", (rand(()), 0), ref=np.expand_dims),
    Case("expand_dims", (rand((2, 3)), -1), ref=np.expand_dims, grad=True),
    Case("expand_dims", (rand((2, 3)), (0, 3)), ref=np.expand_dims),
    Case("squeeze", (rand((1, 3, 1)),), {"axis": -1}, ref=np.squeeze, grad=True),
    # Keras refuses to squeeze an unknown (None) axis symbolically; lamina allows it.
    Case("squeeze", (rand((1, 3, 1)),), {"axis": (0, 2)}, ref=np.squeeze, symbolic_none=False),
    Case("squeeze", (rand((1,)),), ref=np.squeeze),
    Case("flip", (rand((2, 3)),), ref=np.flip, grad=True),
    Case("flip", (rand((2, 3, 2)),), {"axis": (0, 2)}, ref=np.flip),
    Case("flip", (rand(()),), ref=np.flip),
    Case("fliplr", (rand((2, 3)),), ref=np.fliplr, grad=True),
    Case("fliplr", (rand((2, 3, 2), "int32"),), ref=np.fliplr),
    Case("flipud", (rand((2, 3)),), ref=np.flipud, grad=True),
    Case("flipud", (rand((3,), "bool"),), ref=np.flipud),
    Case("roll", (rand((5,)), 2), ref=np.roll, grad=True),
    Case("roll", (rand((2, 3)), -1), ref=np.roll),
    Case("roll", (rand((2, 3), "int32"), 1), {"axis": 1}, ref=np.roll),
    Case("roll", (rand((2, 3)), (1, 2)), {"axis": (0, 1)}, ref=np.roll),
    Case("roll", (rand((0, 3)), 1), {"axis": 1}, ref=np.roll),
    Case("rot90", (rand((2, 3)),), ref=np.rot90, grad=True),
    # Keras's symbolic rot90 swaps the axes for k=2 too (wrong).
    Case("rot90", (rand((2, 3, 4)),), {"k": 2, "axes": (1, 2)}, ref=np.rot90,
         symbolic_none=False, keras=BACKEND != "tensorflow"),
    Case("rot90", (rand((2, 3), "int32"),), {"k": -1}, ref=np.rot90),
    Case("rot90", (rand((2, 3)),), {"k": 3, "axes": (1, 0)}, ref=np.rot90),
    Case("tile", (rand((2, 3)), 2), ref=np.tile, grad=True),
    Case("tile", (rand((2, 3)), (2, 1, 2)), ref=np.tile),
    Case("tile", (rand(()), (3,)), ref=np.tile),
    Case("repeat", (rand((2, 3)), 2), ref=np.repeat, grad=True),
    # Keras's jax backend rejects a list of repeats.
    Case("repeat", (rand((2, 3)), [1, 0, 2]), {"axis": -1}, ref=np.repeat,
         keras=BACKEND not in ("jax", "torch")),
    Case("repeat", (rand((0, 2)), 3), {"axis": 0}, ref=np.repeat),
    Case("broadcast_to", (rand((2, 1)), (2, 2, 3)), ref=np.broadcast_to, grad=True),
    Case("broadcast_to", (rand(()), (2,)), ref=np.broadcast_to),
    Case("broadcast_to", (rand((1, 3)), (0, 3)), ref=np.broadcast_to),
]



def _keras_pads(mode):
    """Keras's torch backend lacks (or gets wrong) symmetric, edge and wrap padding, and
    its tensorflow backend lacks edge and wrap."""
    if mode in ("constant", "reflect"):
        return True
    if BACKEND == "torch":
        return False
    return BACKEND != "tensorflow" or mode == "symmetric"


# -- pad ---------------------------------------------------------------------------------
for mode in ("constant", "reflect", "symmetric", "edge", "wrap"):
    CASES += [
        Case("pad", (rand((3, 4)), ((1, 2), (2, 1))), {"mode": mode},
             ref=lambda x, p, mode: np.pad(x, p, mode=mode), grad=mode in ("constant", "reflect"),
             keras=_keras_pads(mode)),
        Case("pad", (rand((2, 3, 4), "int32"), ((0, 0), (1, 1), (2, 0))), {"mode": mode},
             ref=lambda x, p, mode: np.pad(x, p, mode=mode), keras=_keras_pads(mode)),
    ]
CASES += [
    # For an int pad_width, Keras's torch backend pads only the last axis and its
    # tensorflow backend fails.
    Case("pad", (rand((2, 3)), 1), ref=np.pad, keras=BACKEND not in ("torch", "tensorflow")),
    Case("pad", (rand((4,)), (1, 2)), ref=np.pad),
    Case("pad", (rand((2, 2)), ((1, 1), (0, 2))), {"constant_values": 3.5}, ref=np.pad),
    Case("pad", (rand((2, 2), "float16"), ((1, 0), (0, 1))), ref=np.pad),
    Case("pad", (rand((2, 2), "bool"), ((1, 0), (0, 1))), ref=np.pad),
    Case("pad", (rand((0, 2)), ((1, 1), (1, 0))), ref=np.pad),
]

def _join(name, fn, xs, kwargs=None, **kw):
    # List arguments stay NumPy arrays (the harness makes tensors of array arguments
    # only), so the symbolic check would run eagerly: symbolic=False.
    return Case(name, (xs,), kwargs or {}, ref=lambda xs, **k: fn(xs, **k), tensor_args=(),
                symbolic=False, **kw)


# -- joining -----------------------------------------------------------------------------
for dt in DTYPES:
    CASES += [
        _join("concatenate", np.concatenate, [rand((2, 3), dt), rand((1, 3), dt, seed=1)]),
        _join("stack", np.stack, [rand((2, 3), dt), rand((2, 3), dt, seed=1)]),
    ]


CASES += [
    _join("concatenate", np.concatenate, [rand((2, 3)), rand((2, 1), seed=1)], {"axis": -1}),
    _join("concatenate", np.concatenate, [rand((2, 3), "int32"), rand((1, 3), seed=1)]),
    _join("concatenate", np.concatenate, [rand((0, 3)), rand((2, 3), seed=1)]),
    _join("concatenate", np.concatenate, [rand((2, 3), "float16"), rand((2, 3), seed=1)],
          {"axis": 1}),
    _join("stack", np.stack, [rand((2,)), rand((2,), seed=1), rand((2,), seed=2)], {"axis": -1}),
    _join("stack", np.stack, [rand(()), rand((), seed=1)]),
    _join("stack", np.stack, [rand((2, 3), "int32"), rand((2, 3), "float32", seed=1)],
          {"axis": 1}),
    _join("hstack", np.hstack, [rand((2, 3)), rand((2, 1), seed=1)]),
    _join("hstack", np.hstack, [rand((3,), "int32"), rand((2,), "int32", seed=1)]),
    # Keras's tensorflow backend does not stack 1-D tensors as rows.
    _join("vstack", np.vstack, [rand((3,)), rand((3,), seed=1)], keras=BACKEND != "tensorflow"),
    _join("vstack", np.vstack, [rand((2, 3), "int32"), rand((1, 3), seed=1)]),
    _join("dstack", np.dstack, [rand((2, 3)), rand((2, 3), seed=1)]),
    _join("dstack", np.dstack, [rand((3,)), rand((3,), seed=1)]),
    _join("dstack", np.dstack, [rand((2, 3, 1), "int32"), rand((2, 3, 2), "int32", seed=1)]),
    Case("append", (rand((2, 3)), rand((2, 3), seed=1)), ref=np.append, grad=True),
    # Keras's symbolic append fails on a None dimension along the axis.
    Case("append", (rand((2, 3)), rand((1, 3), seed=1)), {"axis": 0}, ref=np.append,
         symbolic_none=False),
    Case("append", (rand((2,), "int32"), rand((3,), "float32", seed=1)), ref=np.append),
    Case("append", (rand((2,), "bool"), rand((0,), "bool", seed=1)), ref=np.append),
]

# -- splitting ---------------------------------------------------------------------------
for dt in ("float32", "int32", "bool"):
    CASES += [
        Case("split", (rand((6, 2), dt), 3), ref=_list(np.split)),
        Case("array_split", (rand((5, 2), dt), 3), ref=_list(np.array_split)),
    ]
CASES += [
    Case("split", (rand((2, 6)), 2), {"axis": -1}, ref=_list(np.split), grad=True),
    Case("split", (rand((7,)), [2, 5]), ref=_list(np.split)),
    Case("split", (rand((4, 3)), [1]), {"axis": 0}, ref=_list(np.split)),
    Case("array_split", (rand((2, 7)), 3), {"axis": 1}, ref=_list(np.array_split), grad=True),
    Case("array_split", (rand((4,)), 4), ref=_list(np.array_split)),
    Case("hsplit", (rand((2, 4)), 2), ref=_list(np.hsplit)),
    Case("hsplit", (rand((6,)), 3), ref=_list(np.hsplit)),
    Case("hsplit", (rand((2, 5)), [1, 3]), ref=_list(np.hsplit)),
    Case("vsplit", (rand((4, 2)), 2), ref=_list(np.vsplit)),
    Case("vsplit", (rand((4, 2), "int32"), [3]), ref=_list(np.vsplit)),
    Case("dsplit", (rand((1, 2, 4)), 2), ref=_list(np.dsplit)),
    Case("dsplit", (rand((1, 2, 4)), [1]), ref=_list(np.dsplit)),
]

# -- meshgrid, size, ndim, view ----------------------------------------------------------
CASES += [
    Case("meshgrid", (rand((3,)), rand((2,), seed=1)), ref=_list(np.meshgrid)),
    Case("meshgrid", (rand((3,), "int32"), rand((2,), "int32", seed=1)), {"indexing": "ij"},
         ref=_list(np.meshgrid)),
    Case("meshgrid", (rand((3,)), rand((2,), seed=1), rand((4,), seed=2)),
         ref=_list(np.meshgrid)),
    # Keras returns a Python int (jax, numpy) or int64 (torch) for size; lamina and
    # Keras's own symbolic rule give int32.
    Case("size", (rand((2, 3)),), ref=lambda x: np.int32(x.size),
         check_dtype=BACKEND == "tensorflow"),
    Case("size", (rand((0, 3), "int32"),), ref=lambda x: np.int32(x.size),
         check_dtype=BACKEND == "tensorflow"),
    Case("size", (rand(()),), ref=lambda x: np.int32(x.size),
         check_dtype=BACKEND == "tensorflow"),
    # ndim is a Python int; Keras's symbolic ndim gives a KerasTensor, lamina's the int.
    Case("ndim", (rand((2, 3)),), ref=np.ndim, symbolic=False),
    Case("ndim", (rand(()),), ref=np.ndim, symbolic=False),
    Case("view", (rand((2, 4)), "int32"), ref=lambda x, d: x.view(d)),
    Case("view", (rand((2, 4), "int32"), "float32"), ref=lambda x, d: x.view(d)),
    Case("view", (rand((2, 4)), "int16"), ref=lambda x, d: x.view(d)),
    Case("view", (rand((2, 4), "int16"), "float32"), ref=lambda x, d: x.view(d)),
    Case("view", (rand((3,), "float16"), "int16"), ref=lambda x, d: x.view(d)),
    # Keras's numpy backend views as float64 when dtype is None.
    Case("view", (rand((2, 2)),), ref=lambda x: x.view(), keras=BACKEND != "numpy"),
]

# -- rearrange ---------------------------------------------------------------------------


def _np_rearrange(x, pattern, **lengths):
    import re

    left, right = pattern.split("->")
    groups = lambda s: [g.split() for g in re.findall(r"\(([^)]*)\)|(\w+)", s) for g in [g[0] or g[1]]]  # noqa: E731
    ins, outs = groups(left), groups(right)
    sizes = dict(lengths)
    for g, d in zip(ins, x.shape):
        known = int(np.prod([sizes[n] for n in g if n in sizes]))
        for n in g:
            if n not in sizes:
                sizes[n] = d // known
    names = [n for g in ins for n in g]
    y = x.reshape([sizes[n] for n in names])
    y = y.transpose([names.index(n) for g in outs for n in g])
    return y.reshape([int(np.prod([sizes[n] for n in g])) for g in outs])


for pattern, shape, lengths in [
    ("b h w c -> b c h w", (2, 3, 4, 2), {}),
    ("b h w c -> (b h) w c", (2, 3, 4, 2), {}),
    ("b h w c -> b (c h w)", (2, 3, 4, 2), {}),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", (2, 4, 4, 3), {"h1": 2, "w1": 2}),
    ("b (h1 h) w -> (b h1) h w", (2, 6, 3), {"h1": 3}),
    ("a b -> a b", (2, 3), {}),
]:
    # Keras's symbolic rearrange fails on None dimensions; lamina keeps them.
    CASES.append(Case("rearrange", (rand(shape), pattern), lengths, ref=_np_rearrange,
                      grad=len(shape) < 4, symbolic_none=False))
CASES.append(Case("rearrange", (rand((2, 3), "int32"), "a b -> b a"), ref=_np_rearrange,
                  symbolic_none=False))

# -- errors ------------------------------------------------------------------------------
ERRORS = [
    ErrorCase("reshape", (rand((2, 3)), (4, 2)), match="cannot reshape"),
    ErrorCase("reshape", (rand((2, 3)), (-1, -1)), match="at most one -1"),
    ErrorCase("reshape", (rand((2, 3)), "ab"), error=TypeError, match="newshape"),
    ErrorCase("transpose", (rand((2, 3)), (0, 2)), match="out of range"),
    ErrorCase("transpose", (rand((2, 3)), (0,)), match="rank"),
    ErrorCase("expand_dims", (rand((2, 3)), 4), match="out of range"),
    ErrorCase("squeeze", (rand((2, 3)),), {"axis": 0}, match="cannot squeeze"),
    ErrorCase("swapaxes", (rand((2, 3)), 0, 2), match="out of range"),
    ErrorCase("moveaxis", (rand((2, 3)), (0, 1), 0), match="same number"),
    ErrorCase("flip", (rand((2, 3)),), {"axis": 3}, match="out of range"),
    ErrorCase("fliplr", (rand((3,)),), match="rank >= 2"),
    ErrorCase("rot90", (rand((3,)),), match="rank >= 2"),
    ErrorCase("rot90", (rand((2, 2)),), {"axes": (0, 0)}, match="must be different"),
    ErrorCase("concatenate", ([rand((2, 3)), rand((2, 4))],), match="must match"),
    ErrorCase("concatenate", ([rand((2, 3)), rand((3,))],), match="same rank"),
    ErrorCase("stack", ([rand((2, 3)), rand((2, 4))],), match="same shape"),
    ErrorCase("split", (rand((5,)), 2), match="equal sections"),
    ErrorCase("dsplit", (rand((2, 4)), 2), match="rank >= 3"),
    ErrorCase("broadcast_to", (rand((2, 3)), (4, 3)), match="cannot broadcast"),
    ErrorCase("pad", (rand((2, 3)), ((1, 1), (1, 1), (1, 1))), match="pad_width"),
    ErrorCase("pad", (rand((2, 3)), 1), {"mode": "reflect", "constant_values": 1},
              match="constant_values"),
    ErrorCase("pad", (rand((2, 3)), 1), {"mode": "bogus"}, match="mode"),
    ErrorCase("pad", (rand((2, 3)), -1), match="non-negative"),
    ErrorCase("tile", (rand((2, 3)), "ab"), error=TypeError, match="repeats"),
    ErrorCase("repeat", (rand((2, 3)), [1, 2]), {"axis": 1}, match="repeats"),
    ErrorCase("view", (rand((3,), "int8"), "float32"), match="divisible"),
    ErrorCase("ravel", ("abc",), error=TypeError, match="expected a tensor"),
    ErrorCase("rearrange", (rand((2, 3)), "a b c -> a b c"), match="input axes"),
    ErrorCase("rearrange", (rand((2, 3)), "a b -> a"), match="each axis name"),
    ErrorCase("rearrange", (rand((2, 6)), "a (b c) -> a b c"), match="infer"),
]
