"""Conformance cases: conv, conv_transpose, depthwise_conv, separable_conv.

The NumPy references are direct loops over output positions (tiny shapes only),
written independently of the backends.
"""

import itertools

import numpy as np

from .harness import BACKEND, Case as _Case, ErrorCase, rand


def _tuple(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def _same_pads(size, k, s, d):
    ek = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + ek - size, 0)
    return total // 2, total - total // 2


def _cl(x, fmt):
    return x if fmt in (None, "channels_last") else np.moveaxis(x, 1, -1)


def _cf(x, fmt):
    return x if fmt in (None, "channels_last") else np.moveaxis(x, -1, 1)


def ref_conv(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Direct grouped convolution (float64), Keras layouts."""
    dtype = np.result_type(x.dtype, kernel.dtype)
    x = _cl(np.asarray(x, np.float64), data_format)
    w = np.asarray(kernel, np.float64)
    n = x.ndim - 2
    s, d = _tuple(strides, n), _tuple(dilation_rate, n)
    ks = w.shape[:n]
    if padding == "same":
        pads = [_same_pads(x.shape[1 + i], ks[i], s[i], d[i]) for i in range(n)]
    elif padding == "causal":
        pads = [((ks[i] - 1) * d[i], 0) for i in range(n)]
    else:
        pads = [(0, 0)] * n
    x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    cin, cout = w.shape[-2], w.shape[-1]
    groups = x.shape[-1] // cin
    per = cout // groups
    out_sp = [(x.shape[1 + i] - (ks[i] - 1) * d[i] - 1) // s[i] + 1 for i in range(n)]
    out = np.zeros((x.shape[0], *out_sp, cout))
    for pos in itertools.product(*(range(o) for o in out_sp)):
        for off in itertools.product(*(range(k) for k in ks)):
            idx = tuple(p * s[i] + off[i] * d[i] for i, p in enumerate(pos))
            vec = x[(slice(None),) + idx]  # (N, C)
            for g in range(groups):
                out[(slice(None),) + pos + (slice(g * per, (g + 1) * per),)] += (
                    vec[:, g * cin:(g + 1) * cin] @ w[off][:, g * per:(g + 1) * per])
    return _cf(out, data_format).astype(dtype)


def ref_depthwise(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    k = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return ref_conv(x, k, strides, padding, data_format, dilation_rate)


def ref_separable(x, dk, pk, strides=1, padding="valid", data_format=None, dilation_rate=1):
    mid = ref_depthwise(x, dk, strides, padding, data_format, dilation_rate)
    return ref_conv(mid.astype(np.float64), pk, 1, "valid", data_format).astype(x.dtype)


def ref_conv_transpose(x, kernel, strides=1, padding="valid", output_padding=None,
                       data_format=None, dilation_rate=1):
    """Scatter form: input position i, tap k lands at i * stride + k * dilation."""
    dtype = np.result_type(x.dtype, kernel.dtype)
    x = _cl(np.asarray(x, np.float64), data_format)
    w = np.asarray(kernel, np.float64)  # (*k, out, in)
    n = x.ndim - 2
    s, d = _tuple(strides, n), _tuple(dilation_rate, n)
    op = (None,) * n if output_padding is None else _tuple(output_padding, n)
    ks = w.shape[:n]
    full = [(x.shape[1 + i] - 1) * s[i] + (ks[i] - 1) * d[i] + 1 for i in range(n)]
    big = np.zeros((x.shape[0], *[f + 2 * max(s) + 2 for f in full], w.shape[-2]))
    for pos in itertools.product(*(range(m) for m in x.shape[1:-1])):
        for off in itertools.product(*(range(k) for k in ks)):
            idx = tuple(p * s[i] + off[i] * d[i] for i, p in enumerate(pos))
            big[(slice(None),) + idx] += x[(slice(None),) + pos] @ w[off].T
    window = []
    for i in range(n):
        ek = (ks[i] - 1) * d[i] + 1
        size = x.shape[1 + i]
        if padding == "valid":
            extra = max(ek, s[i]) - ek if op[i] is None else op[i]
            window.append(slice(0, (size - 1) * s[i] + ek + extra))
        else:
            if op[i] is None:
                total, length = s[i] + ek - 2, size * s[i]
            else:
                total = ek + ek % 2 - 2 + op[i]
                length = (size - 1) * s[i] + ek % 2 + op[i]
            left = min(total // 2 + total % 2, ek - 1)
            start = ek - 1 - left
            window.append(slice(start, start + length))
    out = big[(slice(None),) + tuple(window)]
    return _cf(out, data_format).astype(dtype)


def _shape(batch, spatial, channels, fmt):
    if fmt == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


CASES = []
ERRORS = []


def Case(*args, **kwargs):  # noqa: N802
    # The harness's None-first-dim check also unknowns the kernel's first (spatial)
    # dim, which Keras's rules reject: keep it off for these kernel-taking ops.
    kwargs.setdefault("symbolic_none", False)
    # Keras's TensorFlow backend runs channels-first convolutions as NCHW, which
    # TensorFlow does not implement on CPU; ours transposes, so only NumPy checks it.
    op_kwargs = args[2] if len(args) > 2 else kwargs.get("kwargs", {})
    if BACKEND == "tensorflow" and op_kwargs.get("data_format") == "channels_first":
        kwargs["keras"] = False
    # Keras's TensorFlow backend also fails (on CPU) for strides > 1 with
    # dilation > 1, for dilated transposed convolutions, and for some explicit
    # output paddings (TF's shape check); ours handles them.
    strided = op_kwargs.get("strides", 1) not in (1, (1,), (1, 1), (1, 1, 1))
    dilated = op_kwargs.get("dilation_rate", 1) not in (1, (1,), (1, 1), (1, 1, 1))
    if BACKEND == "tensorflow" and (
            (strided and dilated) or (args[0] == "conv_transpose" and dilated)
            or op_kwargs.get("output_padding") == 0):
        kwargs["keras"] = False
    return _Case(*args, **kwargs)


# -- conv: a grid over rank, padding, strides, dilation and layout -----------------
_GRID = [
    # (spatial, kernel spatial, strides, dilation, padding)
    ((7,), (3,), 1, 1, "valid"),
    ((7,), (2,), 2, 1, "same"),
    ((8,), (3,), 1, 2, "same"),
    ((5, 6), (3, 3), 1, 1, "same"),
    ((6, 6), (3, 3), 2, 1, "same"),
    ((6, 5), (2, 3), (2, 1), 1, "valid"),
    ((7, 7), (3, 2), 1, (2, 1), "valid"),
    ((7, 7), (3, 3), 2, 2, "same"),
    ((4, 4, 5), (2, 2, 3), 1, 1, "same"),
    ((5, 4, 4), (3, 2, 2), (2, 1, 2), 1, "valid"),
]
for i, (sp, ks, st, dil, pad) in enumerate(_GRID):
    for fmt in ("channels_last", "channels_first"):
        x = rand(_shape(2, sp, 3, fmt), seed=i)
        k = rand(ks + (3, 4), seed=100 + i)
        kw = dict(strides=st, padding=pad, data_format=fmt, dilation_rate=dil)
        CASES.append(Case("conv", (x, k), kw, ref=ref_conv, rtol=1e-4, atol=1e-4,
                          grad=(i % 3 == 0)))

CASES += [
    # defaults (data_format None -> channels_last)
    Case("conv", (rand((1, 6, 6, 2)), rand((3, 3, 2, 3), seed=1)), ref=ref_conv, rtol=1e-4,
         atol=1e-4),
    Case("nn.conv", (rand((1, 6, 2)), rand((1, 2, 3), seed=1)), {"padding": "same"},
         ref=ref_conv, rtol=1e-4, atol=1e-4),
    # causal 1D: Keras implements it in the Conv1D layer, not in ops.conv.
    Case("conv", (rand((2, 6, 2)), rand((3, 2, 3), seed=1)), {"padding": "causal"},
         ref=ref_conv, rtol=1e-4, atol=1e-4, keras=False, grad=True),
    Case("conv", (rand((1, 8, 2)), rand((2, 2, 2), seed=1)),
         {"padding": "causal", "dilation_rate": 3}, ref=ref_conv, rtol=1e-4, atol=1e-4,
         keras=False),
    # grouped convolution (channels a multiple of the kernel's in channels); Keras's
    # symbolic rule insists on equal channels, so skip its None-dim comparison.
    Case("conv", (rand((2, 5, 5, 4)), rand((3, 3, 2, 6), seed=1)), {"padding": "same"},
         ref=ref_conv, rtol=1e-4, atol=1e-4, grad=True),
    Case("conv", (rand((1, 6, 6)), rand((3, 2, 6), seed=1)),
         {"data_format": "channels_first", "strides": 2},
         ref=ref_conv, rtol=1e-4, atol=1e-4),
    # float16 (and mixed: the result type of input and kernel)
    Case("conv", (rand((1, 5, 5, 2), "float16"), rand((3, 3, 2, 2), "float16", seed=1)),
         {"padding": "same"}, ref=ref_conv, rtol=1e-2, atol=1e-2),
    Case("conv", (rand((1, 5, 2), "float64"), rand((3, 2, 2), "float64", seed=1)),
         ref=ref_conv, rtol=1e-6, atol=1e-6,
         backends=("torch", "tensorflow")),  # jax (no x64) and NumPy: float64 -> floatx
    # same output size as input with stride 1 and even kernel (asymmetric pad)
    Case("conv", (rand((1, 5, 5, 1)), rand((4, 4, 1, 1), seed=2)), {"padding": "same"},
         ref=ref_conv, rtol=1e-4, atol=1e-4, grad=True),
    # empty batch
    Case("conv", (rand((0, 5, 5, 2)), rand((3, 3, 2, 3), seed=1)), {"padding": "same"},
         ref=ref_conv),
]

# -- depthwise / separable ---------------------------------------------------------
for i, (sp, ks, st, dil, pad) in enumerate([
    ((7,), (3,), 1, 1, "valid"),
    ((8,), (3,), 2, 1, "same"),
    ((6, 6), (3, 3), 1, 1, "same"),
    ((7, 6), (3, 2), 2, 1, "same"),
    ((7, 7), (3, 3), 1, 2, "valid"),
    ((7, 7), (3, 3), 2, 2, "same"),
]):
    for fmt in ("channels_last", "channels_first"):
        x = rand(_shape(2, sp, 3, fmt), seed=i)
        dk = rand(ks + (3, 2), seed=200 + i)
        pk = rand((1,) * len(sp) + (6, 4), seed=300 + i)
        kw = dict(strides=st, padding=pad, data_format=fmt, dilation_rate=dil)
        CASES.append(Case("depthwise_conv", (x, dk), kw, ref=ref_depthwise, rtol=1e-4,
                          atol=1e-4, grad=(i % 2 == 0 and fmt == "channels_last")))
        CASES.append(Case("separable_conv", (x, dk, pk), kw, ref=ref_separable, rtol=1e-4,
                          atol=1e-4, grad=(i % 2 == 1 and fmt == "channels_first")))

# 3D depthwise/separable: Keras's TensorFlow backend supports only 1D and 2D.
_NOT_TF = ("jax", "torch", "numpy")
CASES += [
    Case("depthwise_conv", (rand((1, 4, 4, 4, 2)), rand((2, 2, 2, 2, 2), seed=1)),
         {"padding": "same"}, ref=ref_depthwise, rtol=1e-4, atol=1e-4, backends=_NOT_TF),
    Case("separable_conv", (rand((1, 4, 4, 4, 2)), rand((2, 2, 2, 2, 2), seed=1),
                            rand((1, 1, 1, 4, 3), seed=2)),
         ref=ref_separable, rtol=1e-4, atol=1e-4, backends=_NOT_TF),
    # ... ours runs there too; check it against the NumPy reference only.
    Case("depthwise_conv", (rand((1, 4, 4, 4, 2)), rand((2, 2, 2, 2, 2), seed=1)),
         {"padding": "same", "strides": 2}, ref=ref_depthwise, rtol=1e-4, atol=1e-4,
         keras=False, id="depthwise_conv-3d-ours"),
    Case("separable_conv", (rand((1, 4, 4, 4, 2)), rand((2, 2, 2, 2, 2), seed=1),
                            rand((1, 1, 1, 4, 3), seed=2)),
         ref=ref_separable, rtol=1e-4, atol=1e-4, keras=False, id="separable_conv-3d-ours"),
    Case("depthwise_conv", (rand((1, 5, 5, 2), "float16"), rand((3, 3, 2, 1), "float16", seed=1)),
         {"padding": "same"}, ref=ref_depthwise, rtol=1e-2, atol=1e-2),
]

# -- conv_transpose -------------------------------------------------------------------
for i, (sp, ks, st, dil, pad, op) in enumerate([
    ((4,), (3,), 2, 1, "valid", None),
    ((4,), (3,), 2, 1, "same", None),
    ((5,), (2,), 3, 1, "valid", None),
    ((4,), (3,), 2, 1, "same", 1),
    ((4,), (3,), 1, 2, "valid", None),
    ((3, 4), (3, 3), 2, 1, "same", None),
    ((3, 3), (2, 3), (2, 1), 1, "valid", None),
    ((3, 3), (3, 3), 2, 1, "valid", 1),
    ((3, 4), (4, 4), 2, 1, "same", 0),
    ((3, 3), (3, 3), 1, 2, "same", None),
    ((2, 3, 2), (2, 3, 2), 2, 1, "same", None),
    ((2, 2, 3), (3, 2, 2), (1, 2, 2), 1, "valid", None),
]):
    for fmt in ("channels_last", "channels_first"):
        x = rand(_shape(2, sp, 3, fmt), seed=i)
        k = rand(ks + (2, 3), seed=400 + i)
        kw = dict(strides=st, padding=pad, output_padding=op, data_format=fmt,
                  dilation_rate=dil)
        CASES.append(Case("conv_transpose", (x, k), kw, ref=ref_conv_transpose, rtol=1e-4,
                          atol=1e-4, grad=(i % 3 == 1 and fmt == "channels_last")))
CASES += [
    Case("conv_transpose", (rand((1, 3, 3, 2)), rand((3, 3, 4, 2), seed=1)),
         ref=ref_conv_transpose, rtol=1e-4, atol=1e-4, grad=True),
    Case("conv_transpose", (rand((1, 3, 2), "float16"), rand((3, 2, 2), "float16", seed=1)),
         {"strides": 2, "padding": "same"}, ref=ref_conv_transpose, rtol=1e-2, atol=1e-2),
]

# -- bad input ----------------------------------------------------------------------------
ERRORS += [
    ErrorCase("conv", (rand((1, 5, 5, 3)), rand((3, 3, 2, 4))), match="multiple"),
    ErrorCase("conv", (rand((1, 5, 5, 3)), rand((3, 3, 3))), match="rank"),
    ErrorCase("conv", (rand((5, 3)), rand((3, 3, 4))), match="rank"),
    ErrorCase("conv", (rand((1, 2, 2, 3)), rand((3, 3, 3, 4))), match="empty"),
    ErrorCase("conv", (rand((1, 5, 5, 3)), rand((3, 3, 3, 4))), {"padding": "full"},
              match="padding"),
    ErrorCase("conv", (rand((1, 5, 5, 3)), rand((3, 3, 3, 4))), {"padding": "causal"},
              match="padding"),
    ErrorCase("conv", (rand((1, 5, 5, 3)), rand((3, 3, 3, 4))), {"strides": (1, 1, 1)},
              match="strides"),
    ErrorCase("conv", (rand((1, 5, 5, 3)), rand((3, 3, 3, 4))), {"data_format": "NHWC"},
              match="data_format"),
    ErrorCase("conv", (rand((1, 5, 5, 3)), "kernel"), error=TypeError, match="kernel"),
    ErrorCase("depthwise_conv", (rand((1, 5, 5, 3)), rand((3, 3, 2, 2))), match="channels"),
    ErrorCase("separable_conv", (rand((1, 5, 5, 3)), rand((3, 3, 3, 2)), rand((1, 1, 5, 2))),
              match="pointwise"),
    ErrorCase("conv_transpose", (rand((1, 5, 5, 3)), rand((3, 3, 3, 2))), match="channels"),
    ErrorCase("conv_transpose", (rand((1, 5, 5, 3)), rand((3, 3, 2, 3))),
              {"strides": 2, "output_padding": 2}, match="output_padding"),
]
