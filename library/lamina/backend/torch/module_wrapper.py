"""The torch side of ``lamina.layers.TorchModuleWrapper``: a layer around a ``torch.nn.Module``.

The module's parameters are tracked as lamina Variables that hold the module's own
``torch.nn.Parameter`` objects, so the torch trainer's ``backward()`` fills their
``.grad`` and the optimizers update the module in place.

Example:
    >>> layer = lamina.layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
    >>> [v.shape for v in layer.trainable_variables]
    [(2, 4), (2,)]
"""

import base64
import io

import torch

from lamina import tree
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.scopes import name_scope
from lamina.backend.torch.core import Variable, convert_to_numpy, convert_to_tensor, standardize_dtype
from lamina.layers.core.torch_module_wrapper import TorchModuleWrapper as _PublicTorchModuleWrapper


class ParameterVariable(Variable):
    """A lamina Variable whose value is an existing ``torch.nn.Parameter`` (not a copy).

    Example:
        >>> p = torch.nn.Parameter(torch.zeros(3))
        >>> ParameterVariable(p, trainable=True, name="w").value is p
        True
    """

    def _initialize(self, value):
        if isinstance(value, torch.nn.Parameter):
            self._value = value
        else:
            super()._initialize(value)


class TorchModuleWrapper(_PublicTorchModuleWrapper):
    """The torch implementation of :class:`lamina.layers.TorchModuleWrapper`.

    Example:
        >>> lamina.layers.TorchModuleWrapper(torch.nn.ReLU())(np.array([-1.0, 2.0]))
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        if not isinstance(module, torch.nn.Module):
            raise TypeError("TorchModuleWrapper: `module` must be a torch.nn.Module. "
                            f"Received: {type(module).__name__}")
        lazy = torch.nn.modules.lazy.LazyModuleMixin
        if isinstance(module, lazy) and module.has_uninitialized_params():
            raise ValueError("TorchModuleWrapper: lazy modules must be initialized first (call them "
                             f"once on an input). Received: an uninitialized {type(module).__name__}")
        super().__init__(module, name=name, output_shape=output_shape, **kwargs)
        self._track_module_parameters()

    def parameters(self, recurse=True):
        """The module's parameters (``torch.nn.Module.parameters``).

        Example:
            >>> sum(p.numel() for p in layer.parameters())
        """
        return self.module.parameters(recurse=recurse)

    def _track_module_parameters(self):
        with name_scope(self.name, caller=self):
            for param_name, param in self.module.named_parameters():
                self._track(ParameterVariable(param, trainable=param.requires_grad,
                                              name=param_name.replace("/", "_")))
        self.built = True

    def call(self, *args, training=None, **kwargs):
        self.module.train(training is not False)
        return self.module(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        kwargs.pop("training", None)
        if self.output_shape is not None:
            return tree.map_shape_structure(lambda s: KerasTensor(s, dtype=self.compute_dtype),
                                            tree.lists_to_tuples(self.output_shape))
        was_training = self.module.training
        try:
            self.module.eval()  # no running-statistics updates while finding shapes
            with torch.no_grad():
                first = self._run_on_ones(args, kwargs, 83)
                if not any(None in x.shape for x in tree.flatten((args, kwargs))
                           if isinstance(x, KerasTensor)):
                    return tree.map_structure(_spec_of, first)
                second = self._run_on_ones(args, kwargs, 89)
        finally:
            self.module.train(was_training)

        def merge(a, b):
            shape = tuple(d if d == e else None for d, e in zip(a.shape, b.shape))
            return KerasTensor(shape, dtype=standardize_dtype(a.dtype))

        return tree.map_structure(merge, first, second)

    def _run_on_ones(self, args, kwargs, fill):
        def ones(x):
            if not isinstance(x, KerasTensor):
                return x
            shape = [fill if d is None else d for d in x.shape]
            return convert_to_tensor(torch.ones(shape), dtype=x.dtype)

        args, kwargs = tree.map_structure(ones, (args, kwargs))
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self.output_shape is not None:
            return self.output_shape
        specs = tree.map_shape_structure(lambda s: KerasTensor(s, dtype=self.compute_dtype), input_shape)
        return tree.map_structure(lambda t: t.shape, self.compute_output_spec(specs))

    def save_own_variables(self, store):
        """Writes the module's ``state_dict`` (parameters and buffers), as Keras 3 does.

        Example:
            >>> store = {}
            >>> layer.save_own_variables(store)
        """
        for key, value in self.module.state_dict().items():
            store[key] = convert_to_numpy(value)

    def load_own_variables(self, store):
        """Loads a ``state_dict`` written by :meth:`save_own_variables` into the module.

        Example:
            >>> layer.load_own_variables(store)
        """
        state = {}
        for key in store.keys():
            name = key.decode() if isinstance(key, bytes) else key
            state[name] = convert_to_tensor(store[key])
        self.module.load_state_dict(state)

    def get_config(self):
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        return {**super().get_config(), "module": base64.b64encode(buffer.getvalue()).decode("ascii"),
                "output_shape": self.output_shape}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        from lamina.saving.serialization import _effective_safe_mode

        config = dict(config)
        if isinstance(config.get("module"), str):
            if _effective_safe_mode(safe_mode) is not False:
                raise ValueError(
                    "TorchModuleWrapper: refusing to unpickle a torch.nn.Module (torch.load) in safe "
                    "mode: loading it could run arbitrary code. If you trust the file, pass "
                    "safe_mode=False to the loading function or call "
                    "lamina.config.enable_unsafe_deserialization().")
            raw = base64.b64decode(config["module"].encode("ascii"))
            config["module"] = torch.load(io.BytesIO(raw), weights_only=False)
        if isinstance(config.get("dtype"), dict):
            from lamina.dtype_policies import policy

            config["dtype"] = policy.deserialize(config["dtype"])
        return cls(**config)


def _spec_of(x):
    if isinstance(x, torch.Tensor):
        return KerasTensor(tuple(x.shape), dtype=standardize_dtype(x.dtype))
    return x
