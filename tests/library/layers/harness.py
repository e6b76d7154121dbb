"""The layer-test harness: one call checks a layer every way lamina promises.

``check_layer(cls, init_kwargs, input_shape)`` runs, for the active backend:

* config round trip: ``from_config(get_config())`` gives the same config, and
  ``lamina.layers.deserialize(serialize(layer))`` rebuilds it;
* symbolic shapes: calling on a KerasTensor (unknown batch size) gives the
  shape and dtype of the eager output (and of ``compute_output_shape``);
* eager output against a NumPy reference (``reference(inputs, weights)``), when given;
* against real Keras 3 on the same backend, when it has the layer: same weights
  (``set_weights``), same inputs, same outputs;
* one training step (on training backends): the trainable weights move and the
  loss is finite;
* mixed precision: under ``mixed_float16`` the output is float16 and the
  weights stay float32.
"""

import numpy as np

import lamina
from lamina import ops

BACKEND = lamina.backend.backend()


def _keras():
    try:
        import keras
    except ImportError:
        return None
    return keras


def _inputs(input_shape, input_dtype, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(input_dtype).kind in "iu":
        return rng.integers(0, 5, size=input_shape).astype(input_dtype)
    return rng.normal(size=input_shape).astype(input_dtype)


def _np(x):
    return ops.convert_to_numpy(x)


def check_layer(cls, init_kwargs=None, input_shape=(2, 3), input_dtype="float32", reference=None,
                call_kwargs=None, keras_name=None, rtol=1e-5, atol=1e-6, train=True,
                mixed_precision=True, symbolic=True, input_data=None, seed=0):
    """Runs every check on ``cls(**init_kwargs)``; returns the (built) layer."""
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    x = input_data if input_data is not None else _inputs(input_shape, input_dtype, seed)
    layer = cls(**init_kwargs)
    out = layer(x, **call_kwargs)
    eager = _np(out)

    # config round trip
    config = layer.get_config()
    clone = cls.from_config(config)
    assert clone.get_config() == config, f"{cls.__name__}: get_config differs after from_config"
    rebuilt = lamina.layers.deserialize(lamina.layers.serialize(layer))
    assert type(rebuilt) is cls

    # symbolic shapes and dtype
    if symbolic:
        spec_in = lamina.KerasTensor((None,) + tuple(np.shape(x))[1:], dtype=str(np.asarray(x).dtype))
        spec = cls.from_config(config)(spec_in, **call_kwargs)
        assert spec.shape[1:] == eager.shape[1:], (spec.shape, eager.shape)
        assert spec.dtype == lamina.backend.standardize_dtype(out.dtype)
        shape = layer.compute_output_shape((None,) + tuple(np.shape(x))[1:])
        assert tuple(shape)[1:] == eager.shape[1:], (shape, eager.shape)

    # NumPy reference
    if reference is not None:
        expected = reference(np.asarray(x), [w.numpy() for w in layer.weights])
        np.testing.assert_allclose(eager, expected, rtol=rtol, atol=atol,
                                   err_msg=f"{cls.__name__} against its NumPy reference")

    # real Keras as the oracle
    keras = _keras()
    keras_cls = getattr(keras.layers, keras_name or cls.__name__, None) if keras else None
    if keras_cls is not None:
        theirs = keras_cls(**init_kwargs)
        theirs(x, **call_kwargs)
        theirs.set_weights(layer.get_weights())
        expected = keras.ops.convert_to_numpy(theirs(x, **call_kwargs))
        np.testing.assert_allclose(eager, expected, rtol=rtol, atol=atol,
                                   err_msg=f"{cls.__name__} against Keras")

    # one training step
    if train and BACKEND in ("jax", "torch", "tensorflow") and layer.trainable_weights:
        inputs = lamina.Input(tuple(np.shape(x))[1:], dtype=str(np.asarray(x).dtype))
        lamina.utils.set_random_seed(seed)  # deterministic weights: no flaky dead units
        trained = cls(**init_kwargs)
        model = lamina.Model(inputs, trained(inputs, **call_kwargs))
        # One eager step: compiling a whole step per layer configuration costs more than it checks.
        model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse", run_eagerly=True)
        before = [w.numpy().copy() for w in trained.trainable_weights]
        target = _np(model(x)) + 1.0  # a non-zero error on every output
        logs = model.train_on_batch(x, target, return_dict=True)
        assert np.isfinite(logs["loss"])
        after = [w.numpy() for w in trained.trainable_weights]
        assert any(not np.allclose(a, b) for a, b in zip(after, before)), \
            f"{cls.__name__}: one training step changed no weight"

    # mixed precision
    if mixed_precision and np.asarray(x).dtype.kind == "f":
        mixed = cls(**{**init_kwargs, "dtype": "mixed_float16"})
        out16 = mixed(x, **call_kwargs)
        assert lamina.backend.standardize_dtype(out16.dtype) == "float16", cls.__name__
        assert all(w.dtype == "float32" for w in mixed.weights if w.dtype.startswith("float"))
    return layer
