"""Concatenate: joins a list of inputs along an axis."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Concatenate(Merge):
    """Concatenates a list of inputs along ``axis``; all other axes must match.

    Args:
        axis: the concatenation axis.

    Example:
        >>> lamina.layers.Concatenate()([np.ones((2, 3)), np.zeros((2, 1))]).shape
        (2, 4)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self._reshape_required = False

    def _error(self, input_shape):
        return ValueError(
            f"A `Concatenate` layer ({self.name!r}) requires inputs with matching shapes except "
            f"for the concatenation axis {self.axis}. Received: input_shape={list(input_shape)}"
        )

    def build(self, input_shape):
        self._check_list(input_shape)
        shapes = [s for s in input_shape if s is not None]
        if not shapes:
            return
        if len({len(s) for s in shapes}) != 1:
            raise self._error(input_shape)
        rank = len(shapes[0])
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Concatenate layer {self.name!r}: axis {self.axis} is out of bounds for inputs of "
                f"rank {rank}. Received: input_shape={list(input_shape)}"
            )
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            dims = {s[i] for s in shapes if s[i] is not None}
            if len(dims) > 1:
                raise self._error(input_shape)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A `Concatenate` layer ({self.name!r}) should be called on a list of inputs. "
                f"Received: inputs={inputs}"
            )
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        out = list(input_shape[0])
        for shape in input_shape[1:]:
            if out[self.axis] is None or shape[self.axis] is None:
                out[self.axis] = None
                break
            out[self.axis] += shape[self.axis]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (tuple, list)):
            raise ValueError(f"`mask` should be a list. Received mask={mask}")
        if not isinstance(inputs, (tuple, list)):
            raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
        if len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. Received: "
                f"{len(inputs)} inputs and {len(mask)} masks."
            )
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                masks.append(ops.ones_like(x, dtype="bool"))
            elif len(m.shape) < len(x.shape):
                masks.append(ops.logical_or(ops.expand_dims(m, axis=-1),
                                            ops.zeros_like(x, dtype="bool")))
            else:
                masks.append(m)
        return ops.any(ops.concatenate(masks, axis=self.axis), axis=-1, keepdims=False)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


@keras_export("keras.layers")
def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of :class:`Concatenate`.

    Example:
        >>> y = lamina.layers.concatenate([a, b], axis=-1)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
