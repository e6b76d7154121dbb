"""Bidirectional and ConvLSTM1D/2D/3D against real Keras (outputs, states,
gradients) and NumPy; pad_sequences against Keras; .keras files with recurrent
layers interoperate with Keras."""

import os

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .test_core_extra import check_layer
from .test_rnn import (MASK_LEFT, MASK_RIGHT, SKIP_ON_JAX, UNITS, _assert_close, _np, _x,
                       compare_with_keras, np_lstm, np_rnn)

keras = pytest.importorskip("keras")


# -- Bidirectional ---------------------------------------------------------------------------------
def _bidi(lib, merge_mode="concat", inner="LSTM", **kwargs):
    return lib.layers.Bidirectional(getattr(lib.layers, inner)(UNITS, **kwargs),
                                    merge_mode=merge_mode)


@pytest.mark.parametrize("merge_mode,kwargs,mask,gradients", [
    ("concat", {"return_sequences": True}, None, True),
    ("sum", {"return_state": True}, None, False),
    ("mul", {"return_sequences": True, "return_state": True}, MASK_RIGHT, SKIP_ON_JAX),
    ("ave", {}, MASK_LEFT, False),
    (None, {"return_sequences": True, "return_state": True}, None, False),
    (None, {}, MASK_RIGHT, True),
])
def test_bidirectional_matches_keras(merge_mode, kwargs, mask, gradients):
    call = {} if mask is None else {"mask": mask}
    compare_with_keras(_bidi(lamina, merge_mode, **kwargs), _bidi(keras, merge_mode, **kwargs),
                       _x(), call, gradients=gradients)


def test_bidirectional_gru_backward_layer_and_initial_state_match_keras():
    def make(lib):
        return lib.layers.Bidirectional(
            lib.layers.GRU(UNITS, return_sequences=True, return_state=True),
            backward_layer=lib.layers.SimpleRNN(UNITS, return_sequences=True, return_state=True,
                                                go_backwards=True))

    states = [_x((2, UNITS), seed=3), _x((2, UNITS), seed=4)]
    out = compare_with_keras(make(lamina), make(keras), _x(),
                             {"initial_state": states, "mask": MASK_RIGHT})
    assert len(out) == 3


def test_bidirectional_harness_and_numpy_reference():
    def ref(x, weights):
        fwd, _ = np_rnn(np_lstm(weights[:3]), x, [np.zeros((2, UNITS), "float32")] * 2,
                        return_sequences=True)
        bwd, _ = np_rnn(np_lstm(weights[3:]), x, [np.zeros((2, UNITS), "float32")] * 2,
                        go_backwards=True, return_sequences=True)
        return np.concatenate([fwd, bwd[:, ::-1]], axis=-1)

    layer = check_layer(layers.Bidirectional, {"layer": layers.LSTM(UNITS, return_sequences=True)},
                        (2, 4, 3), reference=ref, keras_name="NotInKeras", rtol=1e-5, atol=1e-5)
    assert [w.path.split("/")[1] for w in layer.weights] == ["forward_lstm"] * 3 + \
        ["backward_lstm"] * 3


def test_bidirectional_masked_outputs_are_zero_and_mask_propagates():
    layer = _bidi(lamina, "concat", return_sequences=True)
    out = ops.convert_to_numpy(layer(_x(), mask=MASK_RIGHT))
    np.testing.assert_array_equal(out[0, 3], 0.0)
    inputs = lamina.Input((4,), dtype="int32")
    h = layers.Embedding(9, 3, mask_zero=True)(inputs)
    seq = layers.Bidirectional(layers.GRU(2, return_sequences=True), merge_mode="sum")(h)
    assert getattr(seq, "_keras_mask", None) is not None
    assert tuple(seq.shape) == (None, 4, 2)


def test_bidirectional_stateful_and_config():
    layer = layers.Bidirectional(layers.LSTM(UNITS, stateful=True))
    x = _x()
    first = _np(layer(x))[0]
    assert len(layer.states) == 4
    assert not np.allclose(first, _np(layer(x))[0])
    layer.reset_state()
    np.testing.assert_allclose(_np(layer(x))[0], first, rtol=1e-5, atol=1e-6)
    config = layer.get_config()
    clone = layers.Bidirectional.from_config(config)
    assert clone.get_config() == config
    with pytest.raises(AttributeError, match="stateful"):
        layers.Bidirectional(layers.LSTM(2)).reset_state()


def test_bidirectional_weights_argument():
    source = layers.Bidirectional(layers.GRU(2), merge_mode="ave")
    x = _x()
    expected = _np(source(x))
    copy = layers.Bidirectional(layers.GRU(2), merge_mode="ave", weights=source.get_weights())
    _assert_close(_np(copy(x)), expected, "Bidirectional(weights=...)")


def test_bidirectional_errors():
    with pytest.raises(ValueError, match="merge_mode.*'avg'"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="avg")
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(ValueError, match="return_sequences"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(
            2, go_backwards=True, return_sequences=True))
    with pytest.raises(ValueError, match="Layer instance"):
        layers.Bidirectional("lstm")


# -- ConvLSTM ---------------------------------------------------------------------------------------
CONV_GRID = [
    (1, (2, 3, 6, 2), {}, SKIP_ON_JAX),
    (1, (2, 3, 7, 2), {"dilation_rate": 2, "return_sequences": True}, False),
    (2, (2, 3, 5, 5, 2), {"padding": "same", "return_sequences": True, "return_state": True},
     True),
    (2, (2, 3, 6, 6, 2), {"strides": 2, "go_backwards": True}, False),
    (3, (2, 2, 3, 3, 2, 1), {"padding": "same", "return_state": True}, False),
]


