"""EinsumDense, Embedding, Lambda, Masking and Wrapper through the layer-test
harness, against real Keras (outputs, gradients, masks) and NumPy; Lambda's
bytecode is only loaded with safe mode off."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .harness import BACKEND
from .harness import check_layer as _check_layer

keras = pytest.importorskip("keras")

_TRAINED = set()


def check_layer(cls, *args, **kwargs):
    """The harness, with its (compiled, slow) training step only for the first
    configuration of each layer class in the session."""
    kwargs.setdefault("train", cls not in _TRAINED)
    if kwargs["train"]:
        _TRAINED.add(cls)
    return _check_layer(cls, *args, **kwargs)


# -- gradients against Keras (shared by the other layer test modules) ---------------------
def layer_gradients(layer, x, weights, call_kwargs=None):
    """Gradients of ``sum(layer(x) * weights)`` w.r.t. ``x`` and the trainable
    variables, with the backend's own autodiff; works for lamina and Keras layers."""
    call_kwargs = dict(call_kwargs or {})
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        trainable = [v.value for v in layer.trainable_variables]
        non_trainable = [v.value for v in layer.non_trainable_variables]

        def loss(tv, xv):
            out, _ = layer.stateless_call(tv, non_trainable, xv, **call_kwargs)
            return jnp.sum(out * weights)

        gt, gx = jax.grad(loss, argnums=(0, 1))(trainable, jnp.asarray(x))
        return [np.asarray(gx)] + [np.asarray(g) for g in gt]
    if BACKEND == "torch":
        import torch

        xt = torch.tensor(x, requires_grad=True)
        params = [v.value for v in layer.trainable_variables]
        out = layer(xt, **call_kwargs)
        total = (out * torch.tensor(weights)).sum()
        grads = torch.autograd.grad(total, [xt] + params, allow_unused=True)
        return [np.zeros(p.shape) if g is None else g.detach().cpu().numpy()
                for g, p in zip(grads, [xt] + params)]
    if BACKEND == "tensorflow":
        import tensorflow as tf

        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            out = layer(xt, **call_kwargs)
            total = tf.reduce_sum(out * weights)
        grads = tape.gradient(total, [xt] + [v.value for v in layer.trainable_variables])
        return [np.asarray(g) for g in grads]
    pytest.skip(f"no autodiff on {BACKEND}")


def compare_gradients(cls, init_kwargs, x, call_kwargs=None, keras_cls=None, rtol=1e-4,
                      atol=1e-5, build_kwargs=None):
    """Builds the lamina and the Keras layer with the same weights and compares
    the gradients w.r.t. inputs and weights."""
    if BACKEND not in ("jax", "torch", "tensorflow"):
        pytest.skip(f"no autodiff on {BACKEND}")
    ours = cls(**init_kwargs)
    ours(x, **(build_kwargs or {}))
    theirs = (keras_cls or getattr(keras.layers, cls.__name__))(**init_kwargs)
    theirs(x, **(build_kwargs or {}))
    theirs.set_weights(ours.get_weights())
    out = ops.convert_to_numpy(ours(x, **(build_kwargs or {})))
    w = np.random.default_rng(7).normal(size=out.shape).astype(out.dtype)
    g1 = layer_gradients(ours, x, w, call_kwargs)
    g2 = layer_gradients(theirs, x, w, call_kwargs)
    assert len(g1) == len(g2)
    for a, b in zip(g1, g2):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"{cls.__name__} gradients")


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# -- EinsumDense ---------------------------------------------------------------------------
EINSUM_CASES = [
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (2, 3)),
    ({"equation": "ab,bc->ac", "output_shape": (4,), "activation": "tanh"}, (2, 3)),
    ({"equation": "abc,cd->abd", "output_shape": (None, 5), "bias_axes": "d"}, (2, 3, 4)),
    ({"equation": "abc,cde->abde", "output_shape": (3, 2, 4), "bias_axes": "de"}, (2, 3, 5)),
    ({"equation": "...b,bc->...c", "output_shape": 4, "bias_axes": "c"}, (2, 3, 5)),
    ({"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"}, (2, 3, 5)),
]


