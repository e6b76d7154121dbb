"""Merge: the base class of the layers that combine a list of inputs."""

from lamina import ops
from lamina.layers.layer import Layer


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)


class Merge(Layer):
    """Base class of element-wise merging layers (Add, Multiply, Maximum...).

    Inputs are a list of tensors with the same batch size whose other axes
    broadcast against each other (a lower-rank input gets size-1 axes inserted
    after the batch axis). Output masks are the OR of the input masks.

    Example:
        >>> class Diff(Merge):
        ...     def _merge_function(self, inputs, masks=None):
        ...         return inputs[0] - inputs[1]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs, masks=None):
        raise NotImplementedError

    def _check_list(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not all(s is None or _is_shape(s) for s in input_shape) or \
                _is_shape(input_shape):
            raise ValueError(
                f"A merge layer ({type(self).__name__} {self.name!r}) should be called on a list "
                f"of at least 1 input. Received: input_shape={input_shape} (not a list of shapes)"
            )

    def _elementwise_shape(self, shape1, shape2, input_shape):
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        out = list(shape1[:-len(shape2)])
        for i, j in zip(shape1[-len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(
                    f"Layer {self.name!r} ({type(self).__name__}): inputs have incompatible "
                    f"shapes. Received shapes {tuple(input_shape)}: {tuple(shape1)} and "
                    f"{tuple(shape2)} do not broadcast."
                )
        return tuple(out)

    def _output_shape(self, input_shape):
        self._check_list(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}) cannot merge tensors with different "
                f"batch sizes. Received tensors with shapes {list(input_shape)}"
            )
        out = None if input_shape[0] is None else tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = self._elementwise_shape(out, None if shape is None else tuple(shape[1:]),
                                          input_shape)
        return batch_sizes, out

    def build(self, input_shape):
        self._output_shape(input_shape)
        self._reshape_required = not (None not in input_shape
                                      and len(set(map(len, input_shape))) == 1)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A merge layer ({type(self).__name__} {self.name!r}) should be called on a list "
                f"of inputs. Received: inputs={inputs} (not a list of tensors)"
            )
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        if self._reshape_required:
            max_ndim = max(len(x.shape) for x in inputs)
            reshaped = []
            for x in inputs:
                for _ in range(max_ndim - len(x.shape)):
                    x = ops.expand_dims(x, axis=1)
                reshaped.append(x)
            return self._merge_function(reshaped, [None] * len(inputs))
        return self._merge_function(inputs, masks)

    def compute_output_shape(self, input_shape):
        batch_sizes, out = self._output_shape(input_shape)
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch,) + tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (tuple, list)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")
        if not isinstance(inputs, (tuple, list)):
            raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
        if len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. Received: "
                f"{len(inputs)} inputs and {len(mask)} masks."
            )
        if any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = ops.logical_or(out, m)
        return out

    def _or_masked(self, op, inputs, masks):
        """Folds ``op`` over the inputs, ignoring masked entries (for ops without
        an identity element, like maximum and minimum)."""
        output, output_mask = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = ops.broadcast_to(ops.expand_dims(mask, -1), ops.shape(x))
            if output is None:
                output, output_mask = x, mask
                continue
            if mask is not None:
                x = ops.where(mask, x, output)
            if output_mask is not None:
                output = ops.where(output_mask, output, x)
            if mask is not None and output_mask is not None:
                output_mask = ops.logical_or(output_mask, mask)
            else:
                output_mask = None
            output = op(output, x)
        return output
