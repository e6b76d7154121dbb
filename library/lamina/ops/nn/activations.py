"""``lamina.ops.nn``: activation functions.

Piecewise-linear activations that never leave the input's range (``relu``,
``relu6``, ``hard_tanh``) keep integer dtypes; the others compute in floating
point (integer inputs become ``floatx``).
"""

from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "celu", "elu", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "log_sigmoid", "log_softmax", "relu", "relu6", "selu",
    "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus",
    "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh_shrink", "threshold",
]


def _check_number(value, argname):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if not (hasattr(value, "shape") and hasattr(value, "dtype")):
            raise TypeError(f"expected a number for `{argname}`, received {rules.describe(value)}.")


def _float_with(*names):
    """A float_unary rule that also checks scalar hyper-parameters."""

    def rule(x, *args, **kwargs):
        for name, value in zip(names, args):
            _check_number(value, name)
        for name in names:
            if name in kwargs:
                _check_number(kwargs[name], name)
        return rules.float_unary(x)

    return rule


def _axis_rule(x, axis=-1):
    """Float output of the same shape; ``axis`` is an int, a tuple of ints or None."""
    ndim = len(rules.shape_of(x))
    if axis is not None:
        rules.canonical_axes(axis, ndim)
    return rules.float_unary(x)


def _sparsemax_rule(x, axis=-1):
    rules.canonical_axis(axis, len(rules.shape_of(x)))
    return rules.float_unary(x)


def _glu_rule(x, axis=-1):
    shape = list(rules.shape_of(x))
    if not shape:
        raise ValueError("expected a tensor of rank >= 1, received a scalar.")
    a = rules.canonical_axis(axis, len(shape))
    if shape[a] is not None:
        if shape[a] % 2:
            raise ValueError(
                f"the size of axis {axis} must be even, received shape {tuple(shape)}."
            )
        shape[a] //= 2
    return rules.spec(shape, rules.float_unary(x).dtype)


def _threshold_rule(x, threshold, default_value):
    _check_number(threshold, "threshold")
    _check_number(default_value, "default_value")
    return rules.elementwise_unary(x)


@op(rules.elementwise_unary, module="nn")
def relu(x):
    """Rectified linear unit: ``max(x, 0)``, element-wise.

    Example:
        >>> lamina.ops.relu(np.array([-1.0, 2.0]))
        # [0.0, 2.0]
    """


@op(rules.elementwise_unary, module="nn")
def relu6(x):
    """Rectified linear unit capped at 6: ``min(max(x, 0), 6)``.

    Example:
        >>> lamina.ops.relu6(np.array([-1.0, 2.0, 8.0]))
        # [0.0, 2.0, 6.0]
    """


@op(rules.float_unary, module="nn")
def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))``.

    Example:
        >>> lamina.ops.sigmoid(np.array([0.0]))
        # [0.5]
    """


@op(rules.float_unary, module="nn")
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -1, 1 above 1, ``(x + 1) / 2`` between.

    Example:
        >>> lamina.ops.sparse_sigmoid(np.array([-2.0, 0.0, 0.5]))
        # [0.0, 0.5, 0.75]
    """


@op(rules.float_unary, module="nn")
def tanh_shrink(x):
    """``x - tanh(x)``.

    Example:
        >>> lamina.ops.tanh_shrink(np.array([1.0]))
        # [0.23840584]
    """


@op(rules.float_unary, module="nn")
def softplus(x):
    """``log(1 + exp(x))``, computed stably.

    Example:
        >>> lamina.ops.softplus(np.array([0.0]))
        # [0.6931472]
    """


@op(rules.float_unary, module="nn")
def softsign(x):
    """``x / (1 + |x|)``.

    Example:
        >>> lamina.ops.softsign(np.array([1.0]))
        # [0.5]
    """


@op(_float_with("threshold"), module="nn")
def soft_shrink(x, threshold=0.5):
    """Moves values toward zero by ``threshold``; values within it become 0.

    Args:
        x: input tensor.
        threshold: the shrinkage, a non-negative number.

    Example:
        >>> lamina.ops.soft_shrink(np.array([-1.0, 0.2, 1.0]))
        # [-0.5, 0.0, 0.5]
    """


@op(rules.float_unary, module="nn")
def sparse_plus(x):
    """Smooth ReLU: 0 below -1, ``(x + 1)**2 / 4`` on [-1, 1), ``x`` above.

    Example:
        >>> lamina.ops.sparse_plus(np.array([-2.0, 0.0, 2.0]))
        # [0.0, 0.25, 2.0]
    """


@op(rules.float_unary, module="nn")
def silu(x):
    """Sigmoid linear unit (swish): ``x * sigmoid(x)``.

    Example:
        >>> lamina.ops.silu(np.array([1.0]))
        # [0.7310586]
    """


