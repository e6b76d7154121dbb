"""TorchModuleWrapper (torch backend) and JaxLayer (jax backend) against Keras 3: same module or
function and weights -> same outputs, same training; saving, config, and clear errors elsewhere."""

import copy

import numpy as np
import pytest

import lamina
from lamina import layers, ops

keras = pytest.importorskip("keras")
BACKEND = lamina.backend.backend()
X = np.random.default_rng(1).normal(size=(8, 3)).astype("float32")
Y = np.random.default_rng(2).normal(size=(8, 2)).astype("float32")


def _np(x):
    if hasattr(x, "detach"):
        x = x.detach().cpu()
    return np.asarray(ops.convert_to_numpy(x))


def _fit_both(ours_layer, theirs_layer, input_shape, epochs=3):
    """The same model around each layer, trained with SGD on the same data."""
    models = []
    for lib, layer in ((lamina, ours_layer), (keras, theirs_layer)):
        inputs = lib.Input(input_shape)
        model = lib.Model(inputs, layer(inputs))
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        model.fit(X, Y, batch_size=4, epochs=epochs, shuffle=False, verbose=0)
        models.append(model)
    return models


# -- TorchModuleWrapper ------------------------------------------------------------------------

def _torch_net():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Tanh(),
                               torch.nn.Linear(4, 2))


@pytest.mark.backends("torch")
def test_torch_module_wrapper_matches_keras_and_shares_parameters():
    net = _torch_net()
    ours, theirs = layers.TorchModuleWrapper(net), keras.layers.TorchModuleWrapper(copy.deepcopy(net))
    for training in (False, True, None):
        np.testing.assert_allclose(_np(ours(X, training=training)), _np(theirs(X, training=training)), atol=1e-6)
    assert [tuple(v.shape) for v in ours.weights] == [tuple(v.shape) for v in theirs.weights]
    assert all(v.value is p for v, p in zip(ours.trainable_variables, net.parameters()))
    assert ours.weights[0].path.endswith("/0.weight")
    assert sum(p.numel() for p in ours.parameters()) == ours.count_params() == 34
    net[0].bias.requires_grad_(False)
    frozen = layers.TorchModuleWrapper(net)
    assert len(frozen.trainable_weights) == 5 and len(frozen.non_trainable_weights) == 1


@pytest.mark.backends("torch")
def test_torch_module_wrapper_trains_like_keras():
    net = _torch_net()
    # Keras needs output_shape for a symbolic call; lamina finds it by running the module.
    ours, theirs = _fit_both(layers.TorchModuleWrapper(net),
                             keras.layers.TorchModuleWrapper(copy.deepcopy(net), output_shape=(None, 2)), (3,))
    assert not np.allclose(_np(net[0].weight), _np(_torch_net()[0].weight))  # the module itself moved
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)


@pytest.mark.backends("torch")
def test_torch_module_wrapper_symbolic_shapes():
    layer = layers.TorchModuleWrapper(_torch_net())
    before = _np(layer.module[1].running_mean).copy()
    out = layer(lamina.KerasTensor((None, 3)))
    assert out.shape == (None, 2) and out.dtype == "float32"
    np.testing.assert_array_equal(_np(layer.module[1].running_mean), before)  # no statistics update
    assert layer.module.training  # mode restored
    fixed = layers.TorchModuleWrapper(_torch_net(), output_shape=(None, 2))
    assert fixed.compute_output_shape((None, 3)) == (None, 2)
    assert layers.TorchModuleWrapper(_torch_net()).compute_output_shape((5, 3)) == (5, 2)


