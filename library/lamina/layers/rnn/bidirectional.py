"""Bidirectional: runs a recurrent layer forwards and backwards and merges the two."""

import copy

from lamina import ops
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy_layer(layer, name, **overrides):
    from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

    config = serialize_keras_object(layer)
    config["config"].update(overrides)
    config["config"]["name"] = name
    return deserialize_keras_object(config, safe_mode=None)


def _strip(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


@keras_export("keras.layers")
class Bidirectional(Layer):
    """Runs an RNN layer over the sequence in both directions and merges the outputs.

    The forward layer is a fresh copy of ``layer`` (named ``forward_<name>``); the
    backward one is ``backward_layer`` or a copy of ``layer`` with ``go_backwards``
    flipped. Masked timesteps give zero outputs when sequences are returned.

    Args:
        layer: an RNN layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``RNN``...).
        merge_mode: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"``, or None
            to return the two outputs as a list.
        weights: optional initial weights (forward's then backward's).
        backward_layer: the layer for the backward direction (it must have the
            opposite ``go_backwards`` and the same ``return_sequences``,
            ``return_state`` and ``stateful``).

    Call arguments:
        sequences, mask, training: as for the wrapped layer.
        initial_state: the forward states followed by the backward states.

    Example:
        >>> layer = lamina.layers.Bidirectional(lamina.layers.LSTM(4, return_sequences=True))
        >>> layer(np.ones((2, 5, 3), "float32")).shape
        (2, 5, 8)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Bidirectional: `layer` must be a lamina Layer instance, received "
                             f"{layer!r}.")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: `backward_layer` must be a lamina Layer instance, "
                             f"received {backward_layer!r}.")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Bidirectional: merge_mode must be one of {_MERGE_MODES}, received "
                             f"{merge_mode!r}.")
        super().__init__(**kwargs)
        self.forward_layer = _copy_layer(layer, "forward_" + _strip(layer.name, "forward_"))
        if backward_layer is None:
            self.backward_layer = _copy_layer(layer, "backward_" + _strip(layer.name, "backward_"),
                                              go_backwards=not layer.go_backwards)
        else:
            self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        if weights:
            half = len(weights) // 2
            self.forward_layer._initial_weights = weights[:half]
            self.backward_layer._initial_weights = weights[half:]
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self):
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError(
                "Bidirectional: the forward and backward layers must have different "
                f"`go_backwards`; received forward go_backwards={fwd.go_backwards} and backward "
                f"go_backwards={bwd.go_backwards}.")
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(fwd, attr) != getattr(bwd, attr):
                raise ValueError(
                    f"Bidirectional: the forward and backward layers must have the same `{attr}`; "
                    f"received {getattr(fwd, attr)} (forward) and {getattr(bwd, attr)} "
                    "(backward).")

    def build(self, sequences_shape, initial_state_shape=None):
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub.build(sequences_shape)
                sub.built = True
            if sub._initial_weights is not None:  # from the `weights` argument
                sub.set_weights(sub._initial_weights)
                sub._initial_weights = None

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shape = ()
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = tuple(output_shape[:-1]) + (output_shape[-1] * 2,)
        elif self.merge_mode is None:
            output_shape = (tuple(output_shape), tuple(output_shape))
        else:
            output_shape = tuple(output_shape)
        if self.return_state:
            if self.merge_mode is None:
                return output_shape + state_shape + state_shape
            return (output_shape,) + state_shape + state_shape
        return output_shape

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if self.forward_layer._call_info["training"]:
            kwargs["training"] = training
        if self.forward_layer._call_info["mask"]:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        y = ops.cast(y, self.compute_dtype)
        y_rev = ops.cast(y_rev, self.compute_dtype)
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        if self.merge_mode == "concat":
            output = ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output) + states
            return (output,) + states
        return output

    def compute_mask(self, _, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_sequences:
            output_mask = mask if self.merge_mode else (mask, mask)
        else:
            output_mask = None if self.merge_mode else (None, None)
        if self.return_state:
            count = 2 * (len(self.forward_layer.state_size)
                         if hasattr(self.forward_layer, "state_size") else 1)
            if isinstance(output_mask, tuple):
                return output_mask + (None,) * count
            return (output_mask,) + (None,) * count
        return output_mask

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states) + tuple(self.backward_layer.states)
        return None

    def reset_states(self):
        """Alias of :meth:`reset_state`."""
        self.reset_state()

    def reset_state(self):
        """Zeroes both directions' states (stateful layers only)."""
        if not self.stateful:
            raise AttributeError(f"Bidirectional layer {self.name!r}: reset_state needs a "
                                 "stateful layer.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize_keras_object(self.forward_layer),
                "backward_layer": serialize_keras_object(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        config = copy.deepcopy(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects,
                                                   safe_mode=None)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_keras_object(
                backward, custom_objects=custom_objects, safe_mode=None)
        return super().from_config(config)
