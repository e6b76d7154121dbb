"""Conformance cases: losses (crossentropies, CTC, PSNR)."""

import itertools

import numpy as np
from scipy import special

from .harness import BACKEND, Case, ErrorCase, rand

# Keras's CTC ops are slow in eager JAX (seconds per call): on jax only some cases compare with
# Keras; all of them check an exact brute-force NumPy reference.
SLOW_KERAS = BACKEND != "jax"

EPS = 1e-7


def _probs(shape, seed=0, axis=-1):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.1, 1.0, size=shape)
    return (p / p.sum(axis=axis, keepdims=True)).astype(np.float32)


def _onehot(ids, n, dtype="float32"):
    return np.eye(n, dtype=dtype)[ids]


def _clip(o):
    """Clips in the input's own precision, as the ops do (1 - 1e-7 rounds in float32)."""
    return np.clip(o, o.dtype.type(EPS), o.dtype.type(1 - EPS)).astype(np.float64)


def _bce(t, o, from_logits=False):
    if not from_logits:
        o = _clip(o)
    t, o = t.astype(np.float64), o.astype(np.float64)
    if from_logits:
        return (np.maximum(o, 0) - o * t + np.log1p(np.exp(-np.abs(o))))
    return -(t * np.log(o) + (1 - t) * np.log(1 - o))


def _log_p(o, from_logits, axis):
    o = o.astype(np.float64)
    if from_logits:
        return special.log_softmax(o, axis=axis)
    return np.log(_clip((o / o.sum(axis=axis, keepdims=True)).astype(np.float32)))


def _cce(t, o, from_logits=False, axis=-1):
    return -(t * _log_p(o, from_logits, axis)).sum(axis=axis)


def _scce(t, o, from_logits=False, axis=-1):
    lp = np.moveaxis(_log_p(o, from_logits, axis), axis, -1)
    t = np.asarray(t)
    if t.ndim == lp.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    return -np.take_along_axis(lp, t[..., None].astype(np.int64), axis=-1)[..., 0]


def _cast_like(fn, like_index=1):
    def ref(*args, **kwargs):
        return np.asarray(fn(*args, **kwargs)).astype(np.asarray(args[like_index]).dtype)
    return ref


CASES = []
for from_logits in (False, True):
    out = rand((3, 4), seed=1) if from_logits else _probs((3, 4), seed=1)
    kw = {"from_logits": from_logits}
    tgt_b = (rand((3, 4), seed=2) > 0).astype(np.float32)
    CASES += [
        Case("binary_crossentropy", (tgt_b, out), kw, ref=_cast_like(_bce), grad=True),
        Case("nn.binary_crossentropy", (rand((3, 4), low=0, high=1, seed=3), out), kw,
             ref=_cast_like(_bce), grad=True),
        Case("binary_crossentropy", (tgt_b[:0], out[:0]), kw, ref=_cast_like(_bce)),
        Case("binary_crossentropy", (tgt_b.astype(np.float16), out.astype(np.float16)), kw,
             ref=_cast_like(_bce), rtol=5e-3, atol=5e-3),
    ]
    ids = np.array([0, 3, 1])
    for axis in (-1, 0):
        o = out if axis == -1 else np.ascontiguousarray(out.T)
        t = _onehot(ids, 4) if axis == -1 else np.ascontiguousarray(_onehot(ids, 4).T)
        # symbolic_none only for the last axis: Keras's spec drops the last axis whatever
        # `axis` is, so its shape with an unknown first dimension is wrong for axis=0.
        CASES += [
            Case("categorical_crossentropy", (t, o), dict(kw, axis=axis), ref=_cast_like(_cce),
                 grad=True, symbolic_none=axis == -1),
        ]
    CASES += [
        Case("nn.categorical_crossentropy", (_probs((3, 4), seed=4), out), kw, ref=_cast_like(_cce),
             grad=True),
        Case("categorical_crossentropy", (_onehot(ids, 4)[:, None, :].repeat(2, 1),
                                          np.stack([out, out[::-1]], 1)), kw, ref=_cast_like(_cce)),
        Case("categorical_crossentropy", (_onehot(ids, 4).astype(np.float16), out.astype(np.float16)),
             kw, ref=_cast_like(_cce), rtol=5e-3, atol=5e-3),
        Case("categorical_crossentropy", (np.zeros((0, 4), np.float32), out[:0]), kw,
             ref=_cast_like(_cce)),
        Case("sparse_categorical_crossentropy", (ids.astype(np.int32), out), kw,
             ref=_cast_like(_scce), grad=True),
        Case("nn.sparse_categorical_crossentropy", (ids[:, None].astype(np.int32), out), kw,
             ref=_cast_like(_scce)),
        Case("sparse_categorical_crossentropy", (np.array([[0, 1], [2, 3]], np.int32),
                                                 rand((2, 2, 4), seed=5) if from_logits
                                                 else _probs((2, 2, 4), seed=5)), kw,
             ref=_cast_like(_scce), grad=True),
        Case("sparse_categorical_crossentropy", (np.int32(2) * np.ones((), np.int32),
                                                 out[0]), kw, ref=_cast_like(_scce)),
        # check_dtype=False: Keras returns float16 on torch and tensorflow but float32 on jax
        # and numpy (its one-hot targets are float32); lamina keeps float16 everywhere.
        Case("sparse_categorical_crossentropy", (ids.astype(np.int32), out.astype(np.float16)), kw,
             ref=_cast_like(_scce), rtol=5e-3, atol=5e-3, check_dtype=False),
        Case("sparse_categorical_crossentropy", (np.zeros((0,), np.int32), out[:0]), kw,
             ref=_cast_like(_scce)),
    ]

