"""Element-wise merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum,
and their functional forms."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Add(Merge):
    """Adds a list of inputs (shapes broadcast).

    Example:
        >>> lamina.layers.Add()([np.ones((2, 3)), np.ones((2, 3))])  # all 2.0
    """

    def _merge_function(self, inputs, masks=None):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


@keras_export("keras.layers")
class Subtract(Merge):
    """Subtracts the second of exactly two inputs from the first.

    Example:
        >>> lamina.layers.Subtract()([np.ones((2, 3)), np.ones((2, 3))])  # all 0.0
    """

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"A `Subtract` layer ({self.name!r}) should be called on exactly 2 inputs. "
                f"Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs, masks=None):
        if len(inputs) != 2:
            raise ValueError(
                f"A `Subtract` layer ({self.name!r}) should be called on exactly 2 inputs. "
                f"Received {len(inputs)} inputs."
            )
        return ops.subtract(inputs[0], inputs[1])


@keras_export("keras.layers")
class Multiply(Merge):
    """Multiplies a list of inputs element-wise (masked entries count as 1, and
    entries masked in every input give 0).

    Example:
        >>> lamina.layers.Multiply()([np.full((2, 3), 2.0), np.full((2, 3), 3.0)])  # all 6.0
    """

    def _merge_function(self, inputs, masks=None):
        masks = masks or [None] * len(inputs)
        has_mask = all(m is not None for m in masks)
        output, output_mask = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = ops.broadcast_to(ops.expand_dims(mask, -1), ops.shape(x))
                x = ops.where(mask, x, ops.cast(1, x.dtype))
                if has_mask:
                    output_mask = mask if output_mask is None else ops.logical_or(output_mask, mask)
            output = x if output is None else ops.multiply(output, x)
        if has_mask:
            output = ops.where(output_mask, output, ops.cast(0, output.dtype))
        return output


@keras_export("keras.layers")
class Average(Merge):
    """Averages a list of inputs element-wise.

    Example:
        >>> lamina.layers.Average()([np.zeros((2, 3)), np.ones((2, 3))])  # all 0.5
    """

    def _merge_function(self, inputs, masks=None):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output / len(inputs)


@keras_export("keras.layers")
class Maximum(Merge):
    """The element-wise maximum of a list of inputs (masked entries are ignored).

    Example:
        >>> lamina.layers.Maximum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])  # [[3, 5]]
    """

    def _merge_function(self, inputs, masks=None):
        return self._or_masked(ops.maximum, inputs, masks or [None] * len(inputs))


@keras_export("keras.layers")
class Minimum(Merge):
    """The element-wise minimum of a list of inputs (masked entries are ignored).

    Example:
        >>> lamina.layers.Minimum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])  # [[1, 2]]
    """

    def _merge_function(self, inputs, masks=None):
        return self._or_masked(ops.minimum, inputs, masks or [None] * len(inputs))


@keras_export("keras.layers")
def add(inputs, **kwargs):
    """Functional form of :class:`Add`.

    Example:
        >>> y = lamina.layers.add([a, b])
    """
    return Add(**kwargs)(inputs)


@keras_export("keras.layers")
def subtract(inputs, **kwargs):
    """Functional form of :class:`Subtract`.

    Example:
        >>> y = lamina.layers.subtract([a, b])
    """
    return Subtract(**kwargs)(inputs)


@keras_export("keras.layers")
def multiply(inputs, **kwargs):
    """Functional form of :class:`Multiply`.

    Example:
        >>> y = lamina.layers.multiply([a, b])
    """
    return Multiply(**kwargs)(inputs)


@keras_export("keras.layers")
def average(inputs, **kwargs):
    """Functional form of :class:`Average`.

    Example:
        >>> y = lamina.layers.average([a, b])
    """
    return Average(**kwargs)(inputs)


@keras_export("keras.layers")
def maximum(inputs, **kwargs):
    """Functional form of :class:`Maximum`.

    Example:
        >>> y = lamina.layers.maximum([a, b])
    """
    return Maximum(**kwargs)(inputs)


@keras_export("keras.layers")
def minimum(inputs, **kwargs):
    """Functional form of :class:`Minimum`.

    Example:
        >>> y = lamina.layers.minimum([a, b])
    """
    return Minimum(**kwargs)(inputs)
