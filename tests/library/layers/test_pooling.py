"""Pooling layers (plain, global, adaptive) through the layer-test harness, against
NumPy and real Keras (outputs and input gradients), plus their errors."""

import itertools

import numpy as np
import pytest

import lamina
from lamina import layers

from .harness import check_layer
from .test_convolutional import _same_pad, _tup, compare_with_keras, oracle_kwargs

BACKEND = lamina.backend.backend()


def np_pool(x, pool, strides, padding, mode, data_format):
    """Channels-last max/average pooling; padded cells never count."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    n = x.ndim - 2
    pool, strides = _tup(pool, n), _tup(strides or pool, n)
    spatial = x.shape[1:-1]
    ranges = []
    for size, k, s in zip(spatial, pool, strides):
        before = 0 if padding == "valid" else _same_pad(size, k, s, 1)[0]
        count = (size - k) // s + 1 if padding == "valid" else -(-size // s)
        ranges.append([(max(o * s - before, 0), min(o * s - before + k, size))
                       for o in range(count)])
    out = np.zeros((x.shape[0],) + tuple(len(r) for r in ranges) + (x.shape[-1],), x.dtype)
    for idx in itertools.product(*[range(len(r)) for r in ranges]):
        window = x[(slice(None),) + tuple(slice(*ranges[i][j]) for i, j in enumerate(idx))]
        axes = tuple(range(1, n + 1))
        out[(slice(None),) + idx] = window.max(axis=axes) if mode == "max" else window.mean(axis=axes)
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def np_adaptive(x, size, mode, data_format):
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    n = x.ndim - 2
    size = _tup(size, n)
    ranges = [[((i * L) // o, -(-((i + 1) * L) // o)) for i in range(o)]
              for L, o in zip(x.shape[1:-1], size)]
    out = np.zeros((x.shape[0],) + size + (x.shape[-1],), x.dtype)
    for idx in itertools.product(*[range(o) for o in size]):
        window = x[(slice(None),) + tuple(slice(*ranges[i][j]) for i, j in enumerate(idx))]
        axes = tuple(range(1, n + 1))
        out[(slice(None),) + idx] = window.max(axis=axes) if mode == "max" else window.mean(axis=axes)
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


POOL_CASES = [
    (layers.MaxPooling1D, "max", {}, (2, 6, 3)),
    (layers.MaxPooling1D, "max", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 2)),
    (layers.MaxPooling1D, "max", {"pool_size": 2, "strides": 1,
                                  "data_format": "channels_first"}, (2, 3, 5)),
    (layers.MaxPooling2D, "max", {}, (2, 4, 5, 2)),
    (layers.MaxPooling2D, "max", {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"},
     (1, 5, 4, 3)),
    (layers.MaxPooling2D, "max", {"pool_size": 2, "data_format": "channels_first"}, (2, 2, 4, 4)),
    (layers.MaxPooling3D, "max", {}, (1, 4, 4, 3, 2)),
    (layers.MaxPooling3D, "max", {"pool_size": 2, "strides": 1, "padding": "same"},
     (1, 3, 2, 3, 2)),
    (layers.AveragePooling1D, "average", {"pool_size": 2}, (2, 6, 3)),
    (layers.AveragePooling1D, "average", {"pool_size": 3, "strides": 2, "padding": "same"},
     (2, 6, 2)),
    (layers.AveragePooling2D, "average", {"pool_size": 2}, (2, 4, 4, 2)),
    (layers.AveragePooling2D, "average", {"pool_size": 3, "strides": 2, "padding": "same",
                                          "data_format": "channels_first"}, (1, 2, 5, 4)),
    (layers.AveragePooling3D, "average", {"pool_size": 2}, (1, 4, 2, 4, 2)),
    (layers.AveragePooling3D, "average", {"pool_size": (2, 3, 2), "strides": 1,
                                          "padding": "same"}, (1, 3, 3, 2, 2)),
]


@pytest.mark.parametrize("cls,mode,kwargs,shape", POOL_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(POOL_CASES)])
def test_pooling(cls, mode, kwargs, shape):
    first = next(c for c in POOL_CASES if c[0] is cls) == (cls, mode, kwargs, shape)
    default = 2
    fmt = kwargs.get("data_format", "channels_last")
    oracle = oracle_kwargs(kwargs)
    # Keras's torch backend counts padded cells in "same" average pooling (its jax and
    # tensorflow backends do not); lamina leaves them out on every backend.
    keras_torch_differs = BACKEND == "torch" and mode == "average" and \
        kwargs.get("padding") == "same"
    if keras_torch_differs:
        oracle = {"keras_name": "NotAKerasLayer"}
    # TensorFlow (3D pooling) and torch (3D average pooling) have no float16 CPU kernels.
    mixed = first and not (BACKEND in ("tensorflow", "torch") and len(shape) == 5)
    check_layer(cls, kwargs, shape, mixed_precision=mixed, **oracle,
                reference=lambda x, w: np_pool(x, kwargs.get("pool_size", default),
                                               kwargs.get("strides"),
                                               kwargs.get("padding", "valid"), mode, fmt))
    if oracle_kwargs(kwargs) and not keras_torch_differs:
        compare_with_keras(cls, kwargs, shape, grads=False)


GLOBAL_CASES = [
    (layers.GlobalMaxPooling1D, "max", {}, (2, 5, 3)),
    (layers.GlobalMaxPooling1D, "max", {"keepdims": True, "data_format": "channels_first"},
     (2, 3, 5)),
    (layers.GlobalMaxPooling2D, "max", {}, (2, 3, 4, 2)),
    (layers.GlobalMaxPooling2D, "max", {"keepdims": True}, (2, 3, 4, 2)),
    (layers.GlobalMaxPooling3D, "max", {"data_format": "channels_first"}, (1, 2, 3, 2, 3)),
    (layers.GlobalAveragePooling1D, "mean", {}, (2, 5, 3)),
    (layers.GlobalAveragePooling1D, "mean", {"keepdims": True}, (2, 5, 3)),
    (layers.GlobalAveragePooling2D, "mean", {"data_format": "channels_first", "keepdims": True},
     (2, 3, 4, 2)),
    (layers.GlobalAveragePooling2D, "mean", {}, (2, 3, 4, 2)),
    (layers.GlobalAveragePooling3D, "mean", {"keepdims": True}, (1, 2, 3, 2, 3)),
]


@pytest.mark.parametrize("cls,mode,kwargs,shape", GLOBAL_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(GLOBAL_CASES)])
def test_global_pooling(cls, mode, kwargs, shape):
    first = next(c for c in GLOBAL_CASES if c[0] is cls) == (cls, mode, kwargs, shape)
    axes = tuple(range(1, len(shape) - 1)) if kwargs.get("data_format") != "channels_first" \
        else tuple(range(2, len(shape)))
    keepdims = kwargs.get("keepdims", False)
    check_layer(cls, kwargs, shape, mixed_precision=first,
                reference=lambda x, w: getattr(np, mode)(x, axis=axes, keepdims=keepdims))


@pytest.mark.parametrize("fmt", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_average_pooling_1d_mask(fmt, keepdims):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5, 2) if fmt == "channels_last" else (3, 2, 5)).astype("float32")
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 1]], bool)
    steps = 1 if fmt == "channels_last" else 2
    m = np.expand_dims(mask, 2 if fmt == "channels_last" else 1)
    expected = (x * m).sum(steps, keepdims=keepdims) / m.sum(steps, keepdims=keepdims)
    layer = layers.GlobalAveragePooling1D(data_format=fmt, keepdims=keepdims)
    check_layer(layers.GlobalAveragePooling1D, {"data_format": fmt, "keepdims": keepdims},
                input_data=x, call_kwargs={"mask": mask}, reference=lambda x_, w: expected,
                symbolic=False, mixed_precision=False)
    out = layer(x, mask=mask)
    assert getattr(out, "_keras_mask", None) is None
    assert layer.compute_mask(x, mask) is None


def test_global_average_pooling_1d_takes_mask_from_embedding():
    inputs = lamina.Input((4,), dtype="int32")
    embedded = layers.Embedding(5, 3, mask_zero=True)(inputs) if hasattr(layers, "Embedding") \
        else None
    if embedded is None:
        pytest.skip("Embedding is not available yet")
    model = lamina.Model(inputs, layers.GlobalAveragePooling1D()(embedded))
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32")
    table = model.layers[1].get_weights()[0]
    expected = np.stack([table[[1, 2]].mean(0), table[[3]].mean(0)])
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(model(ids)), expected, rtol=1e-6)


ADAPTIVE_CASES = [
    (layers.AdaptiveAveragePooling1D, "average", {"output_size": 3}, (2, 7, 2)),
    (layers.AdaptiveAveragePooling2D, "average", {"output_size": (2, 3),
                                                  "data_format": "channels_first"},
     (2, 2, 5, 7)),
    (layers.AdaptiveAveragePooling3D, "average", {"output_size": 2}, (1, 3, 4, 5, 2)),
    (layers.AdaptiveMaxPooling1D, "max", {"output_size": 4, "data_format": "channels_first"},
     (2, 3, 7)),
    (layers.AdaptiveMaxPooling2D, "max", {"output_size": 2}, (2, 5, 3, 2)),
    (layers.AdaptiveMaxPooling3D, "max", {"output_size": (1, 2, 3)}, (1, 3, 4, 5, 2)),
]


@pytest.mark.parametrize("cls,mode,kwargs,shape", ADAPTIVE_CASES,
                         ids=[c[0].__name__ for c in ADAPTIVE_CASES])
def test_adaptive_pooling(cls, mode, kwargs, shape):
    fmt = kwargs.get("data_format", "channels_last")
    check_layer(cls, kwargs, shape, **oracle_kwargs(kwargs),
                reference=lambda x, w: np_adaptive(x, kwargs["output_size"], mode, fmt))
    if oracle_kwargs(kwargs):
        compare_with_keras(cls, kwargs, shape, grads=False)


def test_aliases_are_the_same_classes():
    pairs = [("MaxPool", "MaxPooling"), ("AvgPool", "AveragePooling"),
             ("GlobalMaxPool", "GlobalMaxPooling"), ("GlobalAvgPool", "GlobalAveragePooling")]
    for short, long in pairs:
        for n in (1, 2, 3):
            assert getattr(layers, f"{short}{n}D") is getattr(layers, f"{long}{n}D")
            config = {"class_name": f"{short}{n}D", "config": {}, "module": "keras.layers"}
            if "Global" in short or short == "MaxPool":
                assert type(lamina.layers.deserialize(config)) is getattr(layers, f"{long}{n}D")


def test_config_matches_keras():
    keras = pytest.importorskip("keras")
    cases = [(layers.MaxPooling2D, {"padding": "SAME"}), (layers.AveragePooling1D, {"pool_size": 3}),
             (layers.GlobalAveragePooling3D, {"keepdims": True}),
             (layers.AdaptiveMaxPooling2D, {"output_size": [2, 3]}),
             (layers.AdaptiveAveragePooling1D, {"output_size": 4})]
    for cls, kwargs in cases:
        ours = cls(**kwargs, name="x").get_config()
        theirs = getattr(keras.layers, cls.__name__)(**kwargs, name="x").get_config()
        assert ours == theirs, cls.__name__


GRAD_CASES = [
    (layers.MaxPooling2D, {"pool_size": 2, "strides": 1, "padding": "same"}, (1, 3, 4, 2)),
    (layers.AveragePooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 2)),
    (layers.AveragePooling3D, {"pool_size": 2, "data_format": "channels_first"},
     (1, 2, 4, 2, 2)),
    (layers.GlobalMaxPooling2D, {}, (2, 3, 3, 2)),
    (layers.GlobalAveragePooling1D, {"data_format": "channels_first"}, (2, 3, 4)),
    (layers.AdaptiveAveragePooling2D, {"output_size": (2, 3)}, (1, 5, 7, 2)),
    (layers.AdaptiveMaxPooling1D, {"output_size": 3}, (2, 7, 2)),
]


@pytest.mark.parametrize("cls,kwargs,shape", GRAD_CASES, ids=[c[0].__name__ for c in GRAD_CASES])
def test_gradients_against_keras(cls, kwargs, shape):
    if BACKEND == "torch" and kwargs.get("padding") == "same" and "Average" in cls.__name__:
        pytest.skip("Keras's torch backend counts padded cells in 'same' average pooling")
    compare_with_keras(cls, kwargs, shape)


def test_wrong_rank_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"my_pool.*ndim=4.*ndim=3.*\(2, 4, 3\)"):
        layers.MaxPooling2D(name="my_pool")(np.ones((2, 4, 3), "float32"))
    with pytest.raises(ValueError, match=r"gap.*ndim=3.*ndim=4"):
        layers.GlobalAveragePooling1D(name="gap")(np.ones((2, 4, 3, 1), "float32"))
    with pytest.raises(ValueError, match=r"ada.*ndim=5"):
        layers.AdaptiveMaxPooling3D(2, name="ada")(np.ones((2, 4, 3, 1), "float32"))


@pytest.mark.parametrize("build,error,match", [
    (lambda: layers.MaxPooling2D(padding="full"), ValueError, "padding"),
    (lambda: layers.AveragePooling1D(0), ValueError, "pool_size"),
    (lambda: layers.MaxPooling3D((2, 2)), ValueError, "pool_size"),
    (lambda: layers.MaxPooling1D(data_format="nhwc"), ValueError, "data_format"),
    (lambda: layers.AdaptiveAveragePooling2D((2, 2, 2)), TypeError, "output_size"),
    (lambda: layers.AdaptiveMaxPooling1D("3"), TypeError, "output_size"),
    (lambda: layers.AdaptiveMaxPooling1D(0), ValueError, "output_size"),
])
def test_bad_arguments(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_window_larger_than_input():
    with pytest.raises(ValueError, match="negative or zero"):
        layers.MaxPooling1D(4).compute_output_shape((1, 3, 2))


def test_symbolic_unknown_sizes():
    x = lamina.KerasTensor((None, None, None, 3))
    assert layers.MaxPooling2D(2, padding="same")(x).shape == (None, None, None, 3)
    assert layers.GlobalAveragePooling2D()(x).shape == (None, 3)
    assert layers.AdaptiveAveragePooling2D(4)(x).shape == (None, 4, 4, 3)


@pytest.mark.training
def test_pooling_trains_inside_the_compiled_step():
    # jax: max pooling's init value must be a constant for reduce_window to differentiate
    # under jit (a jnp array there is a tracer and linearization fails).
    rng = np.random.default_rng(0)
    model = lamina.Sequential([
        lamina.Input((8, 8, 1)), lamina.layers.Conv2D(2, 3), lamina.layers.MaxPooling2D(),
        lamina.layers.AveragePooling2D(2, padding="same"), lamina.layers.Flatten(),
        lamina.layers.Dense(3)])
    model.compile("sgd", lamina.losses.SparseCategoricalCrossentropy(from_logits=True))
    before = [w.numpy() for w in model.weights] if model.built else None
    history = model.fit(rng.random((8, 8, 8, 1), dtype="float32"), rng.integers(0, 3, 8),
                        epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert before is None or any(not np.array_equal(a, w.numpy()) for a, w in zip(before, model.weights))