@pytest.mark.parametrize("kwargs,shape", EINSUM_CASES)
def test_einsum_dense(kwargs, shape):
    ref = lambda x, w: _einsum_ref(kwargs, x, w)  # noqa: E731
    check_layer(layers.EinsumDense, kwargs, shape, reference=ref, rtol=1e-5, atol=1e-5)


def _einsum_ref(kwargs, x, weights):
    eq = kwargs["equation"]
    out = np.einsum(eq, x, weights[0])
    if len(weights) > 1:
        out = out + weights[1]
    if kwargs.get("activation") == "tanh":
        out = np.tanh(out)
    return out


def test_einsum_dense_weights_match_keras_shapes_and_fans():
    ours = layers.EinsumDense("abc,cde->abde", output_shape=(3, 2, 4), bias_axes="de")
    ours.build((None, 3, 5))
    theirs = keras.layers.EinsumDense("abc,cde->abde", output_shape=(3, 2, 4), bias_axes="de")
    theirs.build((None, 3, 5))
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]


@pytest.mark.parametrize("kwargs,shape", [EINSUM_CASES[0], EINSUM_CASES[3]])
def test_einsum_dense_gradients_match_keras(kwargs, shape):
    compare_gradients(layers.EinsumDense, kwargs, _x(shape))


@pytest.mark.parametrize("kwargs,shape,match", [
    ({"equation": "ab,bc", "output_shape": 4}, (2, 3), "invalid einsum equation"),
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"}, (2, 3), "bias dimension"),
    ({"equation": "ab,bd->ac", "output_shape": 4}, (2, 3), "no corresponding"),
    ({"equation": "abc,cd->abd", "output_shape": (7, 4)}, (2, 3, 4), "do not match"),
])
def test_einsum_dense_bad_equations(kwargs, shape, match):
    with pytest.raises(ValueError, match=match) as info:
        layers.EinsumDense(**kwargs, name="ed")(_x(shape))
    assert "'ed'" in str(info.value)


# -- Embedding ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,shape", [
    ({"input_dim": 5, "output_dim": 3}, (2, 4)),
    ({"input_dim": 5, "output_dim": 2, "mask_zero": True}, (3, 2)),
    ({"input_dim": 6, "output_dim": 4, "embeddings_initializer": "ones"}, (2, 2, 3)),
])
def test_embedding(kwargs, shape):
    check_layer(layers.Embedding, kwargs, shape, input_dtype="int32",
                reference=lambda x, w: w[0][x])


def test_embedding_mask_matches_keras():
    x = np.array([[1, 0, 3], [0, 0, 2]], "int32")
    ours = layers.Embedding(4, 2, mask_zero=True)
    out = ours(x)
    mask = ours.compute_mask(x)
    np.testing.assert_array_equal(ops.convert_to_numpy(mask), x != 0)
    theirs = keras.layers.Embedding(4, 2, mask_zero=True)
    theirs(x)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(theirs.compute_mask(x)),
                                  ops.convert_to_numpy(mask))
    assert out.shape == (2, 3, 2)
    assert layers.Embedding(4, 2).compute_mask(x) is None


def test_embedding_mask_flows_symbolically_and_weights_argument():
    inputs = lamina.Input((3,), dtype="int32")
    out = layers.Embedding(4, 2, mask_zero=True)(inputs)
    assert out._keras_mask.shape == (None, 3)
    table = np.arange(8, dtype="float32").reshape(4, 2)
    layer = layers.Embedding(4, 2, weights=[table])
    np.testing.assert_allclose(ops.convert_to_numpy(layer(np.array([[3, 1]]))), table[[[3, 1]]])


