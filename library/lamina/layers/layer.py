"""The Layer base class: state (weights), computation (``call``), and the bookkeeping
between them (lazy build, tracking, training flag, masks, losses, dtype policy).

``Layer`` is assembled from three modules: this one (construction, dtype policy,
building, calling, config), ``layer_tracking`` (attribute tracking, sub-layers, the
weight, variable and metric collections, losses) and ``layer_weights`` (``add_weight``,
``get_weights``/``set_weights``, ``save_own_variables``/``load_own_variables``).

Example:
    >>> class Scale(lamina.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.w
    >>> Scale()(np.ones((2, 3))).shape
    (2, 3)
"""

import functools
import inspect

from lamina import tree
from lamina.backend.common import dtypes, global_state
from lamina.backend.common.keras_tensor import KerasTensor, any_symbolic
from lamina.backend.common.masking import get_keras_mask, set_keras_mask
from lamina.backend.common.scopes import StatelessScope, SymbolicScope, name_scope
from lamina.backend.common.variables import AutocastScope, get_autocast_dtype
from lamina.dtype_policies import policy as policies
from lamina.layers.auto_config import auto_config, capture_init_args
from lamina.layers.input_spec import InputSpec, assert_input_compatibility
from lamina.layers.layer_tracking import LayerTrackingMixin
from lamina.layers.layer_weights import LayerWeightsMixin
from lamina.ops.operation import Node, Operation
from lamina.saving.object_registry import keras_export

_ALLOWED_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "input_dim", "weights",
                   "activity_regularizer", "autocast", "dtype", "name", "trainable"}


class _CallContext:
    __slots__ = ("training", "entry_layer")

    def __init__(self, training, entry_layer):
        self.training = training
        self.entry_layer = entry_layer


def _call_signature_info(cls):
    info = cls.__dict__.get("_lamina_call_info")
    if info is None:
        params = inspect.signature(cls.call).parameters
        names = [n for n in params if n != "self"]
        info = {
            "training": "training" in params,
            "mask": "mask" in params,
            "training_default": params["training"].default if "training" in params else None,
            "names": names,
            "var_keyword": any(p.kind == p.VAR_KEYWORD for p in params.values()),
        }
        cls._lamina_call_info = info
    return info


