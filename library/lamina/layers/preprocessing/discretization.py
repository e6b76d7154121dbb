"""Discretization: bucketizes numbers by boundaries, given or learned from data (quantiles)."""

import numpy as np

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.config import floatx
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.encoding import encode_categorical, encoded_shape
from lamina.saving.object_registry import keras_export


def _summarize(values, epsilon):
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size / (1.0 / epsilon), 1)
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.ones_like(picked) * step])


def _compress(summary, epsilon):
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    bins = np.interp(percents, fractions, summary[0])
    weights = np.interp(percents, fractions, cumulative)
    return np.stack([bins, weights - np.concatenate([[0], weights[:-1]])]).astype("float32")


def _merge(a, b, epsilon):
    merged = np.concatenate([a, b], axis=1)
    return _compress(merged[:, np.argsort(merged[0])], epsilon)


@keras_export("keras.layers")
class Discretization(Layer):
    """Maps each number to the index of its bucket: ``bin_boundaries`` ``[0., 1.]`` gives
    buckets ``(-inf, 0)``, ``[0, 1)``, ``[1, inf)``.

    With ``num_bins``, ``adapt(data)`` learns approximate quantile boundaries (the same
    streaming summary as Keras, so the same boundaries).

    Args:
        bin_boundaries: sorted boundaries, or ``None`` to learn them.
        num_bins: the number of buckets to learn with ``adapt``.
        epsilon: the quantile summary's error tolerance.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: accepted for Keras compatibility; outputs are dense.

    Example:
        >>> lamina.layers.Discretization(bin_boundaries=[0.0, 1.0])(np.array([[-1.0, 0.5, 2.0]]))
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Discretization: unknown output_mode {output_mode!r}; expected 'int', "
                             "'one_hot', 'multi_hot' or 'count'.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"Discretization: `num_bins` must be >= 0. Received: num_bins={num_bins}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Discretization: give `num_bins` or `bin_boundaries`, not both. Received: "
                             f"num_bins={num_bins} and bin_boundaries={bin_boundaries}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization needs `num_bins` (then call adapt) or `bin_boundaries`.")
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins, self.epsilon, self.output_mode, self.sparse = num_bins, epsilon, output_mode, sparse
        self.summary = None if self.bin_boundaries else np.array([[], []], dtype="float32")
        self.built = True

    @property
    def input_dtype(self):
        return floatx()

    @property
    def output_dtype(self):
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data, steps=None):
        """Learns ``num_bins`` quantile boundaries from an array or an iterable of batches."""
        if self.num_bins is None:
            raise ValueError("Discretization: adapt needs `num_bins`; this layer was given bin_boundaries.")
        self.summary = np.array([[], []], dtype="float32")
        if hasattr(data, "__iter__") and not isinstance(data, np.ndarray) and not ops.is_tensor(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        data = np.asarray(ops.convert_to_numpy(data) if ops.is_tensor(data) else data).astype("float32")
        self.summary = _merge(_summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("Discretization: call adapt() first, or give `bin_boundaries`.")
        indices = ops.digitize(inputs, self.bin_boundaries)
        return encode_categorical(indices, self.output_mode, self._depth(), self.output_dtype)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name,
                "dtype": self.dtype_policy.name if hasattr(self.dtype_policy, "name") else self.dtype}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)
