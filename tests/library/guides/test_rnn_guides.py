"""Short programs in the style of Keras 3's "Masking and padding" and "Working with
RNNs" guides, run unchanged with ``import lamina as keras`` (tiny sizes)."""

import numpy as np
import pytest

import lamina as keras
from lamina import layers, ops


# Keras exposes a mask as ``tensor._keras_mask``; NumPy arrays (the numpy backend)
# cannot carry attributes, so those checks run on the training backends.
needs_mask_attribute = pytest.mark.backends("jax", "torch", "tensorflow")


# -- Masking and padding -----------------------------------------------------------------------
@needs_mask_attribute
def test_padding_sequence_data():
    raw_inputs = [
        [711, 632, 71],
        [73, 8, 3215, 55, 927],
        [83, 91, 1, 645, 1253, 927],
    ]
    padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")
    assert padded_inputs.tolist() == [[711, 632, 71, 0, 0, 0], [73, 8, 3215, 55, 927, 0],
                                      [83, 91, 1, 645, 1253, 927]]
    embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
    masked_output = embedding(padded_inputs)
    np.testing.assert_array_equal(ops.convert_to_numpy(masked_output._keras_mask),
                                  padded_inputs != 0)

    masking_layer = layers.Masking()
    unmasked_embedding = ops.cast(
        ops.tile(ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), "float32")
    masked_embedding = masking_layer(unmasked_embedding)
    np.testing.assert_array_equal(ops.convert_to_numpy(masked_embedding._keras_mask),
                                  padded_inputs != 0)


def test_mask_propagation_in_functional_and_sequential_models():
    model = keras.Sequential([layers.Embedding(input_dim=50, output_dim=4, mask_zero=True),
                              layers.LSTM(3)])
    x = np.array([[5, 7, 0, 0], [1, 2, 3, 4]], "int32")
    out = ops.convert_to_numpy(model(x))
    trimmed = ops.convert_to_numpy(model(x[:, :2]))
    np.testing.assert_allclose(out[0], trimmed[0], rtol=1e-5, atol=1e-6)

    inputs = keras.Input(shape=(None,), dtype="int32")
    h = layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)(inputs)
    outputs = layers.LSTM(3)(h)
    functional = keras.Model(inputs, outputs)
    assert tuple(functional(x).shape) == (2, 3)


class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)
        self.lstm = layers.LSTM(3)

    def call(self, inputs):
        x = self.embedding(inputs)
        mask = self.embedding.compute_mask(inputs)
        return self.lstm(x, mask=mask)