@keras_export("keras.layers")
class Layer(LayerTrackingMixin, LayerWeightsMixin, Operation):
    """Base class of all layers.

    Subclasses create weights in ``build(input_shape)`` (or ``__init__`` when the
    shapes are known) with :meth:`add_weight`, and compute in ``call(inputs, ...)``.
    ``call`` may accept ``training`` (passed down from the outermost call) and
    ``mask`` (taken from the inputs' masks).

    Args:
        trainable: whether the layer's weights are updated by training.
        dtype: a dtype or policy name (``"float32"``, ``"mixed_float16"``...).
        autocast: whether float inputs are cast to the compute dtype.
        name: the layer's name (unique by default).
        activity_regularizer: a regularizer applied to the outputs.

    Example:
        >>> layer = lamina.layers.Dense(4)
        >>> layer(np.ones((1, 3))).shape
        (1, 4)
        >>> [w.shape for w in layer.weights]
        [(3, 4), (4,)]
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_lamina_wrapped", False):
            cls.build = _wrap_build(build)

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        # Recorded so that a subclass without get_config still saves (see auto_config).
        instance._auto_config = capture_init_args(cls, args, kwargs)
        return instance

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        unknown = set(kwargs) - _ALLOWED_KWARGS
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{ {k: kwargs[k] for k in sorted(unknown)} }"
            )
        self._tracking_enabled = False
        super().__init__(name=name)
        self._dtype_policy = policies.get(dtype)
        self.autocast = autocast
        self._trainable = bool(trainable)
        self.built = False
        self._own_trainable = []
        self._own_non_trainable = []
        self._seed_generators = []
        self._tracked_metrics = []
        self._losses = []
        self._losses_override = None
        self._build_shapes = None
        self._input_spec = None
        self._supports_masking = _overrides(self, "compute_mask")
        from lamina import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        input_shape = kwargs.get("input_shape")
        batch_input_shape = kwargs.get("batch_input_shape")
        if input_shape is None and kwargs.get("input_dim") is not None:
            input_shape = (kwargs["input_dim"],)
        if batch_input_shape is not None:
            self._input_shape_arg = tuple(batch_input_shape)
        elif input_shape is not None:
            self._input_shape_arg = (kwargs.get("batch_size"),) + tuple(input_shape)
        else:
            self._input_shape_arg = None
        self._initial_weights = kwargs.get("weights")
        self._call_info = _call_signature_info(type(self))
        self._tracking_enabled = True

    @property
    def supports_masking(self):
        """Whether the layer passes masks on (True by default when it defines ``compute_mask``)."""
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value):
        self._supports_masking = bool(value)

    @property
    def input_spec(self):
        """An :class:`InputSpec` (or a list of them) checked on every call, or None."""
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value):
        self._input_spec = value

    # -- dtype policy -------------------------------------------------------------
    @property
    def dtype_policy(self):
        """The layer's ``DTypePolicy`` (its compute and variable dtypes); settable with a policy or a name.

        Example:
            >>> lamina.layers.Dense(2, dtype="mixed_float16").dtype_policy.name
            'mixed_float16'
        """
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = policies.get(value)

    @property
    def dtype(self):
        """The dtype of the layer's variables (alias of ``variable_dtype``)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in (``"float16"`` under ``mixed_float16``).

        Example:
            >>> lamina.layers.Dense(2, dtype="mixed_float16").compute_dtype
            'float16'
        """
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights (``"float32"`` under ``mixed_float16``).

        Example:
            >>> lamina.layers.Dense(2, dtype="mixed_float16").variable_dtype
            'float32'
        """
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        """The dtype inputs are cast to before ``call`` (the compute dtype).

        Example:
            >>> lamina.layers.Dense(2).input_dtype
            'float32'
        """
        return self.compute_dtype

    # -- building -------------------------------------------------------------------------
    def build(self, input_shape=None):
        """Creates the layer's weights from the input shape. Override it.

        Example:
            >>> class Scale(lamina.layers.Layer):
            ...     def build(self, input_shape):
            ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        """
        self.built = True

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()), None)
        shapes = tree.map_structure(_shape_or_none, first)
        if _overrides(self, "build"):
            build_params = [p for p in inspect.signature(self.build).parameters]
            with name_scope(self.name, caller=self):
                if len(build_params) > 1 and len(args) > 1:
                    self.build(*[tree.map_structure(_shape_or_none, a) for a in args[:len(build_params)]])
                else:
                    self.build(shapes)
        elif any(not layer.built for layer in self._layers):
            # Build sub-layers by running call symbolically (the flag stops
            # compute_output_spec from coming back here).
            self._building = True
            try:
                self.compute_output_spec(*_fresh_specs(args), **_fresh_specs(kwargs))
            except Exception:
                pass  # the eager call that follows builds them, or raises the real error
            finally:
                self._building = False
        self.built = True
        if self._build_shapes is None:
            self._build_shapes = shapes
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def get_build_config(self):
        """The input shape the layer was built with, for saving.

        Example:
            >>> layer = lamina.layers.Dense(2)
            >>> layer.build((None, 3))
            >>> layer.get_build_config()
            {'input_shape': (None, 3)}
        """
        if self._build_shapes is not None:
            return {"input_shape": self._build_shapes}
        return None

    def build_from_config(self, config):
        """Builds the layer from :meth:`get_build_config`'s output.

        Example:
            >>> layer = lamina.layers.Dense(2)
            >>> layer.build_from_config({"input_shape": (None, 3)})
            >>> layer.kernel.shape
            (3, 2)
        """
        if config and "input_shape" in config and not self.built:
            shape = tree.lists_to_tuples(config["input_shape"])
            with name_scope(self.name, caller=self):
                self.build(shape)
            self.built = True
            self._build_shapes = shape

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if "_tracking_enabled" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ did not call super().__init__(): "
                "lamina layers must call it before anything else."
            )
        # Like Keras: NumPy arrays become backend tensors and floats take the compute dtype,
        # in every argument.
        if args:
            args = tuple(self._convert_input(a) for a in args)
        if kwargs:
            kwargs = {k: self._convert_input(v) for k, v in kwargs.items()}
        if any_symbolic(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        if self.input_spec is not None and args:
            assert_input_compatibility(self.input_spec, args[0], self.name)
        if not self.built:
            # First call: build, and run call, under the layer's name scope so that
            # sub-layers created or built here get paths like "block/dense/kernel".
            with name_scope(self.name, caller=self):
                self._maybe_build(args, kwargs)
                return self._call(args, kwargs)
        return self._call(args, kwargs)

    def _call(self, args, kwargs):
        info = self._call_info
        context = global_state.get_global_attribute("call_context")
        entry = context is None
        if entry:
            training = kwargs.get("training")
            context = _CallContext(training, self)
            global_state.set_global_attribute("call_context", context)
            self._clear_losses()
        try:
            if info["training"]:
                if kwargs.get("training") is None:
                    if context.training is not None:
                        kwargs["training"] = context.training
                    elif info["training_default"] is not inspect.Parameter.empty:
                        kwargs["training"] = info["training_default"]
                elif context.training is None:
                    context.training = kwargs["training"]
            elif "training" in kwargs and not info["var_keyword"]:
                training = kwargs.pop("training")
                if context.training is None:
                    context.training = training
            if info["mask"] and kwargs.get("mask") is None and args:
                mask = tree.map_structure(_mask_of, args[0])
                if any(m is not None for m in tree.flatten(mask)):
                    kwargs["mask"] = mask
            outputs = self._call_with_autocast(args, kwargs)
        finally:
            if entry:
                global_state.set_global_attribute("call_context", None)
        if self.activity_regularizer is not None:
            for out in tree.flatten(outputs):
                self.add_loss(self.activity_regularizer(out) / _batch_size(out))
        if self.supports_masking or _overrides(self, "compute_mask"):
            previous = kwargs.get("mask")
            if previous is None and args:
                previous = tree.map_structure(_mask_of, args[0])
            mask = self.compute_mask(args[0] if args else None, previous)
            if mask is not None:
                for out, m in zip(tree.flatten(outputs), tree.flatten(mask) * len(tree.flatten(outputs))):
                    set_keras_mask(out, m)
        return outputs

    def _call_with_autocast(self, args, kwargs):
        compute = self.compute_dtype
        current = get_autocast_dtype()
        if self.autocast and dtypes.is_float_dtype(compute):
            if current == compute or (current is None and compute == self.variable_dtype):
                return self.call(*args, **kwargs)
            with AutocastScope(compute):
                return self.call(*args, **kwargs)
        if current is None:
            return self.call(*args, **kwargs)
        with AutocastScope(None):
            return self.call(*args, **kwargs)

    def _convert_input(self, x):
        if isinstance(x, KerasTensor) or x is None:
            return x
        if isinstance(x, (list, tuple, dict)):
            return tree.map_structure(self._convert_leaf, x)
        return self._convert_leaf(x)

    def _convert_leaf(self, x):
        if type(x).__module__ == "numpy" and hasattr(x, "dtype"):
            from lamina import ops

            x = ops.convert_to_tensor(x)
        return self._autocast_input(x)

    def _autocast_input(self, x):
        if not self.autocast or isinstance(x, KerasTensor):
            return x
        dtype = getattr(x, "dtype", None)
        if dtype is None:
            return x
        name = dtypes.standardize_dtype(dtype)
        if name != self.compute_dtype and name in dtypes.FLOAT_TYPES and \
                self.compute_dtype in dtypes.FLOAT_TYPES:
            from lamina import ops

            return ops.cast(x, self.compute_dtype)
        return x

    def call(self, *args, **kwargs):
        """The layer's computation. Override it.

        Example:
            >>> class Scale(lamina.layers.Layer):
            ...     def call(self, inputs, training=None):
            ...         return inputs * 2.0
        """
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement call().")

    def symbolic_call(self, *args, **kwargs):
        """Builds (if needed) and records a call on KerasTensors.

        Example:
            >>> y = lamina.layers.Dense(2).symbolic_call(lamina.KerasTensor((None, 3)))
            >>> y.shape
            (None, 2)
        """
        if self.input_spec is not None and args:
            assert_input_compatibility(self.input_spec, args[0], self.name)
        if not self.built:
            self._maybe_build(args, kwargs)
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        if self.supports_masking or _overrides(self, "compute_mask"):
            previous = kwargs.get("mask")
            if previous is None and args:
                previous = tree.map_structure(_mask_of, args[0])
            mask = self.compute_mask(*_fresh_specs(args[:1]), previous) if args else None
            if mask is not None:
                flat_out = tree.flatten(outputs)
                flat_mask = tree.flatten(mask)
                if len(flat_mask) == 1:
                    flat_mask = flat_mask * len(flat_out)
                for out, m in zip(flat_out, flat_mask):
                    out._keras_mask = m
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """The output KerasTensor(s) for KerasTensor inputs.

        Uses ``compute_output_shape`` when the layer overrides it, else runs
        ``call`` on symbolic inputs.

        Example:
            >>> lamina.layers.Dense(2).compute_output_spec(lamina.KerasTensor((None, 3))).shape
            (None, 2)
        """
        if _overrides(self, "compute_output_shape") and args:
            shapes = tree.map_structure(_shape_or_none, args[0])
            out_shapes = self.compute_output_shape(shapes)
            return tree.map_shape_structure(
                lambda s: KerasTensor(s, dtype=self.compute_dtype), out_shapes
            )
        if not self.built and not self.__dict__.get("_building"):
            self._maybe_build(args, kwargs)
        info = self._call_info
        kwargs = dict(kwargs)
        if info["training"] and kwargs.get("training") is None:
            kwargs["training"] = False
        elif not info["training"] and not info["var_keyword"]:
            kwargs.pop("training", None)
        if not info["mask"] and not info["var_keyword"]:
            kwargs.pop("mask", None)
        with SymbolicScope():
            return self._call_with_autocast(_fresh_specs(args), _fresh_specs(kwargs))

    def compute_output_shape(self, *args, **kwargs):
        """The output shape for an input shape (default: from ``compute_output_spec``).

        Example:
            >>> lamina.layers.Dense(2).compute_output_shape((None, 3))
            (None, 2)
        """
        specs = tree.map_shape_structure(lambda s: KerasTensor(s, dtype=self.compute_dtype), args[0])
        out = self.compute_output_spec(specs, *args[1:], **kwargs)
        return tree.map_structure(lambda t: t.shape, out)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs; by default the input's mask passes through
        when ``supports_masking`` is set.

        Example:
            >>> lamina.layers.Dense(2).compute_mask(np.ones((1, 3)), None) is None
            True
        """
        if not self.supports_masking:
            return None
        return previous_mask

    def stateless_call(self, trainable_variables, non_trainable_variables, *args,
                       return_losses=False, **kwargs):
        """Calls the layer with the given variable values instead of its own state.

        Returns ``(outputs, non_trainable_variables)`` (and the losses when
        ``return_losses=True``); the layer's variables are not changed.

        Example:
            >>> outputs, state = layer.stateless_call(
            ...     [v.value for v in layer.trainable_variables],
            ...     [v.value for v in layer.non_trainable_variables], x)
        """
        trainable, non_trainable = self.trainable_variables, self.non_trainable_variables
        if len(trainable_variables) != len(trainable):
            raise ValueError(
                f"stateless_call on {self.name!r}: expected {len(trainable)} trainable variable "
                f"values, received {len(trainable_variables)}."
            )
        if len(non_trainable_variables) != len(non_trainable):
            raise ValueError(
                f"stateless_call on {self.name!r}: expected {len(non_trainable)} non-trainable "
                f"variable values, received {len(non_trainable_variables)}."
            )
        mapping = list(zip(trainable, trainable_variables)) + list(zip(non_trainable, non_trainable_variables))
        with StatelessScope(state_mapping=mapping, collect_losses=return_losses) as scope:
            outputs = self(*args, **kwargs)
            losses = list(scope.losses) if return_losses else None
        new_values = []
        for v, old in zip(non_trainable, non_trainable_variables):
            current = scope.get_current_value(v)
            new_values.append(old if current is None else current)
        if return_losses:
            self._clear_losses()
            return outputs, new_values, losses
        return outputs, new_values

    # -- config ------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict.

        Example:
            >>> lamina.layers.Dense(2).get_config()["units"]
            2
        """
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": policies.serialize(self._dtype_policy)}
        if self.activity_regularizer is not None:
            from lamina import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return auto_config(self, Layer, config)

    @classmethod
    def from_config(cls, config):
        """Creates a layer from :meth:`get_config`'s output.

        Example:
            >>> lamina.layers.Dense.from_config(lamina.layers.Dense(2).get_config()).units
            2
        """
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = policies.deserialize(config["dtype"])
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"{cls.__name__}.from_config could not build the layer from {config}: {e}. "
                "A custom layer needs get_config() to return its constructor arguments."
            ) from None

    @property
    def path(self):
        """The layer's path for saving and for variable paths (its name).

        Example:
            >>> lamina.layers.Dense(2, name="head").path
            'head'
        """
        return self.name

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _wrap_build(build):
    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        if getattr(self, "_in_build", False):
            return build(self, *args, **kwargs)
        self._in_build = True
        try:
            with name_scope(self.name, caller=self):
                out = build(self, *args, **kwargs)
        finally:
            self._in_build = False
        self.built = True
        if self._build_shapes is None and args:
            self._build_shapes = args[0] if len(args) == 1 else args
        return out

    wrapped._lamina_wrapped = True
    return wrapped


def _overrides(layer, method):
    return getattr(type(layer), method) is not getattr(Layer, method)


def _shape_or_none(x):
    if x is None:
        return None
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    return tuple(None if d is None else int(d) for d in shape)


def _mask_of(x):
    if isinstance(x, KerasTensor):
        return getattr(x, "_keras_mask", None)
    if x is None:
        return None
    return get_keras_mask(x)


def _fresh_specs(structure):
    """KerasTensors copied without graph history, so inner ops do not touch the outer graph."""
    def fresh(x):
        if isinstance(x, KerasTensor):
            out = KerasTensor(x.shape, dtype=x.dtype, sparse=x.sparse)
            mask = getattr(x, "_keras_mask", None)
            if mask is not None:
                out._keras_mask = mask
            return out
        return x

    return tree.map_structure(fresh, structure)


def _batch_size(x):
    shape = getattr(x, "shape", ())
    if shape and shape[0] is not None:
        return float(shape[0])
    return 1.0


__all__ = ["Layer", "InputSpec"]