@pytest.mark.parametrize("rank,shape,kwargs,gradients", CONV_GRID)
def test_conv_lstm_matches_keras(rank, shape, kwargs, gradients):
    name = f"ConvLSTM{rank}D"
    compare_with_keras(getattr(layers, name)(UNITS, 3, **kwargs),
                       getattr(keras.layers, name)(UNITS, 3, **kwargs), _x(shape), {},
                       gradients=gradients)


def test_conv_lstm_harness_and_mask():
    layer = check_layer(layers.ConvLSTM2D, {"filters": 2, "kernel_size": 2, "padding": "same",
                                            "return_sequences": True}, (2, 3, 4, 4, 1),
                        rtol=1e-5, atol=1e-5)
    assert [w.shape for w in layer.weights] == [(2, 2, 1, 8), (2, 2, 2, 8), (8,)]
    # A right-padded mask gives the result of the shorter sequence (Keras's jax and
    # numpy backends cannot mask ConvLSTM, so the check is against lamina itself).
    layer = layers.ConvLSTM1D(UNITS, 3, padding="same", return_state=True)
    x = _x((2, 4, 5, 2))
    masked = _np(layer(x, mask=MASK_RIGHT))
    short, full = _np(layer(x[:, :3])), _np(layer(x))
    for m, s_, f in zip(masked, short, full):
        np.testing.assert_allclose(m[0], s_[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(m[1], f[1], rtol=1e-5, atol=1e-6)


def test_conv_lstm_channels_first_matches_channels_last():
    # (Keras's TensorFlow backend cannot run channels_first convolutions on CPU.)
    last = layers.ConvLSTM2D(UNITS, 3, padding="same", return_sequences=True)
    first = layers.ConvLSTM2D(UNITS, 3, padding="same", return_sequences=True,
                              data_format="channels_first")
    x = _x((2, 3, 5, 4, 2))
    out_last = _np(last(x))[0]
    first(np.moveaxis(x, -1, 2))
    first.set_weights(last.get_weights())
    out_first = _np(first(np.moveaxis(x, -1, 2)))[0]
    np.testing.assert_allclose(np.moveaxis(out_first, 2, -1), out_last, rtol=1e-5, atol=1e-5)


def test_conv_lstm_errors():
    with pytest.raises(ValueError, match="ndim=5.*ndim=4"):
        layers.ConvLSTM2D(2, 3)(np.ones((2, 3, 4, 1), "float32"))
    with pytest.raises(ValueError, match="strides > 1 cannot be combined with dilation_rate"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="static spatial"):
        layers.ConvLSTM1D(2, 3)(lamina.Input((3, None, 2)))


# -- saving --------------------------------------------------------------------------------------
def test_keras_files_with_recurrent_layers_interoperate(tmp_path):
    tokens = np.array([[3, 1, 4, 1, 0, 0], [2, 7, 1, 8, 2, 8]], "int32")
    inputs = lamina.Input((6,), dtype="int32")
    h = layers.Embedding(10, 4, mask_zero=True)(inputs)
    h = layers.Bidirectional(layers.LSTM(3, return_sequences=True))(h)
    h = layers.GRU(3, reset_after=False, return_sequences=True)(h)
    outputs = layers.Dense(1)(layers.SimpleRNN(2)(h))
    model = lamina.Model(inputs, outputs)
    path = os.path.join(tmp_path, "rnn.keras")
    model.save(path)
    theirs = keras.models.load_model(path)
    expected = keras.ops.convert_to_numpy(theirs(tokens))
    np.testing.assert_allclose(ops.convert_to_numpy(model(tokens)), expected, rtol=1e-5,
                               atol=1e-6)
    back = os.path.join(tmp_path, "back.keras")
    theirs.save(back)
    again = lamina.models.load_model(back)
    np.testing.assert_allclose(ops.convert_to_numpy(again(tokens)), expected, rtol=1e-5,
                               atol=1e-6)


# -- pad_sequences -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"maxlen": 2}, {"maxlen": 3, "padding": "post"},
                                    {"maxlen": 3, "truncating": "post", "value": -1},
                                    {"dtype": "float32", "value": 0.5, "padding": "post"}])
def test_pad_sequences_matches_keras(kwargs):
    sequences = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]
    ours = lamina.utils.pad_sequences(sequences, **kwargs)
    theirs = keras.utils.pad_sequences(sequences, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_items_strings_and_errors():
    arrays = [np.ones((2, 3)), np.full((4, 3), 2.0)]
    out = lamina.utils.pad_sequences(arrays, dtype="float32", padding="post")
    assert out.shape == (2, 4, 3)
    np.testing.assert_array_equal(out[0, 2:], 0.0)
    text = lamina.utils.pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert text.tolist() == [["a", "b"], ["<pad>", "c"]]
    with pytest.raises(ValueError, match='padding must be "pre" or "post".*middle'):
        lamina.utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="sequences\\[1\\] must be a sequence.*int"):
        lamina.utils.pad_sequences([[1], 5])
    with pytest.raises(ValueError, match="maxlen must be a non-negative integer"):
        lamina.utils.pad_sequences([[1]], maxlen=-1)
    assert lamina.utils.pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)


def test_nothing_left_behind_after_masked_bidirectional_call():
    layer = _bidi(lamina, "sum", return_sequences=True, dropout=0.5)
    layer(_x(), mask=MASK_RIGHT, training=True)
    assert layer.forward_layer.cell._dropout_mask is None
    _assert_close(_np(layer(_x())), _np(layer(_x())), "inference is deterministic")
