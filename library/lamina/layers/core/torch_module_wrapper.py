"""TorchModuleWrapper: the public name of the layer that wraps a ``torch.nn.Module``.

The implementation lives in ``lamina.backend.torch.module_wrapper`` (only backend
modules import torch); this class resolves it when a layer is created, on the torch
backend only.
"""

from lamina.backend.config import backend
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _implementation(what="TorchModuleWrapper"):
    if backend() != "torch":
        raise ValueError(f"{what} needs the torch backend (LAMINA_BACKEND=torch). "
                         f"Received: the {backend()!r} backend is active.")
    from lamina.backend.torch import module_wrapper

    return module_wrapper.TorchModuleWrapper


@keras_export("keras.layers")
class TorchModuleWrapper(Layer):
    """Wraps a ``torch.nn.Module`` as a lamina layer (torch backend only).

    The module's parameters become the layer's variables (the very same
    ``torch.nn.Parameter`` objects, so ``fit``, the optimizers and ``get_weights``
    train and read the module itself); parameters with ``requires_grad=False`` are
    non-trainable. Calling the layer calls the module; ``training=False`` switches it to
    ``eval()`` mode, anything else to ``train()`` mode. Saving writes the module's
    ``state_dict`` (buffers included) as in Keras 3. The config holds the pickled module,
    so loading it needs ``safe_mode=False``.

    Args:
        module: a ``torch.nn.Module``; a lazy module must be initialized first.
        name: the layer's name.
        output_shape: the output shape for symbolic calls (default: found by running the
            module on a small input).
        **kwargs: the base Layer arguments.

    Example:
        >>> import torch
        >>> layer = lamina.layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
        >>> model = lamina.Sequential([lamina.Input((4,)), layer, lamina.layers.Dense(1)])
        >>> model.compile(optimizer="adam", loss="mse")
        >>> model.fit(np.ones((8, 4)), np.ones((8, 1)), verbose=0)
    """

    def __new__(cls, *args, **kwargs):
        if cls is TorchModuleWrapper:
            cls = _implementation()
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.module = module
        self.output_shape = output_shape

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer; unpickling the module needs ``safe_mode=False``.

        Example:
            >>> clone = lamina.layers.TorchModuleWrapper.from_config(config, safe_mode=False)
        """
        impl = _implementation()
        if cls is impl:
            raise TypeError("TorchModuleWrapper: the backend class must define from_config.")
        return impl.from_config(config, custom_objects=custom_objects, safe_mode=safe_mode)
