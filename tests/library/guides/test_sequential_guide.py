"""The programs of Keras's "The Sequential model" guide, run with ``import lamina as keras``;
shapes and parameter counts are checked against real Keras 3, training on small data."""

import numpy as np
import pytest

import lamina as keras
from lamina import layers

real_keras = pytest.importorskip("keras")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_when_to_use_and_creating_a_sequential_model():
    model = keras.Sequential([
        layers.Dense(2, activation="relu", name="layer1"),
        layers.Dense(3, activation="relu", name="layer2"),
        layers.Dense(4, name="layer3"),
    ])
    x = np.ones((3, 3), "float32")
    y = model(x)
    assert tuple(y.shape) == (3, 4)
    # The same as calling the layers one after the other.
    layer1, layer2, layer3 = model.layers
    np.testing.assert_allclose(_np(layer3(layer2(layer1(x)))), _np(y), rtol=1e-6)
    assert [layer.name for layer in model.layers] == ["layer1", "layer2", "layer3"]

    model = keras.Sequential()
    model.add(layers.Dense(2, activation="relu"))
    model.add(layers.Dense(3, activation="relu"))
    model.add(layers.Dense(4))
    model.pop()
    assert len(model.layers) == 2
    named = keras.Sequential(name="my_sequential")
    assert named.name == "my_sequential"


def test_specifying_the_input_shape_in_advance():
    layer = layers.Dense(3)
    assert layer.weights == []
    layer(np.ones((1, 4), "float32"))
    assert [tuple(w.shape) for w in layer.weights] == [(4, 3), (3,)]

    model = keras.Sequential([layers.Dense(2, activation="relu"),
                              layers.Dense(3, activation="relu"), layers.Dense(4)])
    assert not model.built
    model(np.ones((1, 4), "float32"))
    assert len(model.weights) == 6

    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(layers.Dense(2, activation="relu"))
    assert len(model.layers) == 1  # the Input object is not a layer
    assert model.count_params() == 10
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "dense" in text and "10" in text


def _conv_stack(lib, pooling):
    model = lib.Sequential()
    model.add(lib.Input(shape=(32, 32, 3)))
    model.add(lib.layers.Conv2D(8, 5, strides=2, activation="relu"))
    model.add(lib.layers.Conv2D(8, 3, activation="relu"))
    model.add(lib.layers.MaxPooling2D(3))
    if pooling:
        model.add(lib.layers.Conv2D(8, 3, activation="relu"))
        model.add(lib.layers.GlobalMaxPooling2D())
        model.add(lib.layers.Dense(10))
    return model


def test_a_common_debugging_workflow_add_and_summary():
    ours, theirs = _conv_stack(keras, True), _conv_stack(real_keras, True)
    assert [layer.output.shape for layer in ours.layers] == \
        [tuple(layer.output.shape) for layer in theirs.layers]
    assert ours.count_params() == theirs.count_params()
    assert ours.output_shape == theirs.output_shape


def test_feature_extraction_with_a_sequential_model():
    initial_model = keras.Sequential([
        keras.Input(shape=(16, 16, 3)),
        layers.Conv2D(4, 3, strides=2, activation="relu"),
        layers.Conv2D(4, 3, activation="relu", name="my_intermediate_layer"),
        layers.Conv2D(4, 3, activation="relu"),
    ])
    feature_extractor = keras.Model(inputs=initial_model.inputs,
                                    outputs=[layer.output for layer in initial_model.layers])
    x = np.ones((1, 16, 16, 3), "float32")
    features = feature_extractor(x)
    assert [tuple(f.shape) for f in features] == [(1, 7, 7, 4), (1, 5, 5, 4), (1, 3, 3, 4)]
    np.testing.assert_allclose(_np(features[-1]), _np(initial_model(x)), rtol=1e-5, atol=1e-6)

    one = keras.Model(inputs=initial_model.inputs,
                      outputs=initial_model.get_layer(name="my_intermediate_layer").output)
    np.testing.assert_allclose(_np(one(x)), _np(features[1]), rtol=1e-5, atol=1e-6)


@pytest.mark.training
def test_transfer_learning_with_a_sequential_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, activation="relu"),
                              layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    # Freeze all layers except the last one.
    for layer in model.layers[:-1]:
        layer.trainable = False
    frozen = [w.numpy().copy() for layer in model.layers[:-1] for w in layer.weights]
    last = model.layers[-1].kernel.numpy().copy()
    assert len(model.trainable_weights) == 2
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    after = [w.numpy() for layer in model.layers[:-1] for w in layer.weights]
    for a, b in zip(frozen, after):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(model.layers[-1].kernel.numpy(), last)
