"""Dot: the per-sample dot product of two inputs."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge
from lamina.saving.object_registry import keras_export


def batch_dot(x, y, axes=None):
    """Per-sample dot product of ``x`` and ``y`` over ``axes`` (batch axis 0 kept).

    Args:
        x, y: tensors of rank >= 2 with the same batch size.
        axes: an int or a pair of ints, the axes to contract (not 0). Default:
            last of ``x`` with the last (rank 2) or second-to-last of ``y``.

    Example:
        >>> batch_dot(np.ones((2, 3)), np.ones((2, 3)), axes=1).shape
        (2, 1)
    """
    x_shape, y_shape = tuple(x.shape), tuple(y.shape)
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes "
            f"{x_shape} and {y_shape}."
        )
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError(
            f"Cannot do batch_dot on inputs with different batch sizes. Received inputs with "
            f"shapes {x_shape} and {y_shape}."
        )
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(
            f"Multiple target dimensions are not supported. Expected: None, int, (int, int), "
            f"Provided: {axes}"
        )
    a0, a1 = axes
    a0 = a0 + x_ndim if a0 < 0 else a0
    a1 = a1 + y_ndim if a1 < 0 else a1
    if a0 == 0 or a1 == 0:
        raise ValueError(
            "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy "
            "batch dimension to your inputs using ops.expand_dims(x, 0)"
        )
    d1, d2 = x_shape[a0], y_shape[a1]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} with "
            f"axes={[a0, a1]}. x.shape[{a0}] != y.shape[{a1}] ({d1} != {d2})."
        )
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x = ops.expand_dims(x, 1)
        a0 += 1
        x_ndim += 1
    if y_ndim == 2:
        y = ops.expand_dims(y, 2)
        y_ndim += 1
    if a0 != x_ndim - 1:
        x = ops.transpose(x, [i for i in range(x_ndim) if i != a0] + [a0])
    if a1 != 1:
        y = ops.transpose(y, [0, a1] + [i for i in range(1, y_ndim) if i != a1])
    x_mid = y_trail = None
    if x_ndim > 3:
        shape = ops.shape(x)
        x_mid = tuple(shape[1:-1])
        x = ops.reshape(x, (shape[0], -1, shape[-1]))
    if y_ndim > 3:
        shape = ops.shape(y)
        y_trail = tuple(shape[2:])
        y = ops.reshape(y, (shape[0], shape[1], -1))
    result = ops.matmul(x, y)
    if x_mid is not None or y_trail is not None:
        shape = tuple(ops.shape(result))
        if x_mid is not None:
            shape = shape[:1] + x_mid + shape[-1:]
        if y_trail is not None:
            shape = shape[:-1] + y_trail
        result = ops.reshape(result, shape)
    if orig_x_ndim == 2:
        result = ops.squeeze(result, 1)
    elif orig_y_ndim == 2:
        result = ops.squeeze(result, -1)
    return result


@keras_export("keras.layers")
class Dot(Merge):
    """The dot product of two inputs' samples over ``axes``.

    Args:
        axes: an int or a pair of ints, the axis (of each input) to contract.
        normalize: L2-normalize both inputs along ``axes`` first, which gives
            the cosine similarity.

    Example:
        >>> lamina.layers.Dot(axes=1)([np.ones((2, 3)), np.ones((2, 3))])  # [[3.], [3.]]
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True
        self._reshape_required = False

    def _axes_for(self, shape1, shape2):
        if isinstance(self.axes, int):
            if self.axes < 0:
                return [self.axes % len(shape1), self.axes % len(shape2)]
            return [self.axes] * 2
        return [a % len(s) if a < 0 else a for a, s in zip(self.axes, (shape1, shape2))]

    def _check_pair(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2 or \
                not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(
                f"A `Dot` layer ({self.name!r}) should be called on a list of 2 inputs. "
                f"Received: input_shape={input_shape}"
            )

    def build(self, input_shape):
        self._check_pair(input_shape)
        shape1, shape2 = input_shape
        if shape1 is None or shape2 is None:
            return
        a0, a1 = self._axes_for(shape1, shape2)
        if max(a0, a1) >= max(len(shape1), len(shape2)) or a0 >= len(shape1) or \
                a1 >= len(shape2) or shape1[a0] != shape2[a1]:
            raise ValueError(
                f"Dot layer {self.name!r}: incompatible input shapes: axis values "
                f"{shape1[a0] if a0 < len(shape1) else '?'} (at axis {a0}) != "
                f"{shape2[a1] if a1 < len(shape2) else '?'} (at axis {a1}). "
                f"Full input shapes: {tuple(shape1)}, {tuple(shape2)}"
            )

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(
                f"A `Dot` layer ({self.name!r}) should be called on exactly 2 inputs. "
                f"Received: inputs={inputs}"
            )
        x1, x2 = inputs
        axes = self._axes_for(x1.shape, x2.shape)
        if self.normalize:
            x1 = ops.normalize(x1, axis=axes[0])
            x2 = ops.normalize(x2, axis=axes[1])
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        self._check_pair(input_shape)
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        a0, a1 = self._axes_for(shape1, shape2)
        shape1.pop(a0)
        shape2.pop(a1)
        shape2.pop(0)
        out = shape1 + shape2
        if len(out) == 1:
            out += [1]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


@keras_export("keras.layers")
def dot(inputs, axes=-1, **kwargs):
    """Functional form of :class:`Dot`.

    Example:
        >>> y = lamina.layers.dot([a, b], axes=1)
    """
    return Dot(axes=axes, **kwargs)(inputs)
