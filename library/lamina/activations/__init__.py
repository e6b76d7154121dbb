"""``lamina.activations``: activation functions, by object or by name.

Example:
    >>> lamina.activations.get("relu")(np.array([-1.0, 2.0]))
    # [0., 2.]
    >>> lamina.layers.Dense(4, activation="gelu")
"""

from lamina import ops
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.activations"
_export = keras_export(_MODULE)


@_export
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with optional leak, cap and threshold.

    Returns ``x`` where ``x >= threshold``, ``negative_slope * (x - threshold)``
    below it, capped at ``max_value``.

    Example:
        >>> lamina.activations.relu(np.array([-2.0, 1.0, 9.0]), negative_slope=0.1, max_value=6)
        # [-0.2, 1., 6.]
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    below = ops.less(x, threshold)
    out = ops.where(below, negative_slope * (x - threshold), x) if negative_slope else \
        ops.where(below, ops.zeros_like(x), x)
    if max_value is not None:
        out = ops.minimum(out, ops.cast(max_value, out.dtype))
    return out


@_export
def leaky_relu(x, negative_slope=0.2):
    """``x`` for positive inputs, ``negative_slope * x`` otherwise.

    Example:
        >>> lamina.activations.leaky_relu(np.array([-1.0, 1.0]))
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


@_export
def relu6(x):
    """ReLU capped at 6.

    Example:
        >>> lamina.activations.relu6(np.array([-1.0, 8.0]))  # [0., 6.]
    """
    return ops.relu6(x)


@_export
def softmax(x, axis=-1):
    """Exponentials normalised to sum to 1 along ``axis``.

    Example:
        >>> lamina.activations.softmax(np.array([[1.0, 2.0]]))
    """
    return ops.softmax(x, axis=axis)


@_export
def elu(x, alpha=1.0):
    """Exponential linear unit.

    Example:
        >>> lamina.activations.elu(np.array([-1.0, 1.0]))
    """
    return ops.elu(x, alpha=alpha)


@_export
def selu(x):
    """Scaled exponential linear unit.

    Example:
        >>> lamina.activations.selu(np.array([-1.0, 1.0]))
    """
    return ops.selu(x)


@_export
def softplus(x):
    """``log(exp(x) + 1)``.

    Example:
        >>> lamina.activations.softplus(np.array([0.0]))  # [0.693]
    """
    return ops.softplus(x)


@_export
def softsign(x):
    """``x / (|x| + 1)``.

    Example:
        >>> lamina.activations.softsign(np.array([1.0]))  # [0.5]
    """
    return ops.softsign(x)


@_export
def soft_shrink(x, threshold=0.5):
    """Shrinks values towards 0 by ``threshold``.

    Example:
        >>> lamina.activations.soft_shrink(np.array([1.0, 0.2]))  # [0.5, 0.]
    """
    return ops.soft_shrink(x, threshold=threshold)


@_export
def sparse_plus(x):
    """0 below -1, x above 1, ``(x + 1)**2 / 4`` between.

    Example:
        >>> lamina.activations.sparse_plus(np.array([0.0]))  # [0.25]
    """
    return ops.sparse_plus(x)


@_export
def silu(x):
    """``x * sigmoid(x)`` (also called swish).

    Example:
        >>> lamina.activations.silu(np.array([1.0]))
    """
    return ops.silu(x)


swish = silu


@_export
def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``.

    Example:
        >>> lamina.activations.squareplus(np.array([0.0]))  # [1.]
    """
    return ops.squareplus(x, b=b)


@_export
def gelu(x, approximate=False):
    """Gaussian error linear unit (tanh approximation when ``approximate``).

    Example:
        >>> lamina.activations.gelu(np.array([1.0]))
    """
    return ops.gelu(x, approximate=approximate)


@_export
def celu(x, alpha=1.0):
    """Continuously differentiable exponential linear unit.

    Example:
        >>> lamina.activations.celu(np.array([-1.0]))
    """
    return ops.celu(x, alpha=alpha)


@_export
def glu(x, axis=-1):
    """Gated linear unit: splits ``axis`` in halves ``a, b`` and returns ``a * sigmoid(b)``.

    Example:
        >>> lamina.activations.glu(np.ones((1, 4))).shape
        (1, 2)
    """
    return ops.glu(x, axis=axis)


@_export
def tanh(x):
    """Hyperbolic tangent.

    Example:
        >>> lamina.activations.tanh(np.array([0.0]))
    """
    return ops.tanh(x)