class TemporalSplit(keras.layers.Layer):
    """Splits the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


@needs_mask_attribute
def test_passing_mask_tensors_directly_and_custom_mask_layers():
    layer = MyLayer()
    x = np.array([[5, 7, 0, 0], [1, 2, 3, 4]], "int32")
    out = ops.convert_to_numpy(layer(x))
    again = ops.convert_to_numpy(layer.lstm(layer.embedding(x[:, :2])))
    np.testing.assert_allclose(out[0], again[0], rtol=1e-5, atol=1e-6)

    first_half, second_half = TemporalSplit()(layers.Embedding(50, 4, mask_zero=True)(x))
    np.testing.assert_array_equal(ops.convert_to_numpy(first_half._keras_mask), x[:, :2] != 0)
    np.testing.assert_array_equal(ops.convert_to_numpy(second_half._keras_mask), x[:, 2:] != 0)


# -- Working with RNNs -------------------------------------------------------------------------
def test_built_in_rnn_layers_sequential():
    model = keras.Sequential()
    model.add(layers.Input(shape=(None,), dtype="int32"))
    model.add(layers.Embedding(input_dim=100, output_dim=8))
    model.add(layers.GRU(6, return_sequences=True))
    model.add(layers.SimpleRNN(4))
    model.add(layers.Dense(10))
    x = np.random.default_rng(0).integers(0, 100, size=(2, 5))
    assert tuple(model(x).shape) == (2, 10)
    assert len(model.layers[1].weights) == 3 and model.layers[1].weights[2].shape == (2, 18)


def test_outputs_and_states_encoder_decoder():
    encoder_vocab, decoder_vocab = 20, 15
    encoder_input = layers.Input(shape=(None,))
    encoder_embedded = layers.Embedding(input_dim=encoder_vocab, output_dim=4)(encoder_input)
    output, state_h, state_c = layers.LSTM(5, return_state=True, name="encoder")(
        encoder_embedded)
    encoder_state = [state_h, state_c]

    decoder_input = layers.Input(shape=(None,))
    decoder_embedded = layers.Embedding(input_dim=decoder_vocab, output_dim=4)(decoder_input)
    decoder_output = layers.LSTM(5, name="decoder")(decoder_embedded,
                                                    initial_state=encoder_state)
    output = layers.Dense(10)(decoder_output)
    model = keras.Model([encoder_input, decoder_input], output)
    enc = np.random.default_rng(0).integers(0, encoder_vocab, size=(2, 4))
    dec = np.random.default_rng(1).integers(0, decoder_vocab, size=(2, 3))
    out = ops.convert_to_numpy(model([enc, dec]))
    assert out.shape == (2, 10)
    # the decoder really starts from the encoder's states
    encoder, decoder = model.get_layer("encoder"), model.get_layer("decoder")
    emb_e, emb_d = model.layers[2], model.layers[3]
    if emb_e.input_dim != encoder_vocab:
        emb_e, emb_d = emb_d, emb_e
    _, h, c = encoder(emb_e(enc.astype("float32")))
    expected = decoder(emb_d(dec.astype("float32")), initial_state=[h, c])
    np.testing.assert_allclose(ops.convert_to_numpy(model.layers[-1](expected)), out,
                               rtol=1e-5, atol=1e-6)


def test_cross_batch_statefulness():
    paragraph1 = np.random.default_rng(0).random((2, 3, 5)).astype(np.float32)
    paragraph2 = np.random.default_rng(1).random((2, 3, 5)).astype(np.float32)
    paragraph3 = np.random.default_rng(2).random((2, 3, 5)).astype(np.float32)
    lstm_layer = layers.LSTM(4, stateful=True)
    lstm_layer(paragraph1)
    lstm_layer(paragraph2)
    output = lstm_layer(paragraph3)
    lstm_layer.reset_states()

    existing_state = lstm_layer.states
    new_lstm_layer = layers.LSTM(4)
    new_output = new_lstm_layer(paragraph3, initial_state=existing_state)
    assert tuple(new_output.shape) == tuple(output.shape)

    # Reusing the states of an RNN layer, with the same weights: the same output.
    lstm_layer.reset_states()
    lstm_layer(paragraph1)
    lstm_layer(paragraph2)
    states = [ops.convert_to_numpy(s.value) for s in lstm_layer.states]
    follow = layers.LSTM(4)
    follow(paragraph3)
    follow.set_weights(lstm_layer.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(follow(paragraph3, initial_state=states)),
                               ops.convert_to_numpy(lstm_layer(paragraph3)), rtol=1e-5,
                               atol=1e-6)


def test_bidirectional_rnns():
    model = keras.Sequential()
    model.add(keras.Input(shape=(5, 10)))
    model.add(layers.Bidirectional(layers.LSTM(4, return_sequences=True)))
    model.add(layers.Bidirectional(layers.LSTM(3)))
    model.add(layers.Dense(10))
    assert model.output_shape == (None, 10)
    assert tuple(model.layers[0].output.shape) == (None, 5, 8)
    x = np.zeros((2, 5, 10), "float32")
    assert tuple(model(x).shape) == (2, 10)


class MinimalRNNCell(keras.layers.Layer):
    # The guide says initializer="uniform"; lamina.initializers lacks Keras's short aliases
    # ("uniform", "normal", "one", "zero"), reported to the lead.
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                      initializer="random_uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                initializer="random_uniform",
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        prev_output = states[0]
        h = ops.matmul(inputs, self.kernel)
        output = h + ops.matmul(prev_output, self.recurrent_kernel)
        return output, [output]


@pytest.mark.training
def test_custom_cells_in_a_model_that_trains():
    cell = MinimalRNNCell(4)
    x = keras.Input((None, 5))
    layer = layers.RNN(cell)
    y = layer(x)
    cells = [MinimalRNNCell(4), MinimalRNNCell(3)]
    z = layers.RNN(cells)(x)
    model = keras.Model(x, layers.Dense(1)(layers.Concatenate()([y, z])))
    model.compile(optimizer="sgd", loss="mse")
    data = np.random.default_rng(0).normal(size=(8, 3, 5)).astype("float32") * 0.1
    history = model.fit(data, np.ones((8, 1)), epochs=3, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
