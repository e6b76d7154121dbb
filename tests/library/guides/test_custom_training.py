"""The per-backend "customize fit()" and "training loop from scratch" patterns
of the Keras guides, on an MLP."""

import numpy as np
import pytest

import lamina as keras
from lamina import layers, ops

BACKEND = keras.backend.backend()
pytestmark = pytest.mark.training


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 10)).astype("float32")
    y = (x[:, :3].sum(axis=1) > 0).astype("int32")
    return x, y


def _mlp():
    inputs = keras.Input(shape=(10,))
    x = layers.Dense(16, activation="relu")(inputs)
    return inputs, layers.Dense(2)(x)


@pytest.mark.backends("jax")
def test_customize_fit_jax():
    import jax

    class CustomModel(keras.Model):
        def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, x, y,
                                     training=False):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=training)
            loss = self.compute_loss(x, y, y_pred)
            return loss, (y_pred, non_trainable_variables)

        def train_step(self, state, data):
            trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
            x, y = data
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
                trainable_variables, non_trainable_variables, x, y, training=True)
            trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, grads, trainable_variables)
            new_metrics_vars, logs = [], {}
            for metric in self.metrics:
                start = len(new_metrics_vars)
                these = metrics_variables[start:start + len(metric.variables)]
                if metric.name == "loss":
                    these = metric.stateless_update_state(these, loss)
                else:
                    these = metric.stateless_update_state(these, y, y_pred)
                logs[metric.name] = metric.stateless_result(these)
                new_metrics_vars += these
            state = (trainable_variables, non_trainable_variables, optimizer_variables,
                     new_metrics_vars)
            return logs, state

    _check_custom_model(CustomModel)


@pytest.mark.backends("tensorflow")
def test_customize_fit_tensorflow():
    import tensorflow as tf

    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            trainable_vars = self.trainable_variables
            gradients = tape.gradient(loss, trainable_vars)
            self.optimizer.apply(gradients, trainable_vars)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    _check_custom_model(CustomModel)


@pytest.mark.backends("torch")
def test_customize_fit_torch():
    import torch

    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    _check_custom_model(CustomModel)


def _check_custom_model(cls):
    inputs, outputs = _mlp()
    model = cls(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    x, y = _data()
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert set(history.history) >= {"loss", "compile_metrics"} or "accuracy" in str(history.history)
    assert history.history["loss"][-1] < history.history["loss"][0]


def _loop_setup():
    keras.utils.set_random_seed(0)
    inputs, outputs = _mlp()
    model = keras.Model(inputs, outputs)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam(learning_rate=1e-2)
    metric = keras.metrics.SparseCategoricalAccuracy()
    x, y = _data()
    return model, loss_fn, optimizer, metric, x, y


def _batches(x, y, size=32):
    for i in range(0, len(x), size):
        yield x[i:i + size], y[i:i + size]


@pytest.mark.backends("jax")
def test_training_loop_from_scratch_jax():
    import jax

    model, loss_fn, optimizer, metric, x, y = _loop_setup()
    optimizer.build(model.trainable_variables)

    def compute_loss_and_updates(trainable_variables, non_trainable_variables, x, y):
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x, training=True)
        return loss_fn(y, y_pred), (y_pred, non_trainable_variables)

    grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)

    @jax.jit
    def train_step(state, data):
        trainable_variables, non_trainable_variables, optimizer_variables, metric_variables = state
        x, y = data
        (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, x, y)
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables)
        metric_variables = metric.stateless_update_state(metric_variables, y, y_pred)
        return loss, (trainable_variables, non_trainable_variables, optimizer_variables,
                      metric_variables)

    state = ([v.value for v in model.trainable_variables],
             [v.value for v in model.non_trainable_variables],
             [v.value for v in optimizer.variables],
             [v.value for v in metric.variables])
    losses = []
    for epoch in range(4):
        for xb, yb in _batches(x, y):
            loss, state = train_step(state, (xb, yb))
        losses.append(float(loss))
    trainable_variables, non_trainable_variables, optimizer_variables, metric_variables = state
    for variable, value in zip(model.trainable_variables, trainable_variables):
        variable.assign(value)
    for variable, value in zip(metric.variables, metric_variables):
        variable.assign(value)
    assert losses[-1] < losses[0]
    assert 0.5 < float(ops.convert_to_numpy(metric.result())) <= 1.0
    accuracy = (np.argmax(model.predict(x, verbose=0), axis=1) == y).mean()
    assert accuracy > 0.7


@pytest.mark.backends("tensorflow")
def test_training_loop_from_scratch_tensorflow():
    import tensorflow as tf

    model, loss_fn, optimizer, metric, x, y = _loop_setup()

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply(grads, model.trainable_weights)
        metric.update_state(yb, logits)
        return loss

    losses = [float(train_step(xb, yb)) for _ in range(4) for xb, yb in _batches(x, y)]
    assert losses[-1] < losses[0]
    assert float(metric.result()) > 0.5


@pytest.mark.backends("torch")
def test_training_loop_from_scratch_torch_with_keras_optimizer():
    import torch

    model, loss_fn, optimizer, metric, x, y = _loop_setup()
    losses = []
    for _ in range(4):
        for xb, yb in _batches(x, y):
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
            model.zero_grad()
            trainable_weights = [v for v in model.trainable_weights]
            loss.backward()
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                optimizer.apply(gradients, trainable_weights)
            metric.update_state(yb, logits)
            losses.append(float(loss))
    assert losses[-1] < losses[0]
    assert float(metric.result()) > 0.5


@pytest.mark.backends("torch")
def test_training_loop_from_scratch_torch_with_torch_optimizer():
    import torch

    model, _, _, _, x, y = _loop_setup()
    model(x[:1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = torch.nn.CrossEntropyLoss()
    losses = []
    for _ in range(4):
        for xb, yb in _batches(x, y):
            logits = model(torch.from_numpy(xb))
            loss = loss_fn(logits, torch.from_numpy(yb).long())
            model.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss))
    assert losses[-1] < losses[0]