@_export
def tanh_shrink(x):
    """``x - tanh(x)``.

    Example:
        >>> lamina.activations.tanh_shrink(np.array([1.0]))
    """
    return ops.tanh_shrink(x)


@_export
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``.

    Example:
        >>> lamina.activations.threshold(np.array([0.1, 2.0]), 1.0, 0.0)  # [0., 2.]
    """
    return ops.threshold(x, threshold, default_value)


@_export
def sigmoid(x):
    """``1 / (1 + exp(-x))``.

    Example:
        >>> lamina.activations.sigmoid(np.array([0.0]))  # [0.5]
    """
    return ops.sigmoid(x)


@_export
def exponential(x):
    """``exp(x)``.

    Example:
        >>> lamina.activations.exponential(np.array([0.0]))  # [1.]
    """
    return ops.exp(x)


@_export
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: ``clip(x / 6 + 0.5, 0, 1)``.

    Example:
        >>> lamina.activations.hard_sigmoid(np.array([0.0]))  # [0.5]
    """
    return ops.hard_sigmoid(x)


@_export
def hard_silu(x):
    """``x * hard_sigmoid(x)`` (also called hard swish).

    Example:
        >>> lamina.activations.hard_silu(np.array([1.0]))
    """
    return ops.hard_silu(x)


hard_swish = hard_silu


@_export
def hard_tanh(x):
    """``clip(x, -1, 1)``.

    Example:
        >>> lamina.activations.hard_tanh(np.array([-3.0, 0.5]))  # [-1., 0.5]
    """
    return ops.hard_tanh(x)


@_export
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0.

    Example:
        >>> lamina.activations.hard_shrink(np.array([0.2, 1.0]))  # [0., 1.]
    """
    return ops.hard_shrink(x, threshold=threshold)


@_export
def linear(x):
    """The identity: returns ``x`` unchanged.

    Example:
        >>> lamina.activations.linear(np.array([3.0]))  # [3.]
    """
    return x


@_export
def mish(x):
    """``x * tanh(softplus(x))``.

    Example:
        >>> lamina.activations.mish(np.array([1.0]))
    """
    return x * ops.tanh(ops.softplus(x))


@_export
def log_softmax(x, axis=-1):
    """``log(softmax(x))``, computed stably.

    Example:
        >>> lamina.activations.log_softmax(np.array([[1.0, 2.0]]))
    """
    return ops.log_softmax(x, axis=axis)


@_export
def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably.

    Example:
        >>> lamina.activations.log_sigmoid(np.array([0.0]))  # [-0.693]
    """
    return ops.log_sigmoid(x)


@_export
def sparse_sigmoid(x):
    """0 below -1, 1 above 1, linear between.

    Example:
        >>> lamina.activations.sparse_sigmoid(np.array([0.0]))  # [0.5]
    """
    return ops.sparse_sigmoid(x)


@_export
def sparsemax(x, axis=-1):
    """Euclidean projection onto the probability simplex (sparse softmax).

    Example:
        >>> lamina.activations.sparsemax(np.array([[1.0, 2.0]]))
    """
    return ops.sparsemax(x, axis=axis)


keras_export(_MODULE, "swish")(silu)
keras_export(_MODULE, "hard_swish")(hard_silu)

_ALL = {name: fn for name, fn in dict(globals()).items()
        if callable(fn) and getattr(fn, "__module__", None) == __name__
        and not name.startswith("_") and name not in ("get", "serialize", "deserialize")}


def serialize(activation):
    """The name of a built-in activation, or the config of a custom one.

    Example:
        >>> lamina.activations.serialize(lamina.activations.relu)
        'relu'
    """
    name = getattr(activation, "__name__", None)
    if name in _ALL and _ALL[name] is activation:
        return name
    return serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """Returns the activation function a config or name stands for.

    Example:
        >>> lamina.activations.deserialize("relu").__name__
        'relu'
    """
    if isinstance(config, str) and config in _ALL:
        return _ALL[config]
    return deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_ALL)


def get(identifier):
    """Returns an activation function from a name, a config dict, a callable or None (linear).

    Example:
        >>> lamina.activations.get(None) is lamina.activations.linear
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = _ALL.get(identifier)
        if fn is None:
            raise ValueError(
                f"Unknown activation function {identifier!r}. Known names: {sorted(_ALL)}."
            )
        return fn
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