# Probabilities at 0 and 1 hit the epsilon clipping.
CASES += [
    Case("binary_crossentropy", (np.array([1.0, 0.0, 1.0], np.float32), np.array([0.0, 1.0, 1.0], np.float32)),
         ref=_cast_like(_bce)),
    Case("categorical_crossentropy", (np.array([[1.0, 0.0]], np.float32), np.array([[0.0, 1.0]], np.float32)),
         ref=_cast_like(_cce), rtol=1e-4),
    # Large logits stay finite and exact (keras=False: Keras's numpy backend goes through
    # sigmoid and clipping, and gives 16.1 instead of 200).
    Case("binary_crossentropy", (np.array([1.0, 0.0], np.float32), np.array([-200.0, 200.0], np.float32)),
         {"from_logits": True}, ref=_cast_like(_bce), keras=False),
    Case("categorical_crossentropy", (np.array([[1.0, 0.0]], np.float32), np.array([[-500.0, 500.0]], np.float32)),
         {"from_logits": True}, ref=_cast_like(_cce)),
]


# sparse_categorical_crossentropy with the class axis first (Keras's TensorFlow backend only
# supports the last axis).
CASES.append(Case("sparse_categorical_crossentropy", (np.array([0, 3, 1], np.int32), rand((4, 3), seed=6)),
                  {"from_logits": True, "axis": 0},
                  ref=_cast_like(lambda t, o, from_logits, axis: _scce(t, o.T, from_logits)),
                  grad=True, keras=False))


def _psnr(x1, x2, max_val):
    mse = np.mean((x1.astype(np.float64) - x2.astype(np.float64)) ** 2)
    return np.asarray(20 * np.log10(max_val) - 10 * np.log10(mse)).astype(np.result_type(x1, x2))


CASES += [
    Case("psnr", (rand((2, 4, 4, 3), seed=1), rand((2, 4, 4, 3), seed=2), 1.0), ref=_psnr, grad=True),
    Case("nn.psnr", (rand((5,), low=0, high=255, seed=1), rand((5,), low=0, high=255, seed=2), 255.0),
         ref=_psnr, rtol=1e-4),
    Case("psnr", (rand((3, 3), "float16", seed=1), rand((3, 3), "float16", seed=2), 2.0), ref=_psnr,
         rtol=5e-3, atol=5e-3),
]


# -- CTC -------------------------------------------------------------------------

def _ctc_ref(target, output, target_length, output_length, mask_index=0):
    """Brute force: sums the probabilities of every alignment that collapses to the target."""
    lp = special.log_softmax(output.astype(np.float64), axis=-1)
    out = []
    for b in range(output.shape[0]):
        steps, classes = int(output_length[b]), output.shape[2]
        want = list(target[b, :int(target_length[b])])
        total = -np.inf
        for path in itertools.product(range(classes), repeat=steps):
            collapsed = [c for i, c in enumerate(path) if c != mask_index and (i == 0 or c != path[i - 1])]
            if collapsed == want:
                total = np.logaddexp(total, sum(lp[b, t, c] for t, c in enumerate(path)))
        out.append(-total)
    return np.array(out, np.float32)


def _decode_greedy_ref(inputs, lengths, merge_repeated=True, mask_index=0, **_):
    batch, steps, _ = inputs.shape
    paths = -np.ones((1, batch, steps), np.int32)
    scores = np.zeros((batch, 1), np.float32)
    for b in range(batch):
        best = np.argmax(inputs[b, :lengths[b]], axis=-1)
        scores[b, 0] = -np.max(inputs[b, :lengths[b]], axis=-1).sum()
        labels = [c for i, c in enumerate(best)
                  if c != mask_index and not (merge_repeated and i > 0 and c == best[i - 1])]
        paths[0, b, :len(labels)] = labels
    return paths, scores


