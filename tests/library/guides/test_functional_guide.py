"""The programs of Keras's "The Functional API" guide, run with ``import lamina as keras``
(images and vocabularies made small); shapes and parameter counts against real Keras 3,
training on small random data, saving and custom layers."""

import numpy as np
import pytest

import lamina as keras
from lamina import layers, ops

real_keras = pytest.importorskip("keras")


def _np(x):
    return ops.convert_to_numpy(x)


def _mnist_model(lib):
    inputs = lib.Input(shape=(784,))
    x = lib.layers.Dense(64, activation="relu")(inputs)
    x = lib.layers.Dense(64, activation="relu")(x)
    outputs = lib.layers.Dense(10)(x)
    return lib.Model(inputs=inputs, outputs=outputs, name="mnist_model")


@pytest.mark.training
def test_introduction_training_evaluation_inference_and_saving(tmp_path):
    model = _mnist_model(keras)
    theirs = _mnist_model(real_keras)
    assert model.count_params() == theirs.count_params() == 55050
    assert model.name == "mnist_model"
    rng = np.random.default_rng(0)
    x_train = rng.random((96, 784)).astype("float32")
    y_train = rng.integers(0, 10, 96)
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    history = model.fit(x_train, y_train, batch_size=32, epochs=3, validation_split=0.25,
                        verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "sparse_categorical_accuracy", "val_loss",
                                    "val_sparse_categorical_accuracy"}
    test_scores = model.evaluate(x_train[:32], y_train[:32], verbose=0)
    # The same weights in Keras give the same test loss and accuracy.
    theirs.set_weights(model.get_weights())
    theirs.compile(loss=real_keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                   metrics=[real_keras.metrics.SparseCategoricalAccuracy()])
    np.testing.assert_allclose(test_scores, theirs.evaluate(x_train[:32], y_train[:32],
                                                            verbose=0), rtol=1e-5)
    path = tmp_path / "my_model.keras"
    model.save(path)
    del model
    model = keras.models.load_model(path)
    assert model.name == "mnist_model"
    for a, b in zip(model.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, _np(b))


def _autoencoder(lib):
    encoder_input = lib.Input(shape=(12, 12, 1), name="img")
    x = lib.layers.Conv2D(4, 3, activation="relu")(encoder_input)
    x = lib.layers.Conv2D(8, 3, activation="relu")(x)
    x = lib.layers.MaxPooling2D(2)(x)
    x = lib.layers.Conv2D(4, 3, activation="relu")(x)
    encoder_output = lib.layers.GlobalMaxPooling2D()(x)
    encoder = lib.Model(encoder_input, encoder_output, name="encoder")

    decoder_input = lib.Input(shape=(4,), name="encoded_img")
    x = lib.layers.Reshape((2, 2, 1))(decoder_input)
    x = lib.layers.Conv2DTranspose(4, 3, activation="relu")(x)
    x = lib.layers.UpSampling2D(3)(x)
    x = lib.layers.Conv2DTranspose(1, 3, activation="relu")(x)
    decoder = lib.Model(decoder_input, x, name="decoder")

    autoencoder_input = lib.Input(shape=(12, 12, 1), name="img")
    encoded_img = encoder(autoencoder_input)
    decoded_img = decoder(encoded_img)
    return encoder, decoder, lib.Model(autoencoder_input, decoded_img, name="autoencoder")


def test_all_models_are_callable_just_like_layers():
    ours, theirs = _autoencoder(keras), _autoencoder(real_keras)
    for a, b in zip(ours, theirs):
        assert a.output_shape == tuple(b.output_shape)
        assert a.count_params() == b.count_params()
    encoder, decoder, autoencoder = ours
    assert [layer.name for layer in autoencoder.layers][1:] == ["encoder", "decoder"]
    assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()


def test_ensembling_models():
    def get_model():
        inputs = keras.Input(shape=(128,))
        outputs = layers.Dense(1)(inputs)
        return keras.Model(inputs, outputs)

    model1, model2, model3 = get_model(), get_model(), get_model()
    inputs = keras.Input(shape=(128,))
    outputs = layers.average([model1(inputs), model2(inputs), model3(inputs)])
    ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
    x = np.random.default_rng(0).random((3, 128)).astype("float32")
    expected = np.mean([_np(m(x)) for m in (model1, model2, model3)], axis=0)
    np.testing.assert_allclose(_np(ensemble_model(x)), expected, rtol=1e-5, atol=1e-6)


def _ticket_model(lib, num_tags=6, num_words=50, num_departments=4):
    title_input = lib.Input(shape=(None,), name="title")
    body_input = lib.Input(shape=(None,), name="body")
    tags_input = lib.Input(shape=(num_tags,), name="tags")
    title_features = lib.layers.Embedding(num_words, 8)(title_input)
    body_features = lib.layers.Embedding(num_words, 8)(body_input)
    # (The guide uses LSTMs here; pooling keeps the test about the functional API.)
    title_features = lib.layers.GlobalAveragePooling1D()(title_features)
    body_features = lib.layers.GlobalMaxPooling1D()(body_features)
    x = lib.layers.concatenate([title_features, body_features, tags_input])
    priority_pred = lib.layers.Dense(1, name="priority")(x)
    department_pred = lib.layers.Dense(num_departments, name="department")(x)
    return lib.Model(inputs=[title_input, body_input, tags_input],
                     outputs={"priority": priority_pred, "department": department_pred})


