"""``lamina.ops.rearrange``: einops-style axis rearrangement built from reshape and transpose.

Example:
    >>> lamina.ops.rearrange(np.ones((2, 3, 4)), "b h w -> b (w h)").shape
    (2, 12)
"""

import re

import numpy as np

from lamina.ops import rules
from lamina.ops.dispatch import op
from lamina.ops.numpy.shape import _prod, reshape, transpose

__all__ = ["rearrange"]


# -- rearrange (einops-style) --------------------------------------------------------

_GROUP = re.compile(r"\(([^()]*)\)|([A-Za-z_]\w*)|(\S)")


def _parse_side(text, side):
    groups = []
    for m in _GROUP.finditer(text):
        if m.group(3) is not None:
            raise ValueError(f"unexpected {m.group(3)!r} in the {side} of the pattern.")
        if m.group(1) is not None:
            names = m.group(1).split()
            for n in names:
                if not re.fullmatch(r"[A-Za-z_]\w*", n):
                    raise ValueError(f"invalid axis name {n!r} in the {side} of the pattern.")
            groups.append(names)
        else:
            groups.append([m.group(2)])
    return groups


def _rearrange_plan(shape, pattern, axes_lengths):
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(f"expected a pattern like 'a b -> b a', received {pattern!r}.")
    left, right = pattern.split("->")
    ins, outs = _parse_side(left, "input"), _parse_side(right, "output")
    if len(ins) != len(shape):
        raise ValueError(f"the pattern {pattern!r} has {len(ins)} input axes but the tensor "
                         f"has shape {tuple(shape)}.")
    in_names = [n for g in ins for n in g]
    out_names = [n for g in outs for n in g]
    if len(set(in_names)) != len(in_names) or sorted(in_names) != sorted(out_names):
        raise ValueError(f"the pattern {pattern!r} must use each axis name once on each side.")
    for k in axes_lengths:
        if k not in in_names:
            raise ValueError(f"axis length {k}= is given but {k!r} is not in the pattern.")
    sizes = {}
    for group, dim in zip(ins, shape):
        unknown = [n for n in group if n not in axes_lengths]
        known = _prod([int(axes_lengths[n]) for n in group if n in axes_lengths])
        for n in group:
            if n in axes_lengths:
                sizes[n] = int(axes_lengths[n])
        if len(group) == 1 and not unknown:
            if dim is not None and dim != sizes[group[0]]:
                raise ValueError(f"axis {group[0]!r} has size {dim}, not {sizes[group[0]]}.")
        elif len(unknown) > 1:
            raise ValueError(f"cannot infer the sizes of {unknown} in {pattern!r}: give all "
                             "but one of them as keyword arguments.")
        elif unknown:
            if dim is None:
                sizes[unknown[0]] = None
            elif known == 0 or dim % known:
                raise ValueError(f"an axis of size {dim} cannot be split into {group} with "
                                 f"{axes_lengths}.")
            else:
                sizes[unknown[0]] = dim // known
        elif dim is not None and dim != known:
            raise ValueError(f"the group {group} has size {known}, the axis has {dim}.")
    decomposed = [sizes[n] for n in in_names]
    order = [in_names.index(n) for n in out_names]
    final = [_prod([sizes[n] for n in g]) for g in outs]
    return decomposed, order, final


def _rearrange_rule(tensor, pattern, **axes_lengths):
    shape = rules.shape_of(tensor, "tensor")
    _, _, final = _rearrange_plan(shape, pattern, axes_lengths)
    return rules.spec(tuple(final), rules.tensor_dtype(tensor, "tensor"))


def _checked_target(dims, pattern, shape):
    """A reshape target: an unknown dim becomes -1 (at most one may be unknown)."""
    if sum(d is None for d in dims) > 1:
        raise ValueError(f"ops.rearrange: too many unknown dimensions to apply {pattern!r} "
                         f"to shape {shape}.")
    return tuple(-1 if d is None else d for d in dims)


@op(_rearrange_rule, composite=True)
def rearrange(tensor, pattern, **axes_lengths):
    """Rearranges axes with an einops-style pattern (transpose, merge and split axes).

    Args:
        tensor: a tensor.
        pattern: e.g. ``"b h w c -> b c h w"``, ``"b h w c -> b (h w c)"`` or
            ``"b (h h1) w -> b h (h1 w)"``.
        **axes_lengths: the sizes of axes that are split out of a group.

    Example:
        >>> lamina.ops.rearrange(np.ones((2, 3, 4)), "b h w -> b (w h)").shape
        (2, 12)
    """
    raw = tensor.shape if hasattr(tensor, "shape") else np.shape(tensor)
    shape = tuple(int(d) if isinstance(d, (int, np.integer)) else None for d in raw)
    decomposed, order, final = _rearrange_plan(shape, pattern, dict(axes_lengths))
    x = tensor
    if list(decomposed) != list(shape):
        x = reshape(x, _checked_target(decomposed, pattern, shape))
    if order != sorted(order):
        x = transpose(x, order)
    return reshape(x, _checked_target(final, pattern, shape))
