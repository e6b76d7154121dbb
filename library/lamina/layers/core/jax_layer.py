"""JaxLayer: the public name of the layer that wraps a pure JAX function.

The implementation lives in ``lamina.backend.jax.jax_layer`` (jax is imported by backend
modules only); this class resolves it when a layer is created, on the jax backend only.
"""

from lamina.backend.config import backend
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _implementation():
    if backend() != "jax":
        raise ValueError("JaxLayer needs the jax backend (LAMINA_BACKEND=jax). "
                         f"Received: the {backend()!r} backend is active.")
    from lamina.backend.jax import jax_layer

    return jax_layer.JaxLayer


@keras_export("keras.layers")
class JaxLayer(Layer):
    """Wraps a pure JAX function ``call_fn`` (and its parameters) as a lamina layer (jax backend).

    ``call_fn`` takes, by name and in any order, ``inputs`` (required) and any of
    ``params`` (trainable variables), ``state`` (non-trainable variables, returned
    updated: ``call_fn`` then returns ``(outputs, new_state)``), ``rng`` (a JAX PRNG key,
    drawn from a ``SeedGenerator`` when ``training`` is true, else None) and
    ``training``. ``params`` and ``state`` are any pytrees; their array leaves become
    the layer's variables, so ``fit`` trains them inside lamina's jitted step.

    Weights come from ``params``/``state``, or from ``init_fn(rng, inputs, training)``
    (any subset of these names; it returns ``params``, or ``(params, state)`` when
    ``call_fn`` takes a state), called on ones of the input shape at build time.

    Args:
        call_fn: the function computing the outputs.
        init_fn: the function creating ``params`` (and ``state``) from an input.
        params: the initial trainable pytree (instead of ``init_fn``).
        state: the initial non-trainable pytree (instead of ``init_fn``).
        seed: the seed of the ``rng`` keys given to ``call_fn``.
        native_serialization_platforms: accepted for Keras compatibility (a jax2tf
            option, unused here).
        **kwargs: the base Layer arguments.

    Example:
        >>> def call_fn(params, inputs):
        ...     return inputs @ params["w"] + params["b"]
        >>> layer = lamina.layers.JaxLayer(call_fn, params={"w": np.ones((3, 2)), "b": np.zeros(2)})
        >>> layer(np.ones((4, 3))).shape
        (4, 2)
    """

    def __new__(cls, *args, **kwargs):
        if cls is JaxLayer:
            cls = _implementation()
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        super().__init__(**kwargs)
        self.call_fn, self.init_fn, self.seed = call_fn, init_fn, seed
        self.native_serialization_platforms = native_serialization_platforms

    @classmethod
    def from_config(cls, config):
        """Rebuilds the layer; ``call_fn`` and ``init_fn`` must be registered functions.

        Example:
            >>> clone = lamina.layers.JaxLayer.from_config(layer.get_config())
        """
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        for key in ("call_fn", "init_fn"):
            if config.get(key) is not None:
                config[key] = deserialize_keras_object(config[key], safe_mode=None)
        return super().from_config(config)