@pytest.mark.training
def test_models_with_multiple_inputs_and_outputs():
    model, theirs = _ticket_model(keras), _ticket_model(real_keras)
    assert model.count_params() == theirs.count_params()
    rng = np.random.default_rng(0)
    title = rng.integers(0, 50, size=(64, 5))
    body = rng.integers(0, 50, size=(64, 9))
    tags = rng.integers(0, 2, size=(64, 6)).astype("float32")
    priority = rng.random((64, 1)).astype("float32")
    department = rng.integers(0, 2, size=(64, 4)).astype("float32")
    model.compile(optimizer=keras.optimizers.RMSprop(1e-2),
                  loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
                        "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
                  loss_weights={"priority": 1.0, "department": 0.2})
    history = model.fit({"title": title, "body": body, "tags": tags},
                        {"priority": priority, "department": department}, epochs=3,
                        batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    # The total is the weighted sum of the two losses, as Keras computes it.
    theirs.set_weights(model.get_weights())
    theirs.compile(loss={"priority": real_keras.losses.BinaryCrossentropy(from_logits=True),
                         "department": real_keras.losses.CategoricalCrossentropy(
                             from_logits=True)},
                   loss_weights={"priority": 1.0, "department": 0.2})
    inputs = {"title": title, "body": body, "tags": tags}
    targets = {"priority": priority, "department": department}
    ours_eval = model.evaluate(inputs, targets, verbose=0, return_dict=True)
    theirs_eval = theirs.evaluate(inputs, targets, verbose=0, return_dict=True)
    np.testing.assert_allclose(ours_eval["loss"], theirs_eval["loss"], rtol=1e-5)


def _toy_resnet(lib):
    inputs = lib.Input(shape=(16, 16, 3), name="img")
    x = lib.layers.Conv2D(8, 3, activation="relu")(inputs)
    x = lib.layers.Conv2D(8, 3, activation="relu")(x)
    block_1_output = lib.layers.MaxPooling2D(3)(x)
    x = lib.layers.Conv2D(8, 3, activation="relu", padding="same")(block_1_output)
    x = lib.layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    block_2_output = lib.layers.add([x, block_1_output])
    x = lib.layers.Conv2D(8, 3, activation="relu")(block_2_output)
    x = lib.layers.GlobalAveragePooling2D()(x)
    x = lib.layers.Dense(16, activation="relu")(x)
    x = lib.layers.Dropout(0.5)(x)
    outputs = lib.layers.Dense(10)(x)
    return lib.Model(inputs, outputs, name="toy_resnet")


def test_a_toy_resnet_model():
    ours, theirs = _toy_resnet(keras), _toy_resnet(real_keras)
    assert ours.count_params() == theirs.count_params()
    assert [tuple(layer.output.shape) for layer in ours.layers] == \
        [tuple(layer.output.shape) for layer in theirs.layers]
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


def test_shared_layers_and_extracting_nodes():
    shared_embedding = layers.Embedding(100, 8)
    text_input_a = keras.Input(shape=(None,), dtype="int32")
    text_input_b = keras.Input(shape=(None,), dtype="int32")
    encoded_input_a = shared_embedding(text_input_a)
    encoded_input_b = shared_embedding(text_input_b)
    model = keras.Model([text_input_a, text_input_b], [encoded_input_a, encoded_input_b])
    assert len(model.weights) == 1
    ids = np.array([[1, 2, 3]], "int32")
    a, b = model([ids, ids])
    np.testing.assert_array_equal(_np(a), _np(b))

    # Feature extraction: a model that returns every intermediate activation.
    base = _toy_resnet(keras)
    features_list = [layer.output for layer in base.layers]
    feat_extraction_model = keras.Model(inputs=base.input, outputs=features_list)
    x = np.random.default_rng(0).random((1, 16, 16, 3)).astype("float32")
    extracted = feat_extraction_model(x)
    assert len(extracted) == len(base.layers)
    np.testing.assert_allclose(_np(extracted[-1]), _np(base(x)), rtol=1e-5, atol=1e-6)


class CustomDense(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {"units": self.units}


def test_extend_the_api_using_custom_layers():
    inputs = keras.Input((4,))
    outputs = CustomDense(10)(inputs)
    model = keras.Model(inputs, outputs)
    config = model.get_config()
    new_model = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
    assert new_model.count_params() == model.count_params() == 50
    new_model.set_weights(model.get_weights())
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(_np(new_model(x)), _np(model(x)), rtol=1e-6)
