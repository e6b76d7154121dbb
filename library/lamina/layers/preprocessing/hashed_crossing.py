"""HashedCrossing: crosses categorical features with the hashing trick, as Keras 3 does."""

import numpy as np

from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.config import floatx
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.encoding import encode_categorical, encoded_shape
from lamina.layers.preprocessing.host_data import tensorflow_strings, to_numpy_tokens
from lamina.saving.object_registry import keras_export

_MODES = ("int", "one_hot")


@keras_export("keras.layers")
class HashedCrossing(Layer):
    """Crosses two or more categorical features into ``hash(features) % num_bins``.

    The bins are those of Keras 3 (TensorFlow's ``tf.sparse.cross_hashed``: FarmHash
    fingerprints of each value, combined with ``FingerprintCat64``). Like ``Hashing``,
    it runs on the host with TensorFlow's kernels on every backend (TensorFlow must be
    installed), so use it in the input pipeline or eagerly, not inside a compiled step.

    Each input holds scalars: shape ``()``, ``(batch,)`` or ``(batch, 1)``, all the same,
    of an integer or string dtype.

    Args:
        num_bins: the number of hash bins.
        output_mode: ``"int"`` (bin indices, ``int64`` by default) or ``"one_hot"``
            (one row of ``num_bins`` per value).
        sparse: accepted for Keras compatibility; outputs are dense.
        name: the layer's name.
        dtype: the output dtype (default ``int64`` for ``"int"``, else ``floatx()``).

    Example:
        >>> layer = lamina.layers.HashedCrossing(num_bins=5)
        >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))
        # [1, 4, 1, 1, 3]
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode not in _MODES:
            raise ValueError(f"HashedCrossing: `output_mode` must be one of {_MODES}. "
                             f"Received: output_mode={output_mode!r}")
        if isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer)) or num_bins <= 0:
            raise ValueError("HashedCrossing: `num_bins` must be a positive integer. "
                             f"Received: num_bins={num_bins!r}")
        if dtype is None:
            dtype = "int64" if output_mode == "int" else floatx()
        super().__init__(name=name, dtype=dtype, **kwargs)
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise TypeError('HashedCrossing: with output_mode="int", `dtype` must be an integer '
                            f"type. Received: dtype={dtype!r}")
        self.num_bins, self.output_mode, self.sparse = int(num_bins), output_mode, sparse
        self.built = True

    def _features(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("HashedCrossing: expected a list or tuple of at least two features. "
                             f"Received: inputs of type {type(inputs).__name__}")
        if len(inputs) < 2:
            raise ValueError("HashedCrossing: expected at least two features to cross. "
                             f"Received: {len(inputs)} input(s)")
        features = [to_numpy_tokens(x) for x in inputs]
        shape = features[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError("HashedCrossing: each feature must have shape (), (batch_size,) or "
                             f"(batch_size, 1). Received: shape {shape}")
        for f in features:
            if f.shape != shape:
                raise ValueError("HashedCrossing: all features must have the same shape. "
                                 f"Received: shapes {[g.shape for g in features]}")
            if f.dtype != object and f.dtype.kind not in "iu":
                raise ValueError("HashedCrossing: features must have an integer or string dtype. "
                                 f"Received: dtypes {[str(g.dtype) for g in features]}")
        return features, shape

    def call(self, inputs):
        features, shape = self._features(inputs)
        hashed = tensorflow_strings().cross_hash_to_bins(features, self.num_bins).reshape(shape)
        return encode_categorical(hashed, self.output_mode, self.num_bins, self.dtype)

    def __call__(self, inputs, *args, **kwargs):
        symbolic = isinstance(inputs, KerasTensor) or (
            isinstance(inputs, (list, tuple)) and any(isinstance(x, KerasTensor) for x in inputs))
        if not symbolic:
            # Strings and host hashing: call directly, without the tensor conversion of Layer.
            return self.call(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        shapes = list(input_shape) if isinstance(input_shape, (list, tuple)) else []
        if len(shapes) < 2 or not all(isinstance(s, (list, tuple)) for s in shapes):
            raise ValueError("HashedCrossing: expected the shapes of at least two features. "
                             f"Received: input_shape={input_shape}")
        if any(tuple(s) != tuple(shapes[0]) for s in shapes[1:]):
            raise ValueError("HashedCrossing: all features must have the same shape. "
                             f"Received: input_shape={input_shape}")
        return encoded_shape(tuple(shapes[0]), self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs] if isinstance(
            inputs, (list, tuple)) else inputs)
        return KerasTensor(shape, dtype=self.dtype)

    def get_config(self):
        # Keras 3 writes this layer's config by hand: no "trainable", the dtype as a plain name.
        return {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": self.sparse,
                "name": self.name, "dtype": self.dtype_policy.name}