@pytest.mark.backends("torch")
def test_torch_module_wrapper_saving_and_safe_mode(tmp_path):
    layer = layers.TorchModuleWrapper(_torch_net(), name="net", output_shape=(None, 2))
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, layer(inputs))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, epochs=1, verbose=0)  # moves the BatchNorm statistics (buffers) too
    store = {}
    layer.save_own_variables(store)
    assert "1.running_mean" in store and "0.weight" in store
    path = tmp_path / "torch.keras"
    model.save(path)
    with pytest.raises(ValueError, match="TorchModuleWrapper.*safe mode.*safe_mode=False"):
        lamina.models.load_model(path)
    loaded = lamina.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), atol=1e-6)
    np.testing.assert_allclose(_np(loaded.layers[-1].module[1].running_mean), store["1.running_mean"])

    config = layer.get_config()
    with pytest.raises(ValueError, match="safe mode"):
        layers.TorchModuleWrapper.from_config(config)
    clone = layers.TorchModuleWrapper.from_config(config, safe_mode=False)
    assert isinstance(clone, layers.TorchModuleWrapper) and clone.get_config()["name"] == "net"
    with pytest.raises(ValueError, match="safe mode"):  # deserialize is safe by default
        layers.deserialize(layers.serialize(layer))
    rebuilt = lamina.saving.deserialize_keras_object(layers.serialize(layer), safe_mode=False)
    assert isinstance(rebuilt, layers.TorchModuleWrapper) and len(rebuilt.weights) == 6
    # A file written by Keras 3 loads, and the reverse.
    keras_inputs = keras.Input((3,))
    keras_layer = keras.layers.TorchModuleWrapper(_torch_net(), output_shape=(None, 2))
    keras_model = keras.Model(keras_inputs, keras_layer(keras_inputs))
    keras_model.save(tmp_path / "keras.keras")
    from_keras = lamina.models.load_model(tmp_path / "keras.keras", safe_mode=False)
    np.testing.assert_allclose(from_keras.predict(X, verbose=0), keras_model.predict(X, verbose=0), atol=1e-6)
    from_lamina = keras.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(_np(from_lamina.predict(X, verbose=0)), model.predict(X, verbose=0), atol=1e-6)


@pytest.mark.backends("torch")
def test_torch_module_wrapper_bad_arguments():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="TorchModuleWrapper.*torch.nn.Module.*Received: Dense"):
        layers.TorchModuleWrapper(layers.Dense(2))
    with pytest.raises(ValueError, match="TorchModuleWrapper.*lazy.*Received: an uninitialized LazyLinear"):
        layers.TorchModuleWrapper(torch.nn.LazyLinear(2))


@pytest.mark.backends("jax", "tensorflow", "numpy")
def test_torch_module_wrapper_needs_the_torch_backend():
    with pytest.raises(ValueError, match=f"TorchModuleWrapper needs the torch backend.*'{BACKEND}'"):
        layers.TorchModuleWrapper(None)
    assert issubclass(layers.TorchModuleWrapper, layers.Layer)


# -- JaxLayer ------------------------------------------------------------------------------------

def dense_call(params, inputs):
    import jax.numpy as jnp

    return jnp.tanh(inputs @ params["w"] + params["b"])


def stateful_init(rng, inputs):
    import jax

    return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)) * 0.5}, {"calls": 0.0}


def stateful_call(params, state, rng, inputs, training):
    import jax
    import jax.numpy as jnp

    outputs = inputs @ params["w"]
    if training:
        keep = jax.random.bernoulli(rng, 0.5, outputs.shape)
        outputs = jnp.where(keep, outputs / 0.5, 0.0)
    return outputs, {"calls": state["calls"] + 1.0}


PARAMS = {"w": np.random.default_rng(3).normal(size=(3, 2)).astype("float32"), "b": np.zeros(2, "float32")}


