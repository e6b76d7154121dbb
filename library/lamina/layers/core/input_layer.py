"""InputLayer and ``Input``: the entry points of functional models.

Example:
    >>> x = lamina.Input(shape=(3,))
    >>> x.shape
    (None, 3)
"""

from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.ops.operation import Node
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class InputLayer(Layer):
    """The layer behind ``Input``: it has no weights and outputs its KerasTensor.

    Args:
        shape: the shape without the batch axis.
        batch_size: the batch size, if fixed.
        dtype: the input dtype (default ``floatx()``).
        batch_shape: the full shape, batch axis included (instead of shape and batch_size).
        input_tensor: an existing KerasTensor to use as the input.
        optional: whether the input may be None.
        name: the layer name.

    Example:
        >>> model = lamina.Sequential([lamina.layers.InputLayer(shape=(4,)), lamina.layers.Dense(2)])
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        kwargs.pop("input_shape", None)
        super().__init__(name=name)
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to InputLayer: {kwargs}")
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    f"InputLayer expected a KerasTensor as input_tensor, received {input_tensor!r}."
                )
            batch_shape = input_tensor.shape
            dtype = input_tensor.dtype
        if shape is not None and batch_shape is not None:
            raise ValueError("InputLayer: give either shape or batch_shape, not both.")
        if shape is None and batch_shape is None:
            raise ValueError("InputLayer needs a shape, e.g. InputLayer(shape=(28, 28)).")
        if shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(batch_shape)
        self._dtype_name = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        self.batch_shape = self._batch_shape
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, dtype=self._dtype_name, sparse=self.sparse,
                                       name=self.name)
        self._input_tensor = input_tensor
        Node(self, call_args=(), call_kwargs={}, outputs=input_tensor)

    @property
    def dtype(self):
        return self._dtype_name

    def call(self):
        return None

    @property
    def output(self):
        return self._input_tensor

    def get_config(self):
        return {"batch_shape": self._batch_shape, "dtype": self._dtype_name, "sparse": self.sparse,
                "ragged": self.ragged, "name": self.name, "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """Creates a symbolic input tensor for a functional model.

    Args:
        shape: the shape without the batch axis, e.g. ``(28, 28)``.
        batch_size: the batch size, if fixed.
        dtype: the dtype (default ``floatx()``).
        batch_shape: the full shape including the batch axis.
        name: the input's name (dict inputs use it as the key).
        tensor: an existing KerasTensor to wrap.
        optional: whether the input may be None.

    Returns:
        A KerasTensor.

    Example:
        >>> inputs = lamina.Input(shape=(784,), name="pixels")
        >>> outputs = lamina.layers.Dense(10)(inputs)
        >>> model = lamina.Model(inputs, outputs)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, name=name, input_tensor=tensor,
                       optional=optional)
    return layer.output
