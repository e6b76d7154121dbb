"""``lamina.ops.nn``: losses (crossentropies, CTC, PSNR)."""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "ctc_loss", "ctc_decode", "psnr",
]


def _same_shape(target, output, what="the same shape"):
    t, o = rules.shape_of(target, "target"), rules.shape_of(output, "output")
    if len(t) != len(o) or any(a is not None and b is not None and a != b for a, b in zip(t, o)):
        raise ValueError(
            f"`target` and `output` must have {what}, received target.shape={t} and "
            f"output.shape={o}."
        )
    return t, o


def _loss_dtype(target, output):
    return dtypes.float_result_type(rules.dtype_of(target, "target"), rules.dtype_of(output, "output"))


def _bce_rule(target, output, from_logits=False):
    _, o = _same_shape(target, output)
    return rules.spec(o, _loss_dtype(target, output))


def _cce_rule(target, output, from_logits=False, axis=-1):
    _, o = _same_shape(target, output)
    if not o:
        raise ValueError("`target` and `output` must be at least rank 1, received scalars.")
    a = rules.canonical_axis(axis, len(o))
    return rules.spec(o[:a] + o[a + 1:], _loss_dtype(target, output))


def _scce_rule(target, output, from_logits=False, axis=-1):
    t, o = rules.shape_of(target, "target"), rules.shape_of(output, "output")
    if not o:
        raise ValueError("`output` must be at least rank 1, received a scalar.")
    a = rules.canonical_axis(axis, len(o))
    if dtypes.standardize_dtype(rules.tensor_dtype(target, "target")) not in dtypes.INT_TYPES:
        if not dtypes.is_float_dtype(rules.tensor_dtype(target, "target")):
            raise TypeError(f"expected integer class ids for `target`, received {rules.describe(target)}.")
    if len(t) == len(o) and t and t[-1] == 1:
        t = t[:-1]
    rest = o[:a] + o[a + 1:]
    if len(t) != len(rest) or any(x is not None and y is not None and x != y for x, y in zip(t, rest)):
        raise ValueError(
            "`target` must have the shape of `output` without its class axis, received "
            f"target.shape={rules.shape_of(target, 'target')} and output.shape={o}."
        )
    return rules.spec(rest, dtypes.float_result_type(rules.dtype_of(output, "output")))


def _psnr_rule(x1, x2, max_val):
    a, b = rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2")
    if len(a) != len(b) or any(p is not None and q is not None and p != q for p, q in zip(a, b)):
        raise ValueError(f"`x1` and `x2` must have the same shape, received {a} and {b}.")
    return rules.spec((), dtypes.float_result_type(rules.dtype_of(x1, "x1"), rules.dtype_of(x2, "x2")))


def _first_dims_match(name1, s1, name2, s2):
    if s1[0] is not None and s2[0] is not None and s1[0] != s2[0]:
        raise ValueError(
            f"`{name1}` and `{name2}` must have the same first dimension, received shapes "
            f"{s1} and {s2}."
        )


def _ctc_loss_rule(target, output, target_length, output_length, mask_index=0):
    t, o = rules.shape_of(target, "target"), rules.shape_of(output, "output")
    tl, ol = rules.shape_of(target_length, "target_length"), rules.shape_of(output_length, "output_length")
    if len(t) != 2:
        raise ValueError(f"`target` must have rank 2 (batch, max_label_length), received shape {t}.")
    if len(o) != 3:
        raise ValueError(f"`output` must have rank 3 (batch, time, classes), received shape {o}.")
    if len(tl) != 1 or len(ol) != 1:
        raise ValueError(
            f"`target_length` and `output_length` must have rank 1, received shapes {tl} and {ol}."
        )
    _first_dims_match("target", t, "output", o)
    _first_dims_match("target_length", tl, "target", t)
    _first_dims_match("output_length", ol, "output", o)
    return rules.spec((t[0] if t[0] is not None else o[0],),
                      dtypes.result_type(rules.dtype_of(output, "output"), "float32"))


