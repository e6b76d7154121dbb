"""TimeDistributed: applies one layer to every time step of a sequence."""

import inspect

from lamina import ops, tree
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _takes(layer, argument):
    return argument in inspect.signature(layer.call).parameters


@keras_export("keras.layers")
class TimeDistributed(Wrapper):
    """Applies ``layer`` to every slice ``inputs[:, t]`` with the same weights.

    The input must be at least 3D, ``(batch, time, ...)``; the output is
    ``(batch, time, *layer_output[1:])``. Batch and time are merged into one axis
    so the wrapped layer runs once on ``(batch * time, ...)``; a layer with
    non-trainable state (e.g. BatchNormalization) instead runs once per time
    step, so that its statistics are per step, as in Keras.

    Args:
        layer: the layer to apply.

    Call arguments:
        inputs: ``(batch, time, ...)``.
        training: passed to the wrapped layer.
        mask: optional boolean ``(batch, time)``, passed per step to a layer that
            takes a mask; it is also the output's mask.

    Example:
        >>> layer = lamina.layers.TimeDistributed(lamina.layers.Dense(8))
        >>> layer(np.ones((32, 10, 16))).shape
        (32, 10, 8)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"TimeDistributed must wrap a lamina layer instance; received {layer!r} "
                f"(of type {type(layer).__name__})."
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _child_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed layer {self.name!r} expects an input of rank >= 3 "
                f"(batch, time, ...); received input shape {input_shape}."
            )
        batch, time = input_shape[0], input_shape[1]
        merged = None if batch is None or time is None else batch * time
        return (merged, *input_shape[2:])

    def build(self, input_shape):
        child = tuple(self._child_shape(input_shape))
        if not self.layer.built:
            self.layer.build((None, *child[1:]))
            self.layer.built = True

    def compute_output_shape(self, input_shape):
        child = self._child_shape(tuple(input_shape))
        out = self.layer.compute_output_shape((None, *child[1:]))
        return (input_shape[0], input_shape[1], *tuple(out)[1:])

    def compute_output_spec(self, inputs, training=None, mask=None):
        shape = self.compute_output_shape(tuple(inputs.shape))
        return KerasTensor(shape, dtype=self.layer.compute_dtype)

    def _check_mask(self, inputs, mask):
        shape, in_shape = tuple(mask.shape), tuple(inputs.shape)
        if len(shape) < 2 or any(a is not None and b is not None and a != b
                                 for a, b in zip(shape[:2], in_shape[:2])):
            raise ValueError(
                f"TimeDistributed layer {self.name!r}: the mask must start with the input's "
                f"(batch, time) = {in_shape[:2]}; received a mask of shape {shape}."
            )

    def call(self, inputs, training=None, mask=None):
        self._child_shape(tuple(inputs.shape))
        if mask is not None:
            self._check_mask(inputs, mask)
        kwargs = {}
        if _takes(self.layer, "training"):
            kwargs["training"] = training
        take_mask = mask is not None and _takes(self.layer, "mask")
        if self.layer.non_trainable_weights:
            return self._per_step(inputs, mask if take_mask else None, kwargs)
        shape = ops.shape(inputs)
        batch, time = shape[0], shape[1]
        merged = ops.reshape(inputs, (-1, *shape[2:]))
        if take_mask:
            kwargs["mask"] = ops.reshape(mask, (-1, *ops.shape(mask)[2:]))
        outputs = self.layer(merged, **kwargs)
        return tree.map_structure(
            lambda y: ops.reshape(y, (batch, time, *ops.shape(y)[1:])), outputs)

    def _per_step(self, inputs, mask, kwargs):
        steps = inputs.shape[1]
        if steps is None:
            raise ValueError(
                f"TimeDistributed layer {self.name!r}: wrapping {self.layer.name!r}, which has "
                "per-step state, needs a known number of time steps; received input shape "
                f"{tuple(inputs.shape)}."
            )
        outputs = []
        for t in range(steps):
            if mask is not None:
                kwargs["mask"] = mask[:, t]
            outputs.append(self.layer(inputs[:, t], **kwargs))
        return tree.map_structure(lambda *ys: ops.stack(ys, axis=1), *outputs)