def _decode_beam_ref(inputs, lengths, strategy="beam_search", beam_width=100, top_paths=1,
                     mask_index=0, **_):
    """Exact decoding: the label sequences of highest total probability (beam wide enough)."""
    lp = special.log_softmax(inputs.astype(np.float64), axis=-1)
    batch, steps, classes = inputs.shape
    paths = -np.ones((top_paths, batch, steps), np.int32)
    scores = np.zeros((batch, top_paths), np.float32)
    for b in range(batch):
        probs = {}
        n = int(lengths[b])
        for path in itertools.product(range(classes), repeat=n):
            collapsed = tuple(c for i, c in enumerate(path)
                              if c != mask_index and (i == 0 or c != path[i - 1]))
            probs[collapsed] = np.logaddexp(probs.get(collapsed, -np.inf),
                                            sum(lp[b, t, c] for t, c in enumerate(path)))
        best = sorted(probs.items(), key=lambda kv: -kv[1])[:top_paths]
        for k, (labels, score) in enumerate(best):
            paths[k, b, :len(labels)] = labels
            scores[b, k] = score
    return paths, scores


LOGITS = rand((2, 4, 3), seed=11) * 2
TARGET = np.array([[1, 2], [2, 2]], np.int32)
CASES += [
    Case("ctc_loss", (TARGET, LOGITS, np.array([2, 2], np.int32), np.array([4, 4], np.int32)),
         ref=_ctc_ref, grad=True, rtol=1e-4),
    Case("nn.ctc_loss", (np.array([[1, 0, 0], [2, 1, 2]], np.int32), rand((2, 5, 3), seed=12),
                         np.array([1, 3], np.int32), np.array([3, 5], np.int32)),
         ref=_ctc_ref, grad=True, rtol=1e-4, keras=SLOW_KERAS),
    Case("ctc_loss", (np.array([[1, 1], [2, 0]], np.int32), LOGITS, np.array([2, 1], np.int32),
                      np.array([4, 3], np.int32)), {"mask_index": 0}, ref=_ctc_ref, rtol=1e-4,
         keras=SLOW_KERAS),
    Case("ctc_loss", (np.array([[0, 1]], np.int32), LOGITS[:1], np.array([2], np.int32),
                      np.array([4], np.int32)), {"mask_index": 2},
         ref=lambda *a, mask_index: _ctc_ref(*a, mask_index=mask_index), rtol=1e-4,
         keras=SLOW_KERAS),
    Case("ctc_loss", (TARGET, LOGITS.astype(np.float16), np.array([2, 2], np.int32),
                      np.array([4, 4], np.int32)), ref=_ctc_ref, rtol=5e-3, atol=5e-3),
]

DEC = rand((3, 5, 4), seed=21) * 2
DEC_LEN = np.array([5, 3, 4], np.int32)
CASES += [
    Case("ctc_decode", (DEC, DEC_LEN), ref=_decode_greedy_ref),
    Case("nn.ctc_decode", (DEC, DEC_LEN), {"merge_repeated": False}, ref=_decode_greedy_ref),
    Case("ctc_decode", (DEC, DEC_LEN), {"mask_index": 3}, ref=_decode_greedy_ref),
    Case("ctc_decode", (np.array([[[0.0, 2.0, 0.0], [0.0, 2.0, 0.0], [2.0, 0.0, 0.0], [0.0, 2.0, 0.1]]],
                                 np.float32), np.array([4], np.int32)), ref=_decode_greedy_ref),
    Case("ctc_decode", (DEC, DEC_LEN), {"strategy": "beam_search", "beam_width": 16, "top_paths": 3},
         ref=_decode_beam_ref, rtol=1e-4, keras=SLOW_KERAS),
    Case("ctc_decode", (DEC, DEC_LEN), {"strategy": "beam_search", "beam_width": 16, "mask_index": 2},
         ref=_decode_beam_ref, rtol=1e-4, keras=SLOW_KERAS),
    # A narrow beam: no exact reference, compared with Keras only.
    Case("ctc_decode", (rand((2, 6, 5), seed=22) * 3, np.array([6, 4], np.int32)),
         {"strategy": "beam_search", "beam_width": 3, "top_paths": 2}, rtol=1e-4),
    Case("ctc_decode", (DEC.astype(np.float16), DEC_LEN), ref=_decode_greedy_ref, rtol=1e-3),
]

ERRORS = [
    ErrorCase("binary_crossentropy", (rand((2, 3)), rand((3, 2))), match="same shape"),
    ErrorCase("categorical_crossentropy", (rand((2, 3)), rand((2, 4))), match="same shape"),
    ErrorCase("categorical_crossentropy", (np.float32(1.0) * np.ones((), np.float32),
                                           np.ones((), np.float32)), match="rank 1"),
    ErrorCase("sparse_categorical_crossentropy", (np.array([0, 1, 2], np.int32), rand((2, 4))),
              match="class axis"),
    ErrorCase("binary_crossentropy", ("a", rand((2,))), error=TypeError, match="target"),
    ErrorCase("psnr", (rand((2, 3)), rand((3, 2)), 1.0), match="same shape"),
    ErrorCase("ctc_loss", (TARGET, LOGITS[:, :, 0], np.array([2, 2]), np.array([4, 4])),
              match="rank 3"),
    ErrorCase("ctc_loss", (TARGET[:1], LOGITS, np.array([2]), np.array([4, 4])),
              match="first dimension"),
    ErrorCase("ctc_decode", (DEC, DEC_LEN), {"strategy": "best"}, match="strategy"),
]
