"""The programs of Keras's "Training & evaluation with the built-in methods" guide, run with
``import lamina as keras`` on small random data: custom losses and metrics, add_loss,
validation, sample and class weights, callbacks, schedules; losses and metrics of the
same weights against real Keras 3."""

import numpy as np
import pytest

import lamina as keras
from lamina import layers, ops

real_keras = pytest.importorskip("keras")
pytestmark = pytest.mark.training


def _data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 20)).astype("float32")
    y = (x[:, :10].sum(1) > x[:, 10:].sum(1)).astype("int64") + 2 * (x[:, 0] > 0.5)
    return x, y


def get_uncompiled_model(lib=keras):
    inputs = lib.Input(shape=(20,), name="digits")
    x = lib.layers.Dense(16, activation="relu", name="dense_1")(inputs)
    x = lib.layers.Dense(16, activation="relu", name="dense_2")(x)
    outputs = lib.layers.Dense(4, activation="softmax", name="predictions")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


def get_compiled_model(lib=keras):
    model = get_uncompiled_model(lib)
    model.compile(optimizer=lib.optimizers.RMSprop(learning_rate=1e-2),
                  loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


def test_api_overview_fit_evaluate_predict_against_keras():
    x, y = _data()
    keras.utils.set_random_seed(0)
    model = get_compiled_model()
    history = model.fit(x[:64], y[:64], batch_size=16, epochs=4,
                        validation_data=(x[64:], y[64:]), verbose=0)
    h = history.history
    assert set(h) == {"loss", "sparse_categorical_accuracy", "val_loss",
                      "val_sparse_categorical_accuracy"}
    assert h["loss"][-1] < h["loss"][0]
    results = model.evaluate(x[64:], y[64:], batch_size=16, verbose=0)
    predictions = model.predict(x[:3], verbose=0)
    assert predictions.shape == (3, 4)
    # Real Keras with the same weights: same loss, accuracy and predictions.
    theirs = get_compiled_model(real_keras)
    theirs.set_weights(model.get_weights())
    np.testing.assert_allclose(results, theirs.evaluate(x[64:], y[64:], batch_size=16,
                                                        verbose=0), rtol=1e-5)
    np.testing.assert_allclose(predictions.sum(-1), 1.0, rtol=1e-5)  # softmax outputs


def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            values = ops.multiply(values, sample_weight)
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


def _keras_true_positives_class():
    """CategoricalTruePositives written against real Keras (the guide's code, verbatim)."""
    kops = real_keras.ops

    class KerasCategoricalTruePositives(real_keras.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = kops.reshape(kops.argmax(y_pred, axis=1), (-1, 1))
            values = kops.cast(y_true, "int32") == kops.cast(y_pred, "int32")
            values = kops.cast(values, "float32")
            if sample_weight is not None:
                sample_weight = kops.cast(sample_weight, "float32")
                values = kops.multiply(values, sample_weight)
            self.true_positives.assign_add(kops.sum(values))

        def result(self):
            return self.true_positives

    return KerasCategoricalTruePositives


def test_custom_losses_and_metrics():
    x, y = _data()
    y_one_hot = np.eye(4, dtype="float32")[y]
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=custom_mean_squared_error)
    first = model.fit(x, y_one_hot, batch_size=32, epochs=2, verbose=0).history["loss"]
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=CustomMSE())
    model.fit(x, y_one_hot, batch_size=32, epochs=1, verbose=0)
    # The loss of fixed predictions, checked by hand.
    pred = model.predict(x, verbose=0)
    expected = np.mean(np.mean((y_one_hot - pred) ** 2, -1) + 0.1 * np.mean((0.5 - pred) ** 2, -1))
    np.testing.assert_allclose(model.evaluate(x, y_one_hot, verbose=0), expected, rtol=1e-5)
    assert np.isfinite(first).all()


def test_custom_metric_against_keras():
    x, y = _data()
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CategoricalTruePositives()])
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    # The guide's metric compares (batch, 1) predictions with (batch,) labels: broadcasting
    # makes it count matching pairs within each batch.
    predicted = np.argmax(model.predict(x, batch_size=32, verbose=0), axis=1)
    expected_pairs = sum(np.sum(predicted[i:i + 32, None] == y[None, i:i + 32])
                         for i in range(0, len(y), 32))
    assert logs["categorical_true_positives"] == pytest.approx(float(expected_pairs))
    if keras.backend.backend() == "jax":
        return  # Keras 3.15 itself fails on jax with this metric (result() returns a Variable)
    # The guide's metric, written against real Keras, gives the same number there.
    theirs = get_uncompiled_model(real_keras)
    theirs.set_weights(model.get_weights())
    theirs.compile(loss="sparse_categorical_crossentropy",
                   metrics=[_keras_true_positives_class()()])
    expected = theirs.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    assert logs["categorical_true_positives"] == pytest.approx(
        float(expected["categorical_true_positives"]))
    assert logs["loss"] == pytest.approx(float(expected["loss"]), rel=1e-5)


def test_recompiling_a_model_uses_the_new_loss():
    x, y = _data()
    y_one_hot = np.eye(4, dtype="float32")[y]
    model = get_uncompiled_model()
    model.compile(optimizer="adam", loss=CustomMSE())
    model.fit(x, y_one_hot, batch_size=32, epochs=1, verbose=0)
    model.compile(optimizer="adam", loss=custom_mean_squared_error)
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.evaluate(x, y_one_hot, verbose=0),
                               np.mean((y_one_hot - pred) ** 2), rtol=1e-5)


