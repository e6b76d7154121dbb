"""Normalization: shifts and scales inputs by a mean and variance, given or learned by ``adapt``."""

import numpy as np

from lamina import ops
from lamina.backend.config import epsilon
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _first_input(batch):
    return batch[0] if isinstance(batch, tuple) else batch


@keras_export("keras.layers")
class Normalization(Layer):
    """``(x - mean) / sqrt(var)`` per feature along ``axis`` (or the inverse with ``invert``).

    ``adapt(data)`` computes the mean and variance over every axis but ``axis`` from an array,
    a tensor, a ``tf.data.Dataset``, a ``PyDataset`` or any iterable of batches (``(x, y)``
    batches use ``x``); they are stored in non-trainable weights, so they are saved with the model.

    Args:
        axis: the axis (or axes) that keep their own statistics; ``None`` for one scalar.
        mean: a given mean (then ``variance`` too); no ``adapt`` needed.
        variance: a given variance.
        invert: map normalized values back (``x * sqrt(var) + mean``).

    Example:
        >>> layer = lamina.layers.Normalization()
        >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
        >>> layer(np.array([[1.0, 20.0]]))
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean, self.input_variance = mean, variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        if (mean is not None) != (variance is not None):
            raise ValueError("Normalization: when setting values directly, both `mean` and `variance` must be "
                             f"set. Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"Normalization: `mean` and `variance` must have the same shape. Received: "
                                 f"mean shape {np.shape(mean)} and variance shape {np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(f"Normalization: the rank of `mean` must be at most the number of axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis {self.axis}")

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"Normalization: all `axis` values must be in [-ndim, ndim). Received inputs with "
                             f"ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError(f"Normalization: the kept axes must have a known size. Received axis="
                                 f"{self.axis}, inputs.shape={input_shape}, unknown axis {a}")
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[a] if a in self._keep_axis else 1 for a in range(ndim))
        self._stat_shape = tuple(input_shape[a] for a in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._stat_shape, initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._stat_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int", initializer="zeros",
                                         trainable=False)
        else:
            mean = np.asarray(self.input_mean, dtype="float64")
            variance = np.asarray(self.input_variance, dtype="float64")
            if mean.ndim:
                expanded = [1] * ndim
                for i in range(1, mean.ndim + 1):
                    expanded[self._keep_axis[-i]] = mean.shape[-i]
                mean, variance = mean.reshape(expanded), variance.reshape(expanded)
            self._given = (np.broadcast_to(mean, self._broadcast_shape),
                           np.broadcast_to(variance, self._broadcast_shape))
        self.built = True

    @property
    def mean(self):
        """The mean, shaped to broadcast against the inputs."""
        if not self.built:
            return None
        if self.input_mean is not None:
            return ops.cast(self._given[0], self.compute_dtype)
        return ops.cast(ops.reshape(self.adapt_mean, self._broadcast_shape), self.compute_dtype)

    @property
    def variance(self):
        """The variance, shaped to broadcast against the inputs."""
        if not self.built:
            return None
        if self.input_mean is not None:
            return ops.cast(self._given[1], self.compute_dtype)
        return ops.cast(ops.reshape(self.adapt_variance, self._broadcast_shape), self.compute_dtype)

    def _batches(self, data):
        """(input shape, iterable of NumPy batches or None, whole array or None)."""
        if isinstance(data, np.ndarray) or ops.is_tensor(data):
            return tuple(data.shape), None, data
        element_spec = getattr(data, "element_spec", None)
        if element_spec is not None:  # a tf.data.Dataset
            spec = element_spec[0] if isinstance(element_spec, tuple) else element_spec
            if len(spec.shape) == 1:
                data = data.batch(128)
                spec = data.element_spec[0] if isinstance(data.element_spec, tuple) else data.element_spec
            return tuple(spec.shape), (np.asarray(_first_input(b)) for b in data.as_numpy_iterator()), None
        from lamina.utils.py_dataset import PyDataset

        if isinstance(data, PyDataset):
            first = np.asarray(_first_input(data[0]))
            return first.shape, (np.asarray(_first_input(data[i])) for i in range(len(data))), None
        if hasattr(data, "__iter__"):
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError("Normalization.adapt() received an empty iterable (no batches).")
            first = _first_input(first)
            if not hasattr(first, "shape"):
                raise TypeError("Normalization.adapt() expects batches with a `.shape` (arrays or tensors). "
                                f"Received an element of type {type(first).__name__}.")

            def chain():
                yield first
                for batch in iterator:
                    yield _first_input(batch)

            return tuple(first.shape), chain(), None
        raise TypeError(f"Normalization.adapt() supports arrays, tensors, tf.data.Dataset, PyDataset and "
                        f"iterables of batches. Received: {type(data).__name__}")

    def adapt(self, data):
        """Computes the mean and variance of ``data`` (see the class docstring)."""
        if self.input_mean is not None:
            raise ValueError("Normalization: adapt() cannot be used when `mean` and `variance` were given.")
        shape, batches, whole = self._batches(data)
        if not self.built:
            self.build(shape)
        else:
            for a in self._keep_axis:
                if shape[a] != self._build_input_shape[a]:
                    raise ValueError(f"Normalization was built with input_shape={self._build_input_shape}, "
                                     f"but adapt() received data of shape {shape}")
        if whole is not None:
            x = np.asarray(ops.convert_to_numpy(whole) if ops.is_tensor(whole) else whole, dtype="float64")
            mean, var = np.mean(x, axis=self._reduce_axis), np.var(x, axis=self._reduce_axis)
        else:
            mean, var, count = np.zeros(self._stat_shape), np.zeros(self._stat_shape), 0
            for batch in batches:
                batch = np.asarray(ops.convert_to_numpy(batch) if ops.is_tensor(batch) else batch, "float64")
                for a in self._keep_axis:
                    if batch.shape[a] != self._build_input_shape[a]:
                        raise ValueError(f"Normalization.adapt() got a batch of shape {batch.shape}, "
                                         f"expected {self._build_input_shape}.")
                b_mean, b_var = np.mean(batch, axis=self._reduce_axis), np.var(batch, axis=self._reduce_axis)
                b_count = int(np.prod([batch.shape[a] for a in self._reduce_axis])) if self._reduce_axis else 1
                count += b_count
                w = b_count / count
                new_mean = mean * (1 - w) + b_mean * w
                var = (var + (mean - new_mean) ** 2) * (1 - w) + (b_var + (b_mean - new_mean) ** 2) * w
                mean = new_mean
        self.adapt_mean.assign(np.asarray(mean, "float32"))
        self.adapt_variance.assign(np.asarray(var, "float32"))

    def call(self, inputs):
        if not self.built or self.mean is None:
            raise ValueError("Normalization: call `.build(input_shape)` or `adapt()` before using the layer.")
        inputs = ops.cast(inputs, self.compute_dtype)
        scale = ops.maximum(ops.sqrt(self.variance), epsilon())
        if self.invert:
            return ops.add(self.mean, ops.multiply(inputs, scale))
        return ops.divide(ops.subtract(inputs, self.mean), scale)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(), "variance": np.array(self.input_variance).tolist()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("mean") is None:
            config["mean"], config["variance"] = None, None
        return cls(**config)
