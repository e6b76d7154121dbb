"""BaseConv: the N-D convolution layer behind Conv1D, Conv2D and Conv3D."""

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.backend.common import conv_utils as cu
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import (channel_dim, check_rank, standardize_padding,
                                                   standardize_tuple)
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


def conv_output_shape(layer, input_shape, filters):
    """The output shape of a (depthwise, separable) convolution layer.

    Example:
        >>> conv_output_shape(lamina.layers.Conv2D(4, 3), (None, 8, 8, 3), 4)
        (None, 6, 6, 4)
    """
    input_shape = tuple(input_shape)
    check_rank(layer, input_shape, layer.rank)
    if layer.data_format == "channels_last":
        spatial = input_shape[1:-1]
    else:
        spatial = input_shape[2:]
    padding = "valid" if layer.padding == "valid" else "same"
    out = []
    for size, k, s, d in zip(spatial, layer.kernel_size, layer.strides, layer.dilation_rate):
        o = cu.conv_output_size(size, k, s, padding, d)
        if o is not None and o <= 0:
            raise ValueError(
                f"Layer {layer.name!r}: computed output size would be negative or zero. "
                f"Received input shape {input_shape}, kernel_size={layer.kernel_size}, "
                f"strides={layer.strides}, dilation_rate={layer.dilation_rate}, "
                f"padding={layer.padding!r}."
            )
        out.append(o)
    if layer.data_format == "channels_last":
        return (input_shape[0],) + tuple(out) + (filters,)
    return (input_shape[0], filters) + tuple(out)


def bias_shape(rank, size, data_format):
    """The broadcastable shape of a bias of ``size`` channels."""
    if data_format == "channels_last":
        return (size,)
    return (size,) + (1,) * rank


class BaseConv(Layer):
    """Abstract N-D convolution layer: ``activation(conv(inputs, kernel) + bias)``.

    The kernel has shape ``kernel_size + (in_channels // groups, filters)``.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: int or tuple of ``rank`` ints, the window size.
        strides: int or tuple, the step of the window (``> 1`` cannot be combined
            with ``dilation_rate > 1``).
        padding: ``"valid"``, ``"same"`` or, for 1D only, ``"causal"``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the
            global image data format).
        dilation_rate: int or tuple, spacing between kernel taps.
        groups: the number of channel groups convolved separately.
        activation: an activation function or name (default: none).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: projections applied after updates.
        lora_rank: when set, the kernel is frozen and a trainable low-rank delta
            ``lora_kernel_a @ lora_kernel_b`` of this rank is added to it.
        lora_alpha: scales the LoRA delta by ``lora_alpha / lora_rank``.

    Example:
        >>> layer = lamina.layers.Conv2D(4, 3)
        >>> layer(np.ones((1, 8, 8, 3), "float32")).shape
        (1, 6, 6, 4)
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.input_spec = InputSpec(ndim=rank + 2)
        if filters is not None and (isinstance(filters, bool) or not isinstance(filters, int)
                                    or filters <= 0):
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters}."
            )
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError(
                f"The number of groups must be a positive integer. Received: groups={groups}."
            )
        if filters is not None and filters % groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank)
        input_channel = channel_dim(self, input_shape)
        axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: input_channel})
        if input_channel % self.groups != 0:
            raise ValueError(
                f"Layer {self.name!r}: the number of input channels must be evenly divisible by "
                f"the number of groups. Received groups={self.groups}, but the input has "
                f"{input_channel} channels (full input shape is {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)
        self._kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (input_channel // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self._bias_shape = bias_shape(self.rank, self.filters, self.data_format)
        self._apply_activation = self.activation is not activations.linear
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def kernel(self):
        """The kernel, with the LoRA delta added when LoRA is enabled."""
        if not self.built:
            raise AttributeError("You must build the layer before accessing `kernel`.")
        if not self.lora_enabled:
            return self._kernel
        delta = ops.matmul(self.lora_kernel_a, self.lora_kernel_b)
        return ops.cast(ops.add(self._kernel, (self.lora_alpha / self.lora_rank) * delta),
                        self.compute_dtype)

    def convolution_op(self, inputs, kernel):
        return ops.conv(inputs, kernel, strides=self.strides, padding=self.padding,
                        dilation_rate=self.dilation_rate, data_format=self.data_format)

    def call(self, inputs):
        kernel = self.kernel if self.lora_enabled else self._kernel
        outputs = self.convolution_op(inputs, kernel)
        if self.bias is not None:
            bias = self.bias if len(self._bias_shape) == 1 else ops.reshape(self.bias,
                                                                            self._bias_shape)
            outputs = ops.add(outputs, bias)
        if self._apply_activation:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return conv_output_shape(self, input_shape, self.filters)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes the kernel and adds a trainable low-rank delta of rank ``rank``.

        Example:
            >>> layer.enable_lora(4)
        """
        if self.kernel_constraint:
            raise ValueError(
                "Lora is incompatible with kernel constraints. In order to enable lora on this "
                "layer, remove the `kernel_constraint` argument."
            )
        if not self.built:
            raise ValueError("Cannot enable lora on a layer that isn't yet built.")
        if self.lora_enabled:
            raise ValueError("lora is already enabled. This can only be done once per layer.")
        self.lora_kernel_a = self.add_weight(
            name="lora_kernel_a", shape=tuple(self._kernel.shape[:-1]) + (rank,),
            initializer=initializers.get(a_initializer), dtype="float32",
            regularizer=self.kernel_regularizer)
        self.lora_kernel_b = self.add_weight(
            name="lora_kernel_b", shape=(rank, self.filters),
            initializer=initializers.get(b_initializer), dtype="float32",
            regularizer=self.kernel_regularizer)
        self._kernel.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def save_own_variables(self, store):
        """Writes the (LoRA-merged) kernel and the bias, as Keras does."""
        if not self.built:
            return
        values = [self.kernel] + ([self.bias] if self.bias is not None else [])
        for i, value in enumerate(values):
            store[str(i)] = ops.convert_to_numpy(value)

    def load_own_variables(self, store):
        """Reads the kernel and the bias; the LoRA factors are reset to zero."""
        if not self.built:
            return
        targets = [self._kernel] + ([self.bias] if self.bias is not None else [])
        if len(store.keys()) != len(targets):
            raise ValueError(
                f"Layer {self.name!r} expected {len(targets)} variables, but received "
                f"{len(store.keys())} variables during loading. "
                f"Expected: {[v.name for v in targets]}"
            )
        for i, variable in enumerate(targets):
            value = store[str(i)]
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Layer {self.name!r}: variable {variable.name!r} has shape "
                    f"{tuple(variable.shape)}, the file has {tuple(value.shape)}."
                )
            variable.assign(value)
        if self.lora_enabled:
            self.lora_kernel_a.assign(ops.zeros(self.lora_kernel_a.shape))
            self.lora_kernel_b.assign(ops.zeros(self.lora_kernel_b.shape))

    def get_config(self):
        config = {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return config
