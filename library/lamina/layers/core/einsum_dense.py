"""EinsumDense: a dense layer whose contraction is an einsum equation."""

import re

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class EinsumDense(Layer):
    """``activation(einsum(equation, inputs, kernel) + bias)``.

    The kernel's shape follows from the equation, the input shape and
    ``output_shape``; the bias covers the output axes named in ``bias_axes``.

    Args:
        equation: ``"ab,bc->ac"``-style equation; the first operand is the input,
            the second the kernel. ``...`` may stand for leading or trailing axes.
        output_shape: the output shape without the batch axis (an int or a tuple;
            ``None`` entries are inferred).
        activation: an activation function or name.
        bias_axes: letters of the output axes the bias covers (None: no bias).
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer: weight penalties.
        kernel_constraint, bias_constraint: projections applied after updates.

    Example:
        >>> layer = lamina.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64),
        ...                                   bias_axes="d")
        >>> layer(np.ones((1, 32, 128))).shape
        (1, 32, 64)
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        if lora_rank or quantization_config is not None or gptq_unpacked_column_size:
            raise ValueError("EinsumDense: LoRA and quantization are not supported by lamina yet.")
        if not isinstance(equation, str):
            raise TypeError(f"EinsumDense: equation must be a string, received {equation!r}.")
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = None
        self.lora_alpha = None

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum_string(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape, self.name)
        self.input_spec = InputSpec(ndim=len(input_shape))
        kernel_initializer = self.kernel_initializer
        if isinstance(kernel_initializer, initializers.VarianceScaling) and (
                kernel_initializer.input_axes is None or kernel_initializer.output_axes is None):
            # The fans of an einsum kernel come from the axes it contracts and produces.
            config = kernel_initializer.get_config()
            config["seed"] = kernel_initializer.seed
            config["input_axes"], config["output_axes"] = input_axes, output_axes
            kernel_initializer = type(kernel_initializer).from_config(config)
        self.kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape),
                                      initializer=kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def call(self, inputs, training=None):
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        if self.activation is not activations.linear:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(analyze_einsum_string(self.equation, self.bias_axes, input_shape,
                                           self.partial_output_shape, self.name)[2])

    def get_config(self):
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }


def analyze_einsum_string(equation, bias_axes, input_shape, output_shape, name="einsum_dense"):
    """Kernel shape, bias shape, full output shape, and the kernel's input and
    output axes for an EinsumDense equation.

    Example:
        >>> analyze_einsum_string("ab,bc->ac", "c", (None, 3), (4,))[:3]
        ([3, 4], [4], [None, 4])
    """
    dotted = re.sub(r"\.\.\.", "0", equation)
    for pattern, left in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", False),
                          ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
                          ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False)):
        match = re.fullmatch(pattern, dotted)
        if match:
            return _analyze_split(match.groups(), bias_axes, tuple(input_shape), output_shape,
                                  left, name)
    raise ValueError(
        f"EinsumDense layer {name!r}: invalid einsum equation {equation!r}. Equations must be in "
        "the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def _analyze_split(specs, bias_axes, input_shape, output_shape, left_elided, name):
    input_spec, weight_spec, output_spec = specs
    elided = len(input_shape) - len(input_spec)
    if elided < 0:
        raise ValueError(
            f"EinsumDense layer {name!r}: the equation's input {input_spec!r} has "
            f"{len(input_spec)} axes, but the input has shape {input_shape}."
        )
    output_shape = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    output_shape.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        for i in range(1, elided):
            output_shape.insert(1, input_shape[i])
    elif elided > 0:
        for i in range(len(input_shape) - elided, len(input_shape)):
            output_shape.append(input_shape[i])
    if left_elided:
        input_map = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        output_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        input_map = {d: i for i, d in enumerate(input_spec)}
        output_map = {d: i for i, d in enumerate(output_spec)}
    try:
        for d in input_spec:
            if d in output_map:
                want, got = output_shape[output_map[d]], input_shape[input_map[d]]
                if want is not None and want != got:
                    raise ValueError(
                        f"EinsumDense layer {name!r}: input shape and output shape do not match "
                        f"at shared dimension {d!r}: input shape is {got}, output shape is "
                        f"{want} (input shape {input_shape}, output_shape "
                        f"{tuple(output_shape[1:])})."
                    )
    except IndexError:
        raise ValueError(
            f"EinsumDense layer {name!r}: output_shape {tuple(output_shape[1:])} does not match "
            f"the equation's output {output_spec!r} for input shape {input_shape}."
        ) from None
    for d in input_spec:
        # An output axis left as None that is also an input axis has the input's size.
        if d in output_map and output_shape[output_map[d]] is None:
            output_shape[output_map[d]] = input_shape[input_map[d]]
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise ValueError(
                f"EinsumDense layer {name!r}: dimension {d!r} of the output {output_spec!r} has "
                f"no corresponding dimension in the input {input_spec!r} or the weight "
                f"{weight_spec!r}."
            )
    weight_shape, input_axes, output_axes = [], [], []
    for i, d in enumerate(weight_spec):
        if d in output_map:
            weight_shape.append(output_shape[output_map[d]])
            output_axes.append(i)
        elif d in input_map:
            weight_shape.append(input_shape[input_map[d]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"EinsumDense layer {name!r}: weight dimension {d!r} has no match in the input "
                f"{input_spec!r} or the output {output_spec!r}; the weight must be fully "
                "specified."
            )
    bias_shape = None
    if bias_axes is not None:
        offset = elided if left_elided else 0
        sizes = {c: output_shape[i + offset] for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(
                    f"EinsumDense layer {name!r}: bias dimension {c!r} was requested, but is not "
                    f"part of the output spec {output_spec!r}."
                )
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * elided)
    return weight_shape, bias_shape, output_shape, input_axes, output_axes