def _ctc_decode_rule(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
                     merge_repeated=True, mask_index=0):
    s = rules.shape_of(inputs, "inputs")
    if len(s) != 3:
        raise ValueError(f"`inputs` must have rank 3 (batch, time, classes), received shape {s}.")
    sl = rules.shape_of(sequence_lengths, "sequence_lengths")
    if len(sl) != 1:
        raise ValueError(f"`sequence_lengths` must have rank 1, received shape {sl}.")
    _first_dims_match("sequence_lengths", sl, "inputs", s)
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(f"`strategy` must be 'greedy' or 'beam_search', received {strategy!r}.")
    paths = 1 if strategy == "greedy" else top_paths
    if strategy == "beam_search" and not (1 <= top_paths <= beam_width):
        raise ValueError(
            f"`top_paths` must be between 1 and `beam_width`={beam_width}, received {top_paths}."
        )
    dtype = dtypes.result_type(rules.dtype_of(inputs, "inputs"), "float32")
    return (rules.spec((paths, s[0], s[1]), "int32"), rules.spec((s[0], paths), dtype))


@op(_bce_rule, module="nn")
def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary crossentropy between targets and predicted probabilities.

    With ``from_logits=False`` the probabilities are clipped to
    ``[epsilon, 1 - epsilon]`` first (``epsilon()`` of the config).

    Args:
        target: targets in [0, 1], the shape of ``output``.
        output: probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``output`` holds logits.

    Returns:
        The loss, the shape of ``output``.

    Example:
        >>> lamina.ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
        # [0.10536, 0.22314]
    """


@op(_cce_rule, module="nn")
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) targets and a predicted distribution.

    With ``from_logits=False``, ``output`` is renormalized to sum to 1 along
    ``axis`` and clipped to ``[epsilon, 1 - epsilon]``.

    Args:
        target: targets, the shape of ``output``.
        output: probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``output`` holds logits.
        axis: the class axis.

    Returns:
        The loss, the shape of ``output`` without ``axis``.

    Example:
        >>> lamina.ops.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
        # [0.22314]
    """


@op(_scce_rule, module="nn")
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer class ids and a predicted distribution.

    Args:
        target: integer class ids, the shape of ``output`` without ``axis``
            (a trailing axis of size 1 is allowed).
        output: probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``output`` holds logits.
        axis: the class axis of ``output``.

    Returns:
        The loss, the shape of ``target``.

    Example:
        >>> lamina.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
        # [0.22314]
    """


@op(_ctc_loss_rule, module="nn")
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss, one value per sequence.

    Args:
        target: integer labels, shape ``(batch, max_label_length)``.
        output: logits, shape ``(batch, max_time, num_classes)``.
        target_length: the label lengths, shape ``(batch,)``.
        output_length: the output lengths, shape ``(batch,)``.
        mask_index: the class id of the blank label.

    Returns:
        The negative log-likelihood of each target, shape ``(batch,)``.

    Example:
        >>> lamina.ops.ctc_loss(np.array([[1, 2]]), np.zeros((1, 4, 3), "float32"),
        ...                     np.array([2]), np.array([4]))
        # [3.0...]
    """


@op(_ctc_decode_rule, module="nn")
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes the output of a CTC model, greedily or with a prefix beam search.

    Args:
        inputs: logits, shape ``(batch, max_time, num_classes)``.
        sequence_lengths: the length of each sequence, shape ``(batch,)``.
        strategy: ``"greedy"`` or ``"beam_search"``.
        beam_width: the number of prefixes kept by the beam search.
        top_paths: the number of paths returned by the beam search.
        merge_repeated: greedy only: merge repeated labels.
        mask_index: the class id of the blank label.

    Returns:
        A tuple ``(paths, scores)``: ``paths`` of shape ``(top_paths, batch,
        max_time)`` holds the labels, padded with -1; ``scores`` of shape
        ``(batch, top_paths)`` holds the negative sum of the best logits
        (greedy) or the log-probability of each path (beam search).

    Example:
        >>> logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.8, 0.1, 0.1]]], "float32"))
        >>> lamina.ops.ctc_decode(logits, np.array([2]))[0]
        # [[[1, -1]]]
    """


@op(_psnr_rule, module="nn")
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mean((x1 - x2)**2))``.

    Args:
        x1: a signal.
        x2: another signal of the same shape.
        max_val: the largest possible value of the signals.

    Returns:
        A scalar.

    Example:
        >>> lamina.ops.psnr(np.ones((2, 2)), np.zeros((2, 2)), 1.0)
        # 0.0
    """
