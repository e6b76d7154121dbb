"""Merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate, Dot) and their functional forms, against NumPy and real Keras:
outputs, broadcasting, symbolic shapes, masks, configs, gradients and errors."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.backend.common.masking import get_keras_mask

from .harness import BACKEND

keras = pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _np(x):
    return ops.convert_to_numpy(x)


def _check_merge(name, inputs, reference, kwargs=None, rtol=1e-5, atol=1e-6):
    kwargs = dict(kwargs or {})
    cls = getattr(layers, name)
    layer = cls(**kwargs)
    out = _np(layer(inputs))
    np.testing.assert_allclose(out, reference(*inputs), rtol=rtol, atol=atol,
                               err_msg=f"{name} against NumPy")
    expected = keras.ops.convert_to_numpy(getattr(keras.layers, name)(**kwargs)(inputs))
    np.testing.assert_allclose(out, expected, rtol=rtol, atol=atol, err_msg=f"{name} against Keras")
    # symbolic shapes (unknown batch)
    specs = [lamina.Input(x.shape[1:]) for x in inputs]
    symbolic = cls(**kwargs)(specs)
    assert symbolic.shape[1:] == out.shape[1:], (symbolic.shape, out.shape)
    assert layer.compute_output_shape([x.shape for x in inputs]) == out.shape
    # config round trip, also through the registry
    config = layer.get_config()
    assert cls.from_config(config).get_config() == config
    assert type(layers.deserialize(layers.serialize(layer))) is cls
    theirs = getattr(keras.layers, name)(**kwargs).get_config()
    assert set(config) == set(theirs)
    # in a functional model
    model = lamina.Model(specs, cls(**kwargs)(specs))
    np.testing.assert_allclose(_np(model(inputs)), out, rtol=rtol, atol=atol)
    return layer


ELEMENTWISE = {
    "Add": lambda *xs: sum(xs),
    "Subtract": lambda a, b: a - b,
    "Multiply": lambda *xs: np.prod(np.broadcast_arrays(*xs), axis=0),
    "Average": lambda *xs: sum(xs) / len(xs),
    "Maximum": lambda *xs: np.max(np.broadcast_arrays(*xs), axis=0),
    "Minimum": lambda *xs: np.min(np.broadcast_arrays(*xs), axis=0),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("shapes", [
    [(2, 3), (2, 3), (2, 3)],
    [(2, 3, 4), (2, 1, 4)],
    [(2, 3, 4), (2, 4)],  # lower rank: an axis is inserted after the batch axis
])
def test_elementwise(name, shapes):
    if name == "Subtract" and len(shapes) != 2:
        pytest.skip("Subtract takes exactly 2 inputs")
    inputs = [_x(s, seed=i) for i, s in enumerate(shapes)]

    def reference(*xs):
        rank = max(x.ndim for x in xs)
        xs = [x.reshape((x.shape[0],) + (1,) * (rank - x.ndim) + x.shape[1:]) for x in xs]
        return ELEMENTWISE[name](*xs)

    _check_merge(name, inputs, reference)


@pytest.mark.parametrize("fn,cls", [("add", "Add"), ("subtract", "Subtract"),
                                    ("multiply", "Multiply"), ("average", "Average"),
                                    ("maximum", "Maximum"), ("minimum", "Minimum")])
def test_functional_forms(fn, cls):
    a, b = _x((2, 3)), _x((2, 3), seed=1)
    out = getattr(layers, fn)([a, b], name=f"my_{fn}")
    expected = _np(getattr(layers, cls)()([a, b]))
    np.testing.assert_allclose(_np(out), expected, rtol=1e-6)
    ins = [lamina.Input((3,)), lamina.Input((3,))]
    sym = getattr(layers, fn)(ins, name=f"sym_{fn}")
    assert sym.shape == (None, 3)
    assert sym._keras_history[0].name == f"sym_{fn}"


@pytest.mark.parametrize("axis,shapes", [
    (-1, [(2, 3), (2, 4)]), (1, [(2, 3, 4), (2, 1, 4), (2, 2, 4)]), (2, [(2, 3, 1), (2, 3, 2)]),
])
def test_concatenate(axis, shapes):
    inputs = [_x(s, seed=i) for i, s in enumerate(shapes)]
    _check_merge("Concatenate", inputs, lambda *xs: np.concatenate(xs, axis=axis),
                 kwargs={"axis": axis})
    out = layers.concatenate(inputs, axis=axis)
    np.testing.assert_allclose(_np(out), np.concatenate(inputs, axis=axis))


def _dot_ref(axes, normalize):
    def ref(a, b):
        if isinstance(axes, int):
            ax = [axes % a.ndim, axes % b.ndim]
        else:
            ax = [x % n for x, n in zip(axes, (a.ndim, b.ndim))]
        if normalize:
            a = a / np.maximum(np.linalg.norm(a, axis=ax[0], keepdims=True), 1e-7)
            b = b / np.maximum(np.linalg.norm(b, axis=ax[1], keepdims=True), 1e-7)
        out = np.stack([np.tensordot(a[i], b[i], axes=(ax[0] - 1, ax[1] - 1))
                        for i in range(a.shape[0])])
        return out.reshape(out.shape[0], -1) if out.ndim == 1 else out if out.ndim > 1 \
            else out[:, None]

    return lambda a, b: (lambda o: o[:, None] if o.ndim == 1 else o)(ref(a, b))


@pytest.mark.parametrize("axes,normalize,shapes", [
    (1, False, [(2, 3), (2, 3)]),
    ((2, 2), False, [(2, 3, 4), (2, 5, 4)]),
    (1, True, [(2, 3, 4), (2, 3, 5)]),
    ((2, 1), False, [(2, 3, 4, 2), (2, 4, 3)]),
])
def test_dot(axes, normalize, shapes):
    inputs = [_x(s, seed=i) for i, s in enumerate(shapes)]
    _check_merge("Dot", inputs, _dot_ref(axes, normalize),
                 kwargs={"axes": axes, "normalize": normalize}, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(layers.dot(inputs, axes=axes, normalize=normalize)),
                               _dot_ref(axes, normalize)(*inputs), rtol=1e-5, atol=1e-5)


def test_masks_match_keras():
    x = _x((2, 4, 3))
    x[0, 1] = 0
    y = _x((2, 4, 3), seed=1)
    y[1, 2] = 0
    y[0, 1] = 0
    expected_mask = (x != 0).any(-1) | (y != 0).any(-1)
    for name in ("Add", "Multiply", "Maximum", "Minimum", "Average", "Concatenate"):
        ours_in = [layers.Masking()(x), layers.Masking()(y)]
        out = getattr(layers, name)()(ours_in)
        np.testing.assert_array_equal(_np(get_keras_mask(out)), expected_mask, err_msg=name)
        if BACKEND == "numpy":
            continue  # Keras's numpy backend cannot attach masks to arrays
        theirs_in = [keras.layers.Masking()(x), keras.layers.Masking()(y)]
        expected = getattr(keras.layers, name)()(theirs_in)
        np.testing.assert_allclose(_np(out), keras.ops.convert_to_numpy(expected), rtol=1e-6,
                                   err_msg=name)
        np.testing.assert_array_equal(_np(get_keras_mask(out)),
                                      keras.ops.convert_to_numpy(expected._keras_mask),
                                      err_msg=name)
    # A mask on only one input: Add drops the mask, Concatenate keeps the OR.
    assert get_keras_mask(layers.Add()([layers.Masking()(x), y])) is None
    cat = layers.Concatenate(axis=1)([layers.Masking()(x), y])
    assert _np(get_keras_mask(cat)).shape == (2, 8)


def test_masks_flow_in_functional_models():
    a, b = lamina.Input((4, 3)), lamina.Input((4, 3))
    out = layers.Add()([layers.Masking()(a), layers.Masking()(b)])
    assert out._keras_mask.shape == (None, 4)
    assert getattr(layers.Dot(axes=2)([layers.Masking()(a), b]), "_keras_mask", None) is None


@pytest.mark.parametrize("name,kwargs", [("Multiply", {}), ("Maximum", {}),
                                         ("Concatenate", {"axis": 1}),
                                         ("Dot", {"axes": 2, "normalize": True})])
def test_gradients_match_keras(name, kwargs):
    if BACKEND not in ("jax", "torch", "tensorflow"):
        pytest.skip("no autodiff")
    a, b = _x((2, 3, 4)), _x((2, 3, 4), seed=1)
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    w = _x(tuple(_np(ours([a, b])).shape), seed=5)
    g1, g2 = _input_grads(ours, a, b, w), _input_grads(theirs, a, b, w)
    for u, v in zip(g1, g2):
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)


def _input_grads(layer, a, b, w):
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        return [np.asarray(g) for g in jax.grad(
            lambda p, q: jnp.sum(layer([p, q]) * w), argnums=(0, 1))(jnp.asarray(a), jnp.asarray(b))]
    if BACKEND == "torch":
        import torch

        p, q = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        total = (layer([p, q]) * torch.tensor(w)).sum()
        return [g.numpy() for g in torch.autograd.grad(total, [p, q])]
    import tensorflow as tf

    p, q = tf.constant(a), tf.constant(b)
    with tf.GradientTape() as tape:
        tape.watch([p, q])
        total = tf.reduce_sum(layer([p, q]) * w)
    return [g.numpy() for g in tape.gradient(total, [p, q])]


@pytest.mark.parametrize("name,kwargs,shapes,match", [
    ("Add", {}, [(2, 3), (2, 4)], r"incompatible shapes.*\(3,\).*\(4,\)"),
    ("Multiply", {}, [(2, 3, 4), (2, 2, 4)], "incompatible shapes"),
    ("Add", {}, [(2, 3), (3, 3)], "different batch sizes"),
    ("Subtract", {}, [(2, 3), (2, 3), (2, 3)], "exactly 2 inputs"),
    ("Concatenate", {"axis": 1}, [(2, 3, 4), (2, 3, 5)], "matching shapes"),
    ("Concatenate", {}, [(2, 3), (2, 3, 1)], "matching shapes"),
    ("Dot", {"axes": 1}, [(2, 3), (2, 4)], "incompatible input shapes"),
])
def test_incompatible_shapes_name_layer_and_shapes(name, kwargs, shapes, match):
    inputs = [_x(s) for s in shapes]
    with pytest.raises(ValueError, match=match) as info:
        getattr(layers, name)(name="merge_me", **kwargs)(inputs)
    assert "merge_me" in str(info.value)
    assert str(shapes[0][1:]).rstrip(")") in str(info.value) or str(shapes[0]) in str(info.value)
    specs = [lamina.Input(s[1:], batch_size=s[0]) for s in shapes]
    with pytest.raises(ValueError, match="merge_me"):
        getattr(layers, name)(name="merge_me", **kwargs)(specs)


def test_merge_needs_a_list():
    with pytest.raises(ValueError, match="list"):
        layers.Add(name="a")(_x((2, 3)))
    with pytest.raises(ValueError, match="list of 2 inputs"):
        layers.Dot(axes=1)([_x((2, 3))] * 3)
    with pytest.raises(TypeError, match="axes"):
        layers.Dot(axes="x")
    with pytest.raises(ValueError, match="two elements"):
        layers.Dot(axes=(1, 2, 3))


@pytest.mark.training
def test_merging_model_trains_like_keras():
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(32, 4)).astype("float32"), rng.normal(size=(32, 4)).astype("float32")
    y = (xa * xb).sum(axis=1, keepdims=True).astype("float32")

    def build(lib):
        a, b = lib.Input((4,)), lib.Input((4,))
        da, db = lib.layers.Dense(4)(a), lib.layers.Dense(4)(b)
        merged = lib.layers.concatenate([lib.layers.add([da, db]), lib.layers.multiply([da, db]),
                                         lib.layers.maximum([da, db]),
                                         lib.layers.dot([da, db], axes=1, normalize=True)])
        return lib.Model([a, b], lib.layers.Dense(1)(merged))

    ours, theirs = build(lamina), build(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    theirs.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    h1 = ours.fit([xa, xb], y, epochs=2, batch_size=16, shuffle=False, verbose=0).history
    h2 = theirs.fit([xa, xb], y, epochs=2, batch_size=16, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-4)
