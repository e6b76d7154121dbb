"""Creating a layer's weights, and reading and writing their values.

``add_weight`` makes a :class:`lamina.Variable` under the layer's name scope and
tracks it; ``get_weights``/``set_weights`` move all the weights' values as NumPy
arrays; ``save_own_variables``/``load_own_variables`` are what the ``.keras`` and
``.weights.h5`` formats call for each layer's own variables.

Example:
    >>> layer = lamina.layers.Dense(2)
    >>> layer.build((None, 3))
    >>> other = lamina.layers.Dense(2)
    >>> other.build((None, 3))
    >>> other.set_weights(layer.get_weights())
    >>> layer.count_params()
    8
"""

from lamina.backend.common import dtypes
from lamina.backend.common.scopes import name_scope
from lamina.backend.common.variables import Variable


class LayerWeightsMixin:
    """Weight creation (``add_weight``), weight values (``get_weights``...) and their saving.

    A part of :class:`lamina.layers.Layer`, which is its only user; it relies on the
    layer's ``name``, ``variable_dtype``, ``built``, ``weights`` and ``_track``.
    """

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Creates a weight variable tracked by this layer.

        Args:
            shape: the shape (default ``()``).
            initializer: an initializer object, name or callable (default
                ``"glorot_uniform"`` for floats, ``"zeros"`` otherwise).
            dtype: the dtype (default: the layer's variable dtype).
            trainable: whether training updates it.
            regularizer: a regularizer whose penalty joins ``layer.losses``.
            constraint: a function applied to the variable after each update.
            name: the variable's name; its path is ``<layer path>/<name>``.

        Returns:
            The new :class:`lamina.Variable`.

        Example:
            >>> self.kernel = self.add_weight(shape=(3, 4), initializer="he_normal")
        """
        from lamina import constraints, initializers, regularizers

        shape = () if shape is None else shape
        dtype = dtypes.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float_dtype(dtype) else "zeros"
        initializer = initializers.get(initializer)
        with name_scope(self.name, caller=self):
            variable = Variable(initializer, shape=shape, dtype=dtype, trainable=trainable,
                                autocast=autocast, aggregation=aggregation, name=name)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        self._track(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        """Alias of :meth:`add_weight` with positional shape and initializer.

        Example:
            >>> bias = layer.add_variable((3,), "zeros")
        """
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, autocast=autocast, regularizer=regularizer,
                               constraint=constraint, name=name)

    def save_own_variables(self, store):
        """Writes the layer's own variables into ``store`` under ``"0"``, ``"1"``...

        Override it together with :meth:`load_own_variables` to control how the
        layer's state is saved in ``.keras`` and ``.weights.h5`` files.

        Example:
            >>> store = {}
            >>> lamina.layers.Dense(2, input_shape=(3,)).save_own_variables(store)
        """
        for i, variable in enumerate(self._own_trainable + self._own_non_trainable):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Assigns the values that :meth:`save_own_variables` wrote.

        Example:
            >>> layer.load_own_variables({"0": kernel, "1": bias})
        """
        variables = self._own_trainable + self._own_non_trainable
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer {self.name!r} has {len(variables)} variables of its own, but the "
                f"store holds {len(store.keys())} values ({sorted(store.keys())})."
            )
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_weights(self):
        """The weights' values, as a list of NumPy arrays.

        Example:
            >>> layer = lamina.layers.Dense(2)
            >>> layer.build((None, 3))
            >>> [w.shape for w in layer.get_weights()]
            [(3, 2), (2,)]
        """
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays, in the order of ``layer.weights``.

        Example:
            >>> other.set_weights(layer.get_weights())
        """
        layer_weights = self.weights
        if len(layer_weights) != len(weights):
            raise ValueError(
                f"Layer {self.name!r} expected {len(layer_weights)} weight arrays, "
                f"received {len(weights)}."
            )
        for variable, value in zip(layer_weights, weights):
            shape = tuple(getattr(value, "shape", ()))
            if shape != variable.shape:
                raise ValueError(
                    f"Layer {self.name!r}: weight {variable.path!r} has shape {variable.shape}, "
                    f"received an array of shape {shape}."
                )
            variable.assign(value)

    def count_params(self):
        """The number of scalars in the layer's weights.

        Example:
            >>> layer = lamina.layers.Dense(2)
            >>> layer.build((None, 3))
            >>> layer.count_params()
            8
        """
        if not self.built:
            raise ValueError(
                f"Layer {self.name!r} is not built yet, so its parameters are unknown. Call it on "
                "data or call build(input_shape) first."
            )
        total = 0
        for v in self.weights:
            n = 1
            for d in v.shape:
                n *= d
            total += n
        return total