@pytest.mark.backends("jax")
def test_jax_layer_matches_keras_with_params():
    ours, theirs = layers.JaxLayer(dense_call, params=PARAMS), keras.layers.JaxLayer(dense_call, params=PARAMS)
    np.testing.assert_allclose(_np(ours(X)), _np(theirs(X)), rtol=1e-6)
    assert [v.shape for v in ours.weights] == [tuple(v.shape) for v in theirs.weights] == [(2,), (3, 2)]
    assert [v.name for v in ours.weights] == ["params_b", "params_w"]  # named by their pytree path
    assert ours(lamina.KerasTensor((None, 3))).shape == (None, 2)
    ours_model, theirs_model = _fit_both(layers.JaxLayer(dense_call, params=PARAMS),
                                         keras.layers.JaxLayer(dense_call, params=PARAMS), (3,))
    for a, b in zip(ours_model.get_weights(), theirs_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.allclose(ours_model.get_weights()[1], PARAMS["w"])


@pytest.mark.backends("jax")
def test_jax_layer_init_fn_state_and_rng_match_keras():
    ours = layers.JaxLayer(stateful_call, init_fn=stateful_init, seed=3)
    theirs = keras.layers.JaxLayer(stateful_call, init_fn=stateful_init, seed=3)
    ours.build((None, 3))
    theirs.build((None, 3))
    assert [(w.shape, w.trainable) for w in ours.weights] == [(tuple(w.shape), w.trainable) for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(_np(ours(X)), _np(theirs(X)), rtol=1e-6)
    for _ in range(2):  # same seeds -> same dropout masks
        np.testing.assert_allclose(_np(ours(X, training=True)), _np(theirs(X, training=True)), rtol=1e-6)
    assert float(_np(ours.non_trainable_weights[0])) == 3.0  # state written back
    assert ours(lamina.KerasTensor((None, 3)), training=True).shape == (None, 2)
    assert float(_np(ours.non_trainable_weights[0])) == 3.0  # shape inference leaves the state alone
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, ours(inputs))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0)  # in the jitted step: state and rng carried
    before = float(_np(ours.non_trainable_weights[0]))
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    assert float(_np(ours.non_trainable_weights[0])) == before + 2.0  # one update per step


@pytest.mark.backends("jax")
def test_jax_layer_config_and_saving(tmp_path):
    registered = lamina.saving.register_keras_serializable(package="wrappers_test")
    call_fn, init_fn = registered(stateful_call), registered(stateful_init)
    layer = layers.JaxLayer(call_fn, init_fn=init_fn, seed=1, name="jl")
    config = layer.get_config()
    assert config["call_fn"]["config"] == "wrappers_test>stateful_call"
    clone = layers.JaxLayer.from_config(config)
    assert clone.call_fn is call_fn and clone.init_fn is init_fn and clone.get_config() == config
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert isinstance(rebuilt, layers.JaxLayer) and rebuilt.get_config() == config
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, layer(inputs))
    model.save(tmp_path / "jax.keras")
    loaded = lamina.models.load_model(tmp_path / "jax.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    assert set(keras.layers.JaxLayer(call_fn, init_fn=init_fn).get_config()) <= set(config)


@pytest.mark.backends("jax")
@pytest.mark.parametrize("kwargs,error,pattern", [
    (dict(call_fn=lambda params, x: x, params={}), ValueError,
     r"JaxLayer.*`call_fn` must take an argument named `inputs`.*Received: a function of \(params, x\)"),
    (dict(call_fn=lambda inputs, mask: inputs), ValueError,
     r"JaxLayer.*unsupported argument `mask` in `call_fn`.*Received: \(inputs, mask\)"),
    (dict(call_fn=lambda params, inputs: inputs), ValueError,
     r"JaxLayer.*`init_fn`, `params` and `state`.*Received: all three are None"),
    (dict(call_fn=lambda inputs: inputs, init_fn=lambda key, inputs: {}), ValueError,
     r"JaxLayer.*unsupported argument `key` in `init_fn`"),
    (dict(call_fn="tanh"), TypeError, r"JaxLayer.*`call_fn` must be callable.*Received: str"),
])
def test_jax_layer_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        layers.JaxLayer(**kwargs)


@pytest.mark.backends("jax")
def test_jax_layer_bad_init_result():
    layer = layers.JaxLayer(stateful_call, init_fn=lambda inputs: {"w": np.ones((3, 2))})
    with pytest.raises(ValueError, match=r"JaxLayer.*init_fn.*\(params, state\).*Received: dict"):
        layer(X)


@pytest.mark.backends("torch", "tensorflow", "numpy")
def test_jax_layer_needs_the_jax_backend():
    with pytest.raises(ValueError, match=f"JaxLayer needs the jax backend.*'{BACKEND}'"):
        layers.JaxLayer(dense_call, params=PARAMS)
