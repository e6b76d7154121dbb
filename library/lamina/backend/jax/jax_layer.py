"""The jax side of ``lamina.layers.JaxLayer``: a layer around a pure JAX function.

The leaves of ``params`` and ``state`` (any pytrees) become lamina Variables; each call
passes their current values (inside lamina's jitted train step, the traced ones), and a
returned state is assigned back, so the layer trains and keeps state like any other.

Example:
    >>> layer = lamina.layers.JaxLayer(lambda params, inputs: inputs * params, params=2.0)
    >>> layer(np.ones(3))
"""

import inspect
import re

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.scopes import name_scope
from lamina.backend.common.variables import Variable
from lamina.layers.core.jax_layer import JaxLayer as _PublicJaxLayer
from lamina import tree

_CALL_ARGS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGS = ("rng", "inputs", "training")


def _signature(fn, fn_name, allowed):
    """The parameter names of ``fn``, checked against ``allowed`` (``inputs`` required)."""
    if not callable(fn):
        raise TypeError(f"JaxLayer: `{fn_name}` must be callable. Received: {type(fn).__name__}")
    names = list(inspect.signature(fn).parameters)
    if "inputs" not in names:
        raise ValueError(f"JaxLayer: `{fn_name}` must take an argument named `inputs`. "
                         f"Received: a function of ({', '.join(names)})")
    for name in names:
        if name not in allowed:
            raise ValueError(f"JaxLayer: unsupported argument `{name}` in `{fn_name}`; expected "
                             f"arguments among {', '.join(allowed)}. Received: ({', '.join(names)})")
    return names


class JaxLayer(_PublicJaxLayer):
    """The jax implementation of :class:`lamina.layers.JaxLayer`.

    Example:
        >>> lamina.layers.JaxLayer(lambda inputs: jax.numpy.tanh(inputs))(np.ones(2))
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        super().__init__(call_fn, init_fn=init_fn, params=params, state=state, seed=seed,
                         native_serialization_platforms=native_serialization_platforms, **kwargs)
        self.call_fn_arguments = _signature(call_fn, "call_fn", _CALL_ARGS)
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        self.init_fn_arguments = _signature(init_fn, "init_fn", _INIT_ARGS) if init_fn else None
        if (init_fn is None and params is None and state is None
                and (self.call_fn_has_params or self.call_fn_has_state)):
            raise ValueError("JaxLayer: `call_fn` takes `params` or `state`, so one of `init_fn`, "
                             "`params` and `state` is needed. Received: all three are None")
        self.params = self.state = None
        self.tracked_params = self._create_variables(params, trainable=True)
        self.tracked_state = self._create_variables(state, trainable=False)
        if self.params is not None or self.state is not None:
            self.built = True
        self.seed_generator = None
        if "rng" in self.call_fn_arguments:
            from lamina.random.seed_generator import SeedGenerator

            self.seed_generator = SeedGenerator(seed)

    def _create_variables(self, values, trainable):
        """Variables for the array (and number) leaves of the pytree ``values``."""
        created = []
        prefix = "params" if trainable else "state"

        def create(path, value):
            if isinstance(value, (bool, int, float)):
                dtype, value = dtypes.result_type(type(value)), np.asarray(value)
            elif isinstance(value, (np.ndarray, np.generic, jax.Array)):
                dtype = dtypes.standardize_dtype(value.dtype)
            else:
                return value  # None, strings...: passed through as they are
            if dtypes.is_float_dtype(dtype):
                dtype = self.variable_dtype  # the layer's policy, as in Keras
            # The pytree path names the variable: params_w, state_layer_0_mean...
            name = "_".join([prefix] + re.findall(r"\w+", jax.tree_util.keystr(path)))
            with name_scope(self.name, caller=self):
                variable = Variable(jnp.asarray(value), dtype=dtype, trainable=trainable, name=name)
            self._track(variable)
            created.append(variable)
            return variable

        variables = jax.tree_util.tree_map_with_path(create, values)
        if trainable:
            self.params = variables
        else:
            self.state = variables
        return created

    def build(self, input_shape):
        if (self.params is None and self.state is None
                and (self.call_fn_has_params or self.call_fn_has_state)):
            self._initialize_weights(input_shape)

    def _initialize_weights(self, input_shape):
        inputs = tree.map_shape_structure(lambda s: jnp.ones([1 if d is None else d for d in s]),
                                          input_shape)
        if any(isinstance(x, jax.core.Tracer) for x in tree.flatten(inputs)):
            raise ValueError("JaxLayer: cannot create its weights inside a traced (jit) function; "
                             "build the layer (call it once) before.")
        args = []
        for name in self.init_fn_arguments:
            if name == "rng":
                from lamina.random.seed_generator import draw_seed

                args.append(jnp.asarray(draw_seed(None, "JaxLayer")))
            elif name == "inputs":
                args.append(inputs)
            else:
                args.append(True)
        result = self.init_fn(*args)
        if self.call_fn_has_state:
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                raise ValueError("JaxLayer: `call_fn` takes a `state`, so `init_fn` must return "
                                 f"(params, state). Received: {type(result).__name__}")
            params, state = result
        else:
            params, state = result, None
        self.tracked_params = self._create_variables(params, trainable=True)
        self.tracked_state = self._create_variables(state, trainable=False)

    def _call_args(self, inputs, training, rng):
        def unwrap(variable):
            return variable.value if isinstance(variable, Variable) else variable

        args = []
        for name in self.call_fn_arguments:
            if name == "params":
                args.append(jax.tree_util.tree_map(unwrap, self.params))
            elif name == "state":
                args.append(jax.tree_util.tree_map(unwrap, self.state))
            elif name == "rng":
                args.append(rng)
            elif name == "inputs":
                args.append(inputs)
            else:
                args.append(training)
        return args

    def call(self, inputs, training=False):
        rng = self.seed_generator.next() if (training and self.seed_generator is not None) else None
        outputs = self.call_fn(*self._call_args(inputs, training, rng))
        if not self.call_fn_has_state:
            return outputs
        outputs, new_state = outputs

        def assign(value, variable):
            if not isinstance(variable, Variable):
                raise ValueError("JaxLayer: the state returned by `call_fn` does not have the "
                                 "structure of the initial state.")
            variable.assign(value)

        jax.tree_util.tree_map(assign, new_state, self.state)
        return outputs

    def compute_output_spec(self, inputs, training=False):
        """Output shapes from ``jax.eval_shape`` (no compute, no state change)."""
        def run(fill):
            def fn(x):
                rng = jax.random.PRNGKey(0) if (training and self.seed_generator is not None) else None
                out = self.call_fn(*self._call_args(x, training, rng))
                return out[0] if self.call_fn_has_state else out

            structs = tree.map_structure(
                lambda t: jax.ShapeDtypeStruct(tuple(fill if d is None else d for d in t.shape), t.dtype),
                inputs)
            return jax.eval_shape(fn, structs)

        first = run(83)
        if not any(None in t.shape for t in tree.flatten(inputs)):
            return tree.map_structure(lambda s: KerasTensor(s.shape, dtype=str(s.dtype)), first)
        second = run(89)
        return tree.map_structure(
            lambda a, b: KerasTensor(tuple(d if d == e else None for d, e in zip(a.shape, b.shape)),
                                     dtype=str(a.dtype)), first, second)

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {**super().get_config(), "call_fn": serialize_keras_object(self.call_fn),
                "init_fn": serialize_keras_object(self.init_fn),
                "native_serialization_platforms": self.native_serialization_platforms}
