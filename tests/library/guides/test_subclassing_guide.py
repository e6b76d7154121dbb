"""The patterns of Keras's "Making new layers and models via subclassing" guide."""

import numpy as np
import pytest

import lamina as keras
from lamina import layers, ops


class Linear(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal",
                                 trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class ComputeSum(layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


class ActivityRegularizationLayer(layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class MLPBlock(layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = ops.relu(self.linear_1(inputs))
        x = ops.relu(self.linear_2(x))
        return self.linear_3(x)


class CustomDropout(layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs, training=None):
        if training:
            return keras.random.dropout(inputs, rate=self.rate, seed=self.seed_generator)
        return inputs


def test_layer_with_weights_and_lazy_build():
    linear = Linear(4)
    y = linear(np.ones((2, 2), "float32"))
    assert ops.convert_to_numpy(y).shape == (2, 4)
    assert len(linear.weights) == 2 and len(linear.trainable_weights) == 2


def test_non_trainable_state_accumulates():
    layer = ComputeSum(2)
    x = np.ones((2, 2), "float32")
    layer(x)
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), [4.0, 4.0])
    assert layer.weights == layer.non_trainable_weights


def test_nested_layers_and_add_loss():
    block = MLPBlock()
    y = block(np.ones((3, 64), "float32"))
    assert ops.convert_to_numpy(y).shape == (3, 1)
    assert len(block.weights) == 6

    class OuterLayer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.activity_reg = ActivityRegularizationLayer(1e-2)

        def call(self, inputs):
            return self.activity_reg(inputs)

    outer = OuterLayer()
    outer(np.zeros((1, 1), "float32"))
    assert len(outer.losses) == 1
    outer(np.ones((1, 1), "float32"))
    assert len(outer.losses) == 1
    np.testing.assert_allclose(float(ops.convert_to_numpy(outer.losses[0])), 0.01)


def test_training_argument_reaches_custom_dropout():
    layer = CustomDropout(0.5)
    x = np.ones((4, 10), "float32")
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), x)
    dropped = ops.convert_to_numpy(layer(x, training=True))
    assert set(np.unique(dropped)) <= {0.0, 2.0} and (dropped == 0).any()


@pytest.mark.training
def test_subclassed_model_with_add_loss_trains_with_fit():
    class Regressor(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = MLPBlock()
            self.reg = ActivityRegularizationLayer(1e-3)

        def call(self, inputs):
            return self.reg(self.block(inputs))

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    model = Regressor()
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    history = model.fit(x, y, epochs=4, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