@pytest.mark.parametrize("bad", [0, -2, 2.5, True])
def test_embedding_rejects_bad_dims(bad):
    with pytest.raises(ValueError, match="input_dim"):
        layers.Embedding(bad, 2)


def test_embedding_gradients_match_keras():
    if BACKEND not in ("jax", "torch", "tensorflow"):
        pytest.skip("no autodiff")
    x = np.array([[1, 2, 1], [0, 3, 3]], "int32")
    ours, theirs = layers.Embedding(4, 3), keras.layers.Embedding(4, 3)
    ours(x)
    theirs(x)
    theirs.set_weights(ours.get_weights())
    w = _x((2, 3, 3))
    g1 = _weight_grads(ours, x, w)
    g2 = _weight_grads(theirs, x, w)
    np.testing.assert_allclose(g1, g2, rtol=1e-5, atol=1e-6)


def _weight_grads(layer, x, w):
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        def loss(tv):
            out, _ = layer.stateless_call(tv, [], x)
            return jnp.sum(out * w)

        return np.asarray(jax.grad(loss)([v.value for v in layer.trainable_variables])[0])
    if BACKEND == "torch":
        import torch

        out = layer(torch.tensor(x))
        param = layer.trainable_variables[0].value
        g = torch.autograd.grad((out * torch.tensor(w)).sum(), [param])[0]
        return g.to_dense().numpy() if g.is_sparse else g.numpy()
    import tensorflow as tf

    with tf.GradientTape() as tape:
        total = tf.reduce_sum(layer(tf.constant(x)) * w)
    g = tape.gradient(total, layer.trainable_variables[0].value)
    return tf.convert_to_tensor(g).numpy()


# -- Masking ------------------------------------------------------------------------------------
def test_masking_outputs_and_mask_match_keras():
    x = _x((2, 4, 3))
    x[0, 1] = 0.0
    x[1, 3] = 0.0
    x[1, 0, 0] = 0.0  # one zero feature does not mask the step
    ours = layers.Masking(0.0)
    out = ours(x)
    theirs = keras.layers.Masking(0.0)
    expected = theirs(x)
    np.testing.assert_allclose(ops.convert_to_numpy(out), keras.ops.convert_to_numpy(expected))
    np.testing.assert_array_equal(ops.convert_to_numpy(ours.compute_mask(x)),
                                  keras.ops.convert_to_numpy(theirs.compute_mask(x)))
    mask = lamina.backend.common.masking.get_keras_mask(out)
    np.testing.assert_array_equal(ops.convert_to_numpy(mask), [[1, 0, 1, 1], [1, 1, 1, 0]])
    check_layer(layers.Masking, {"mask_value": 1.5}, (2, 3, 2), reference=lambda x, w: x)


def test_masking_mask_reaches_the_next_layer_symbolically():
    inputs = lamina.Input((4, 3))
    out = layers.Masking(-1.0)(inputs)
    out = layers.Dense(2)(out)
    assert out._keras_mask.shape == (None, 4)


# -- Lambda -------------------------------------------------------------------------------------
def test_lambda_call_shapes_and_arguments():
    layer = layers.Lambda(lambda x, k: x * k, arguments={"k": 3.0})
    x = _x((2, 3))
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), x * 3.0, rtol=1e-6)
    assert layer.compute_output_shape((None, 3)) == (None, 3)
    fixed = layers.Lambda(lambda x: ops.concatenate([x, x], axis=-1), output_shape=(6,))
    assert fixed.compute_output_shape((5, 3)) == (5, 6)
    assert fixed(lamina.Input((3,))).shape == (None, 6)
    fn_shape = layers.Lambda(lambda x: x[:, :1], output_shape=lambda s: (s[0], 1))
    assert fn_shape(lamina.Input((3,))).shape == (None, 1)
    check_layer(layers.Lambda, {"function": lamina.activations.relu}, (2, 3),
                reference=lambda x, w: np.maximum(x, 0), mixed_precision=False)


