"""Sequential, functional and subclassed models; summary and get_layer."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops


def _np(x):
    return ops.convert_to_numpy(x)


def test_sequential_builds_from_input_and_names_weights():
    model = lamina.Sequential([lamina.Input((4,)), layers.Dense(3), layers.Dense(2)], name="seq")
    assert model.built and model.output_shape == (None, 2) and model.input_shape == (None, 4)
    assert [w.path for w in model.weights] == ["seq/dense/kernel", "seq/dense/bias",
                                               "seq/dense_1/kernel", "seq/dense_1/bias"]
    assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert len(model.layers) == 2


def test_sequential_add_pop_and_deferred_build():
    model = lamina.Sequential()
    model.add(layers.Dense(5, activation="relu"))
    model.add(layers.Dense(1))
    assert not model.built
    out = model(np.ones((3, 7), "float32"))
    assert model.built and _np(out).shape == (3, 1)
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and len(model.layers) == 1


def test_sequential_input_shape_argument_on_first_layer():
    model = lamina.Sequential([layers.Dense(2, input_shape=(6,))])
    assert model.built and model.input_shape == (None, 6)


def test_sequential_build_method():
    model = lamina.Sequential([layers.Dense(2)])
    model.build((None, 9))
    assert model.layers[0].kernel.shape == (9, 2)


def test_sequential_rejects_non_layers():
    with pytest.raises(ValueError, match="expected a Layer"):
        lamina.Sequential([lambda x: x])


def test_functional_multiple_inputs_outputs_shared_layers():
    a = lamina.Input((3,), name="a")
    b = lamina.Input((3,), name="b")
    shared = layers.Dense(4, name="shared")
    merged = ops.concatenate([shared(a), shared(b)], axis=-1)
    out1 = layers.Dense(1, name="out1")(merged)
    out2 = layers.Dense(2, activation="softmax", name="out2")(merged)
    model = lamina.Model(inputs=[a, b], outputs=[out1, out2])
    xa, xb = np.ones((2, 3), "float32"), np.zeros((2, 3), "float32")
    y1, y2 = model([xa, xb])
    assert _np(y1).shape == (2, 1) and _np(y2).shape == (2, 2)
    assert model.get_layer("shared") is shared
    assert len(shared._inbound_nodes) == 2
    kernel = shared.kernel.numpy()
    expected = np.concatenate([xa @ kernel + shared.bias.numpy(), xb @ kernel + shared.bias.numpy()], -1)
    w, bias = model.get_layer("out1").get_weights()
    np.testing.assert_allclose(_np(y1), expected @ w + bias, rtol=1e-5, atol=1e-6)


def test_functional_dict_inputs_and_outputs():
    x = lamina.Input((2,), name="x")
    z = lamina.Input((1,), name="z")
    h = layers.Dense(3)(ops.concatenate([x, z], axis=-1))
    model = lamina.Model({"x": x, "z": z}, {"h": h, "sum": ops.sum(h, axis=-1)})
    out = model({"z": np.ones((4, 1), "float32"), "x": np.ones((4, 2), "float32")})
    assert set(out) == {"h", "sum"}
    np.testing.assert_allclose(_np(out["sum"]), _np(out["h"]).sum(-1), rtol=1e-5)


def test_functional_residual_connection_and_nested_model_as_layer():
    inner_in = lamina.Input((4,))
    inner = lamina.Model(inner_in, layers.Dense(4, activation="relu")(inner_in), name="inner")
    x = lamina.Input((4,))
    y = x + inner(x)
    outer = lamina.Model(x, layers.Dense(2)(y))
    assert outer.get_layer("inner") is inner
    out = outer(np.ones((1, 4), "float32"))
    assert _np(out).shape == (1, 2)
    assert len(outer.trainable_weights) == 4


def test_functional_missing_input_is_a_clear_error():
    a = lamina.Input((2,))
    b = lamina.Input((2,))
    with pytest.raises(ValueError, match="not among the model's inputs"):
        lamina.Model(a, a + b)


def test_model_called_with_wrong_number_of_inputs():
    a, b = lamina.Input((2,)), lamina.Input((2,))
    model = lamina.Model([a, b], a + b)
    with pytest.raises(ValueError, match="expects 2 input"):
        model(np.ones((1, 2), "float32"))


class TwoLayer(lamina.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(units)

    def call(self, x, training=False):
        return self.out(self.hidden(x))


def test_subclassed_model_tracks_layers_and_weights():
    model = TwoLayer()
    out = model(np.ones((2, 5), "float32"))
    assert _np(out).shape == (2, 3)
    assert [w.path for w in model.weights][:2] == ["two_layer/dense/kernel", "two_layer/dense/bias"]
    assert model.layers == [model.hidden, model.out]


def test_summary_table_matches_keras_format(capsys):
    model = lamina.Sequential([lamina.Input((64,)), layers.Dense(64, activation="relu"),
                               layers.Dense(10, activation="softmax")])
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential"' in text
    assert "dense (Dense)" in text and "(None, 64)" in text and "4,160" in text
    assert "dense_1 (Dense)" in text and "650" in text
    assert "Total params: 4,810 (18.79 KB)" in text
    assert "Trainable params: 4,810" in text and "Non-trainable params: 0 (0.00 B)" in text
    assert "<table>" in model._repr_html_()


def test_functional_summary_shows_connections(capsys):
    a = lamina.Input((3,), name="in_a")
    model = lamina.Model(a, layers.Dense(2, name="d")(a))
    model.summary()
    text = capsys.readouterr().out
    assert "Connected to" in text and "in_a[0][0]" in text


def test_get_layer_errors():
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="No such layer: 'nope'"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="out of range"):
        model.get_layer(index=5)