@op(rules.float_unary, module="nn")
def swish(x):
    """Same as :func:`silu`: ``x * sigmoid(x)``.

    Example:
        >>> lamina.ops.swish(np.array([1.0]))
        # [0.7310586]
    """


@op(_float_with("b"), module="nn")
def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU.

    Args:
        x: input tensor.
        b: smoothness, a non-negative number.

    Example:
        >>> lamina.ops.squareplus(np.array([0.0]))
        # [1.0]
    """


@op(rules.float_unary, module="nn")
def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably as ``-softplus(-x)``.

    Example:
        >>> lamina.ops.log_sigmoid(np.array([0.0]))
        # [-0.6931472]
    """


@op(_float_with("negative_slope"), module="nn")
def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Example:
        >>> lamina.ops.leaky_relu(np.array([-1.0, 1.0]))
        # [-0.2, 1.0]
    """


@op(rules.float_unary, module="nn")
def hard_sigmoid(x):
    """Piecewise-linear sigmoid ``relu6(x + 3) / 6``.

    Example:
        >>> lamina.ops.hard_sigmoid(np.array([0.0, 3.0]))
        # [0.5, 1.0]
    """


@op(rules.float_unary, module="nn")
def hard_silu(x):
    """Hard swish: ``x * relu6(x + 3) / 6``.

    Example:
        >>> lamina.ops.hard_silu(np.array([1.0]))
        # [0.6666667]
    """


@op(rules.float_unary, module="nn")
def hard_swish(x):
    """Same as :func:`hard_silu`: ``x * relu6(x + 3) / 6``.

    Example:
        >>> lamina.ops.hard_swish(np.array([1.0]))
        # [0.6666667]
    """


@op(_float_with("alpha"), module="nn")
def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Example:
        >>> lamina.ops.elu(np.array([-1.0, 1.0]))
        # [-0.63212055, 1.0]
    """


@op(rules.float_unary, module="nn")
def selu(x):
    """Scaled ELU with the self-normalizing constants of Klambauer et al. (2017).

    Example:
        >>> lamina.ops.selu(np.array([1.0]))
        # [1.050701]
    """


@op(rules.float_unary, module="nn")
def gelu(x, approximate=True):
    """Gaussian error linear unit ``x * Phi(x)``.

    Args:
        x: input tensor.
        approximate: use the tanh approximation (default) instead of ``erf``.

    Example:
        >>> lamina.ops.gelu(np.array([1.0]), approximate=False)
        # [0.8413447]
    """


@op(_float_with("alpha"), module="nn")
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``.

    Example:
        >>> lamina.ops.celu(np.array([-1.0, 1.0]))
        # [-0.63212055, 1.0]
    """


@op(_glu_rule, module="nn")
def glu(x, axis=-1):
    """Gated linear unit: splits ``axis`` in halves ``a, b`` and returns ``a * sigmoid(b)``.

    Args:
        x: input tensor; the size of ``axis`` must be even.
        axis: the axis to split.

    Example:
        >>> lamina.ops.glu(np.array([1.0, 0.0]))
        # [0.5]
    """


@op(rules.elementwise_unary, module="nn")
def hard_tanh(x):
    """Clips ``x`` to [-1, 1].

    Example:
        >>> lamina.ops.hard_tanh(np.array([-2.0, 0.5, 2.0]))
        # [-1.0, 0.5, 1.0]
    """


@op(_float_with("threshold"), module="nn")
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere.

    Example:
        >>> lamina.ops.hard_shrink(np.array([-1.0, 0.2, 1.0]))
        # [-1.0, 0.0, 1.0]
    """


@op(_threshold_rule, module="nn")
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere.

    Example:
        >>> lamina.ops.threshold(np.array([-1.0, 2.0]), 0.0, 0.0)
        # [0.0, 2.0]
    """


@op(_axis_rule, module="nn")
def softmax(x, axis=-1):
    """Softmax ``exp(x) / sum(exp(x))`` along ``axis`` (an int, a tuple of ints or None).

    Example:
        >>> lamina.ops.softmax(np.array([0.0, 0.0]))
        # [0.5, 0.5]
    """


@op(_axis_rule, module="nn")
def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis`` (an int, a tuple of ints or None).

    Example:
        >>> lamina.ops.log_softmax(np.array([0.0, 0.0]))
        # [-0.6931472, -0.6931472]
    """


@op(_sparsemax_rule, module="nn")
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of ``x`` onto the probability simplex.

    Example:
        >>> lamina.ops.sparsemax(np.array([0.0, 1.0, 3.0]))
        # [0.0, 0.0, 1.0]
    """