def test_lambda_mask_and_training_arguments():
    seen = {}

    def fn(x, mask=None, training=None):
        seen["training"] = training
        return x

    layer = layers.Lambda(fn, mask=lambda inputs, mask: ops.ones(ops.shape(inputs)[:1], "bool"))
    layer(_x((2, 3)), training=True)
    assert seen["training"] is True
    assert layer.supports_masking
    assert ops.convert_to_numpy(layer.compute_mask(_x((2, 3)), None)).tolist() == [True, True]


def test_lambda_config_is_keras_bytecode_format():
    layer = layers.Lambda(lambda x, a=2.0: x * a + 1, name="lam")
    config = layer.get_config()
    theirs = keras.layers.Lambda(lambda x, a=2.0: x * a + 1, name="lam").get_config()
    assert set(config) == set(theirs)
    assert config["function"]["class_name"] == "__lambda__"
    assert set(config["function"]["config"]) == {"code", "defaults", "closure"}
    assert config["function"]["config"]["defaults"] == (2.0,)
    # Keras reads lamina's bytecode (same Python) only with safe mode off.
    restored = keras.layers.Lambda.from_config(dict(config), safe_mode=False)
    x = _x((2, 3))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(restored(x)), x * 2 + 1, rtol=1e-6)


def test_lambda_bytecode_is_refused_in_safe_mode():
    config = layers.Lambda(lambda x: x * 2).get_config()
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(dict(config))
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.deserialize(layers.serialize(layers.Lambda(lambda x: x * 2)))
    from lamina.saving.serialization import SafeModeScope

    with SafeModeScope(True):  # an enclosing safe load cannot be loosened by the caller below
        with pytest.raises(ValueError, match="safe_mode=False"):
            layers.Lambda.from_config(dict(config), safe_mode=False)
    # Keras-written bytecode is refused too.
    keras_config = keras.layers.Lambda(lambda x: x + 1).get_config()
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(dict(keras_config))


def test_lambda_bytecode_loads_with_safe_mode_off():
    x = _x((2, 3))
    offset = 0.5
    config = layers.Lambda(lambda x: x * 2 + offset).get_config()
    restored = layers.Lambda.from_config(dict(config), safe_mode=False)
    np.testing.assert_allclose(ops.convert_to_numpy(restored(x)), x * 2 + 0.5, rtol=1e-6)
    keras_config = keras.layers.Lambda(lambda x: x - 1).get_config()
    mine = layers.Lambda.from_config(dict(keras_config), safe_mode=False)
    np.testing.assert_allclose(ops.convert_to_numpy(mine(x)), x - 1, rtol=1e-6)
    lamina.config.enable_unsafe_deserialization()
    again = layers.deserialize(layers.serialize(layers.Lambda(lambda x: x * 3)))
    np.testing.assert_allclose(ops.convert_to_numpy(again(x)), x * 3, rtol=1e-6)


def test_lambda_with_named_function_round_trips_safely():
    layer = layers.Lambda(lamina.activations.relu, output_shape=(3,))
    config = layers.serialize(layer)
    restored = layers.deserialize(config)
    assert restored.function is lamina.activations.relu
    assert restored.get_config()["output_shape"] == (3,)


# -- Wrapper ------------------------------------------------------------------------------------
class _Twice(layers.Wrapper):
    def call(self, inputs):
        return self.layer(self.layer(inputs))


def test_wrapper_builds_inner_layer_and_round_trips():
    layer = _Twice(layers.Dense(3, name="inner"))
    out = layer(_x((2, 3)))
    assert out.shape == (2, 3)
    assert [w.path for w in layer.weights][0].endswith("inner/kernel")
    config = layer.get_config()
    assert config["layer"]["class_name"] == "Dense"
    clone = _Twice.from_config(config)
    assert isinstance(clone.layer, layers.Dense) and clone.layer.units == 3
    with pytest.raises(ValueError, match="supported layer"):
        _Twice("not a layer")
