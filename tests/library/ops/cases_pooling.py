"""Conformance cases: max/average pooling (plain and adaptive), and the patch ops
(depth_to_space, space_to_depth, unfold, fold). References are direct loops."""

import itertools
import math

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand


def _tuple(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def _cl(x, fmt):
    return x if fmt in (None, "channels_last") else np.moveaxis(x, 1, -1)


def _cf(x, fmt):
    return x if fmt in (None, "channels_last") else np.moveaxis(x, -1, 1)


def _ref_pool(reduce):
    def ref(x, pool_size, strides=None, padding="valid", data_format=None):
        dtype = x.dtype
        x = _cl(np.asarray(x, np.float64), data_format)
        n = x.ndim - 2
        k = _tuple(pool_size, n)
        s = k if strides is None else _tuple(strides, n)
        starts, outs = [], []
        for i in range(n):
            size = x.shape[1 + i]
            if padding == "same":
                out = math.ceil(size / s[i])
                total = max((out - 1) * s[i] + k[i] - size, 0)
                starts.append(-(total // 2))
            else:
                out = (size - k[i]) // s[i] + 1
                starts.append(0)
            outs.append(out)
        res = np.zeros((x.shape[0], *outs, x.shape[-1]))
        for pos in itertools.product(*(range(o) for o in outs)):
            index = tuple(slice(max(starts[i] + p * s[i], 0),
                                min(starts[i] + p * s[i] + k[i], x.shape[1 + i]))
                          for i, p in enumerate(pos))
            window = x[(slice(None),) + index + (slice(None),)]
            flat = window.reshape(x.shape[0], math.prod(window.shape[1:-1]), x.shape[-1])
            res[(slice(None),) + pos] = reduce(flat, axis=1)
        return _cf(res, data_format).astype(dtype)
    return ref


ref_max_pool = _ref_pool(np.max)
ref_average_pool = _ref_pool(np.mean)


def _ref_adaptive(reduce):
    def ref(x, output_size, data_format=None):
        dtype = x.dtype
        x = _cl(np.asarray(x, np.float64), data_format)
        n = x.ndim - 2
        outs = _tuple(output_size, n)
        res = np.zeros((x.shape[0], *outs, x.shape[-1]))
        for pos in itertools.product(*(range(o) for o in outs)):
            index = tuple(slice((p * x.shape[1 + i]) // outs[i],
                                -(-((p + 1) * x.shape[1 + i]) // outs[i]))
                          for i, p in enumerate(pos))
            window = x[(slice(None),) + index + (slice(None),)]
            flat = window.reshape(x.shape[0], math.prod(window.shape[1:-1]), x.shape[-1])
            res[(slice(None),) + pos] = reduce(flat, axis=1)
        return _cf(res, data_format).astype(dtype)
    return ref


ref_adaptive_max = _ref_adaptive(np.max)
ref_adaptive_avg = _ref_adaptive(np.mean)


def _distinct(shape, seed=0):
    """Float32 data without ties (for max pooling gradients)."""
    rng = np.random.default_rng(seed)
    return (rng.permutation(math.prod(shape)).reshape(shape) * 0.1 - 1.0).astype("float32")


def _shape(batch, spatial, channels, fmt):
    if fmt == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


def _keras_ok(op, x, pool, strides, padding, fmt):
    """Where Keras itself is wrong, compare with the NumPy reference only."""
    if strides is None and BACKEND in ("jax", "numpy"):
        return False  # Keras's JAX pooling expands `strides=None` twice (a crash)
    if op == "average_pool" and padding == "same" and BACKEND == "torch":
        # Keras's torch backend pads asymmetric "same" windows by replication and
        # averages the copies in; TF/JAX (and ours) leave padding out.
        sp = x.shape[1:-1] if fmt != "channels_first" else x.shape[2:]
        k, s = _tuple(pool, len(sp)), _tuple(strides or pool, len(sp))
        for size, ki, si in zip(sp, k, s):
            out = math.ceil(size / si)
            total = max((out - 1) * si + ki - size, 0)
            if total % 2:
                return False
    return True


CASES = []
_GRID = [
    # (spatial, pool, strides, padding)
    ((6,), 2, None, "valid"),
    ((7,), 3, 2, "same"),
    ((5,), 2, 1, "same"),
    ((4, 5), (2, 2), None, "valid"),
    ((5, 5), 3, 2, "same"),
    ((5, 6), (2, 3), (1, 2), "same"),
    ((4, 5), 2, 1, "same"),
    ((4, 4, 5), 2, None, "valid"),
    ((3, 5, 4), (2, 3, 2), (1, 2, 2), "same"),
]
for i, (sp, pool, st, pad) in enumerate(_GRID):
    for fmt in ("channels_last", "channels_first"):
        x = _distinct(_shape(2, sp, 3, fmt), seed=i)
        kw = dict(strides=st, padding=pad, data_format=fmt)
        grad = i % 2 == 0
        for op, ref in (("max_pool", ref_max_pool), ("average_pool", ref_average_pool)):
            CASES.append(Case(op, (x, pool), kw, ref=ref, grad=grad,
                              keras=_keras_ok(op, x, pool, st, pad, fmt)))

_NO_NONE_STRIDES = BACKEND not in ("jax", "numpy")
CASES += [
    Case("max_pool", (rand((1, 4, 4, 2)), 2), ref=ref_max_pool, keras=_NO_NONE_STRIDES),
    Case("nn.average_pool", (rand((1, 6, 2)), 3), {"padding": "same"}, ref=ref_average_pool,
         keras=_NO_NONE_STRIDES),
    Case("max_pool", (rand((1, 5, 5, 2), "float16"), 2), {"strides": 2, "padding": "same"},
         ref=ref_max_pool),
    Case("average_pool", (rand((1, 5, 5, 2), "float16"), 3), {"strides": 2, "padding": "same"},
         ref=ref_average_pool, rtol=1e-3, atol=1e-3),
    Case("max_pool", (rand((0, 4, 4, 2)), 2, 2), ref=ref_max_pool),
]

# -- adaptive pooling ----------------------------------------------------------------
for i, (sp, out) in enumerate([
    ((7,), (3,)), ((6,), (6,)), ((5,), (7,)), ((7, 5), (3, 2)), ((8, 8), (4, 4)),
    ((5, 6, 7), (2, 3, 4)),
]):
    for fmt in ("channels_last", "channels_first"):
        x = _distinct(_shape(1, sp, 2, fmt), seed=20 + i)
        kw = {"data_format": fmt}
        # Keras's symbolic rule mis-shapes channels-last outputs: skip that comparison.
        CASES.append(Case("adaptive_max_pool", (x, out), kw, ref=ref_adaptive_max,
                          grad=(i == 3), symbolic_none=False))
        CASES.append(Case("adaptive_average_pool", (x, out), kw, ref=ref_adaptive_avg,
                          rtol=1e-5, grad=(i == 3), symbolic_none=False))
CASES += [
    # an int output_size: Keras's symbolic rule takes len() of it, so skip that check
    Case("adaptive_average_pool", (rand((1, 7, 7, 2)), 3), ref=ref_adaptive_avg,
         symbolic_none=False),
    Case("adaptive_max_pool", (rand((1, 7, 7, 2), "float16"), 3), ref=ref_adaptive_max,
         symbolic_none=False),
]

# -- patches ------------------------------------------------------------------------------


def ref_depth_to_space(x, block_size, data_format="channels_last"):
    x = _cl(x, data_format)
    n, h, w, c = x.shape
    r = block_size
    out = np.zeros((n, h * r, w * r, c // (r * r)), x.dtype)
    for i, j in itertools.product(range(h * r), range(w * r)):
        base = ((i % r) * r + j % r) * (c // (r * r))
        if data_format == "channels_first":
            # channels-first: channel index c' * r * r + (i % r) * r + j % r
            out[:, i, j, :] = x[:, i // r, j // r, (i % r) * r + j % r::r * r]
        else:
            out[:, i, j, :] = x[:, i // r, j // r, base:base + c // (r * r)]
    return _cf(out, data_format)


def ref_space_to_depth(x, block_size, data_format="channels_last"):
    x = _cl(x, data_format)
    n, h, w, c = x.shape
    r = block_size
    out = np.zeros((n, h // r, w // r, c * r * r), x.dtype)
    for i, j in itertools.product(range(h), range(w)):
        if data_format == "channels_first":
            out[:, i // r, j // r, (i % r) * r + j % r::r * r] = x[:, i, j, :]
        else:
            base = ((i % r) * r + j % r) * c
            out[:, i // r, j // r, base:base + c] = x[:, i, j, :]
    return _cf(out, data_format)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def ref_unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    k, d, p, s = map(_pair, (kernel_size, dilation, padding, stride))
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    nh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    nw = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    out = np.zeros((n, c * k[0] * k[1], nh * nw), x.dtype)
    for ci, i, j, bh, bw in itertools.product(range(c), range(k[0]), range(k[1]), range(nh),
                                              range(nw)):
        out[:, ci * k[0] * k[1] + i * k[1] + j, bh * nw + bw] = \
            xp[:, ci, bh * s[0] + i * d[0], bw * s[1] + j * d[1]]
    return out


def ref_fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    k, d, p, s, size = map(_pair, (kernel_size, dilation, padding, stride, output_size))
    n, ckk, _ = x.shape
    c = ckk // (k[0] * k[1])
    nh = (size[0] + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    nw = (size[1] + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    out = np.zeros((n, c, size[0] + 2 * p[0], size[1] + 2 * p[1]), np.float64)
    for ci, i, j, bh, bw in itertools.product(range(c), range(k[0]), range(k[1]), range(nh),
                                              range(nw)):
        out[:, ci, bh * s[0] + i * d[0], bw * s[1] + j * d[1]] += \
            x[:, ci * k[0] * k[1] + i * k[1] + j, bh * nw + bw]
    return out[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]].astype(x.dtype)


for fmt in ("channels_last", "channels_first"):
    # Keras's TensorFlow backend orders channels-first blocks differently from its
    # JAX/torch backends (and PyTorch's pixel shuffle); ours follows the latter.
    kc = not (BACKEND == "tensorflow" and fmt == "channels_first")
    CASES += [
        Case("depth_to_space", (rand(_shape(2, (2, 3), 8, fmt)), 2), {"data_format": fmt},
             ref=ref_depth_to_space, keras=kc, grad=True),
        Case("depth_to_space", (rand(_shape(1, (2, 2), 9, fmt), "int32"), 3),
             {"data_format": fmt}, ref=ref_depth_to_space, keras=kc),
        Case("space_to_depth", (rand(_shape(2, (4, 6), 2, fmt)), 2), {"data_format": fmt},
             ref=ref_space_to_depth, keras=kc, grad=True),
        Case("space_to_depth", (rand(_shape(1, (3, 3), 2, fmt), "float16"), 3),
             {"data_format": fmt}, ref=ref_space_to_depth, keras=kc),
    ]

for i, (hw, kw) in enumerate([
    ((4, 4), dict(kernel_size=2, stride=2)),
    ((5, 6), dict(kernel_size=(2, 3))),
    ((6, 5), dict(kernel_size=3, padding=1, stride=2)),
    ((7, 7), dict(kernel_size=2, dilation=(2, 3), padding=(1, 0), stride=(1, 2))),
]):
    x = rand((2, 3) + hw, seed=i)
    CASES.append(Case("unfold", (x,), kw, ref=ref_unfold))
    cols = ref_unfold(x, **kw)
    # Keras's JAX fold gets the size wrong for the dilated, strided case.
    CASES.append(Case("fold", (cols, hw), kw, ref=ref_fold, rtol=1e-5,
                      keras=not (i == 3 and BACKEND == "jax")))
# gradients on single-channel images (finite differences call the op per element)
CASES += [
    Case("unfold", (rand((1, 1, 4, 4)),), {"kernel_size": 2, "stride": 1}, ref=ref_unfold,
         grad=True),
    Case("fold", (ref_unfold(rand((1, 1, 4, 5)), kernel_size=3, padding=1, stride=2), (4, 5)),
         {"kernel_size": 3, "padding": 1, "stride": 2}, ref=ref_fold, grad=True),
]
CASES += [
    # Keras's torch unfold is float-only
    Case("unfold", (rand((1, 2, 4, 4), "int32"),), {"kernel_size": 3}, ref=ref_unfold,
         keras=BACKEND != "torch"),
    Case("fold", (rand((1, 8, 4), "float16"), 4), {"kernel_size": 2, "stride": 2},
         ref=ref_fold, rtol=1e-3),
]

ERRORS = [
    ErrorCase("max_pool", (rand((1, 4, 4, 2)), 5), match="empty"),
    ErrorCase("max_pool", (rand((4, 2)), 2), match="rank"),
    ErrorCase("max_pool", (rand((1, 4, 4, 2)), (2, 2, 2)), match="pool_size"),
    ErrorCase("average_pool", (rand((1, 4, 4, 2)), 2), {"padding": "full"}, match="padding"),
    ErrorCase("average_pool", (rand((1, 4, 4, 2)), 2), {"data_format": "NHWC"},
              match="data_format"),
    ErrorCase("max_pool", ("abc", 2), error=TypeError, match="inputs"),
    ErrorCase("adaptive_average_pool", (rand((1, 4, 4, 2)), (2, 2, 2)), match="output_size"),
    ErrorCase("depth_to_space", (rand((1, 2, 2, 6)), 2), match="divisible"),
    ErrorCase("space_to_depth", (rand((1, 3, 4, 2)), 2), match="divisible"),
    ErrorCase("depth_to_space", (rand((2, 2, 8)), 2), match="4D"),
    ErrorCase("unfold", (rand((1, 2, 3)),), {"kernel_size": 2}, match="4D"),
    ErrorCase("fold", (rand((1, 8, 5)), 4), {"kernel_size": 2, "stride": 2}, match="blocks"),
    ErrorCase("fold", (rand((1, 7, 4)), 4), {"kernel_size": 2, "stride": 2}, match="divisible"),
]