class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(ops.sum(inputs) * 0.1)
        return inputs


def test_add_loss_validation_split_and_sample_weights():
    x, y = _data()
    inputs = keras.Input(shape=(20,), name="digits")
    h = layers.Dense(8, activation="relu")(inputs)
    h = ActivityRegularizationLayer()(h)
    outputs = layers.Dense(4, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy())
    history = model.fit(x, y, batch_size=32, epochs=1, validation_split=0.25, verbose=0)
    assert "val_loss" in history.history
    # The reported loss includes the activity penalty.
    ce = model.compute_loss(y=y[:8], y_pred=model(x[:8]))
    plain = keras.losses.SparseCategoricalCrossentropy()(y[:8], model(x[:8]))
    assert float(ops.convert_to_numpy(ce)) > float(ops.convert_to_numpy(plain))

    # Class weights and sample weights scale the per-sample losses.
    model = get_compiled_model()
    class_weight = {0: 1.0, 1: 1.0, 2: 1.0, 3: 3.0}
    model.fit(x, y, class_weight=class_weight, batch_size=32, epochs=1, verbose=0)
    sample_weight = np.where(y == 3, 3.0, 1.0).astype("float32")
    weighted = model.evaluate(x, y, sample_weight=sample_weight, verbose=0)[0]
    per_sample = -np.log(model.predict(x, verbose=0)[np.arange(len(y)), y])
    np.testing.assert_allclose(weighted, np.mean(per_sample * sample_weight), rtol=1e-4)


def test_callbacks_checkpointing_and_learning_rate_schedules(tmp_path):
    x, y = _data()
    model = get_compiled_model()

    class LossHistory(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.per_batch_losses = []

        def on_batch_end(self, batch, logs=None):
            self.per_batch_losses.append(logs.get("loss"))

    history_cb = LossHistory()
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=10.0, patience=1,
                                      verbose=0),
        keras.callbacks.ModelCheckpoint(filepath=str(tmp_path / "mymodel_{epoch}.keras"),
                                        save_best_only=False, monitor="val_loss", verbose=0),
        history_cb,
    ]
    history = model.fit(x, y, epochs=10, batch_size=32, callbacks=callbacks,
                        validation_split=0.25, verbose=0)
    # min_delta=10 means no epoch ever improves: training stops after patience + 1 epochs.
    assert len(history.history["loss"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mymodel_1.keras", "mymodel_2.keras"]
    assert len(history_cb.per_batch_losses) == 2 * 3
    restored = keras.models.load_model(tmp_path / "mymodel_2.keras")
    np.testing.assert_allclose(restored.predict(x[:4], verbose=0),
                               model.predict(x[:4], verbose=0), rtol=1e-6)

    lr_schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.1, decay_steps=100000, decay_rate=0.96, staircase=True)
    optimizer = keras.optimizers.RMSprop(learning_rate=lr_schedule)
    theirs = real_keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.1, decay_steps=100000, decay_rate=0.96, staircase=True)
    for step in (0, 99999, 100000, 250000):
        np.testing.assert_allclose(ops.convert_to_numpy(lr_schedule(step)),
                                   ops.convert_to_numpy(theirs(step)), rtol=1e-6)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert int(ops.convert_to_numpy(optimizer.iterations)) == 3


def test_multi_input_multi_output_with_lists_of_losses_and_metrics():
    rng = np.random.default_rng(0)
    image_input = keras.Input(shape=(8, 8, 2), name="img_input")
    timeseries_input = keras.Input(shape=(None, 3), name="ts_input")
    x1 = layers.Conv2D(3, 3)(image_input)
    x1 = layers.GlobalMaxPooling2D()(x1)
    x2 = layers.Conv1D(3, 3)(timeseries_input)
    x2 = layers.GlobalMaxPooling1D()(x2)
    x = layers.concatenate([x1, x2])
    score_output = layers.Dense(1, name="score_output")(x)
    class_output = layers.Dense(5, name="class_output")(x)
    model = keras.Model(inputs=[image_input, timeseries_input],
                        outputs=[score_output, class_output])
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=[keras.losses.MeanSquaredError(),
                        keras.losses.CategoricalCrossentropy(from_logits=True)],
                  metrics=[[keras.metrics.MeanAbsolutePercentageError(),
                            keras.metrics.MeanAbsoluteError()],
                           [keras.metrics.CategoricalAccuracy()]],
                  loss_weights=[1.0, 0.5])
    img_data = rng.random((32, 8, 8, 2)).astype("float32")
    ts_data = rng.random((32, 6, 3)).astype("float32")
    score_targets = rng.random((32, 1)).astype("float32")
    class_targets = rng.random((32, 5)).astype("float32")
    logs = model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=16,
                     epochs=1, verbose=0).history
    assert {"loss", "score_output_loss", "class_output_loss", "score_output_mean_absolute_error",
            "class_output_categorical_accuracy"} <= set(logs)
    ev = model.evaluate([img_data, ts_data], [score_targets, class_targets], verbose=0,
                        return_dict=True)
    np.testing.assert_allclose(ev["loss"], ev["score_output_loss"] +
                               0.5 * ev["class_output_loss"], rtol=1e-5)
