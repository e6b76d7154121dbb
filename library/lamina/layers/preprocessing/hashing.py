"""Hashing: hashes strings or integers into a fixed number of bins."""

import numpy as np

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.config import floatx
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.encoding import OUTPUT_MODES, encode_categorical
from lamina.layers.preprocessing.host_data import tensorflow_strings, to_numpy_tokens
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Hashing(Layer):
    """Maps each value to ``hash(str(value)) % num_bins`` with TensorFlow's FarmHash
    fingerprint (SipHash-2-4 with a ``salt``), so bins equal Keras 3's.

    Runs on the host with TensorFlow's string kernels on every backend, as in Keras
    (TensorFlow must be installed); floats are truncated to integers first.

    Args:
        num_bins: the number of bins (including the mask bin when ``mask_value`` is set).
        mask_value: a value that maps to bin 0 (other values use bins ``1..num_bins-1``).
        salt: an int or a pair of ints; switches to the keyed (strong) hash.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: accepted for Keras compatibility; outputs are dense.

    Example:
        >>> lamina.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"]])
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"Hashing: `num_bins` must be a positive integer. Received: num_bins={num_bins}")
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Hashing: unknown output_mode {output_mode!r}; expected one of {OUTPUT_MODES}.")
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise TypeError(f'Hashing: with output_mode="int", `dtype` must be an integer type. Received: '
                            f"dtype={kwargs['dtype']}")
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError(f"Hashing: `salt` must be an int or a pair of ints. Received: salt={salt!r}")
        self.num_bins, self.mask_value, self.salt = num_bins, mask_value, salt
        self.strong_hash = salt is not None
        self.output_mode, self.sparse = output_mode, sparse
        self.built = True

    def _bins(self, values):
        values = to_numpy_tokens(values)
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        if values.dtype.kind == "f":
            values = values.astype("int64")
        text = values if values.dtype == object else values.astype(str).astype(object)
        hashed = tensorflow_strings().hash_to_bins(text, bins, self.salt)
        if mask is not None:
            hashed = np.where(mask, 0, hashed + 1)
        return hashed.astype("int64")

    def call(self, inputs):
        values = to_numpy_tokens(inputs)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        return encode_categorical(self._bins(values), self.output_mode, self.num_bins, self.dtype)

    def compute_output_spec(self, inputs):
        if self.output_mode == "int":
            return KerasTensor(inputs.shape, dtype=self.dtype)
        base = tuple(inputs.shape)[:-1] if len(inputs.shape) >= 1 else ()
        return KerasTensor(base + (self.num_bins,), dtype=self.dtype)

    def compute_output_shape(self, input_shape):
        return self.compute_output_spec(KerasTensor(input_shape)).shape

    def __call__(self, inputs, *args, **kwargs):
        if not isinstance(inputs, KerasTensor) and not ops.is_tensor(inputs):
            inputs = to_numpy_tokens(inputs)
            if inputs.dtype == object:  # strings stay on the host: call directly
                return self.call(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode, "sparse": self.sparse}
