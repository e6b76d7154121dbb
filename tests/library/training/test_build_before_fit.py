"""The build before the first step changes no state: a layer that counts its calls counts as in Keras 3."""

import numpy as np
import pytest

import lamina

pytestmark = pytest.mark.training


def _counter_class(keras):
    class Counter(keras.layers.Layer):
        def build(self, shape):
            self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False)
            self.kernel = self.add_weight(shape=(shape[-1], 1))

        def call(self, x):
            self.calls.assign(self.calls + 1.0)
            return keras.ops.matmul(x, self.kernel)

    return Counter


def _calls_after_one_step(keras, with_input):
    counter = _counter_class(keras)()
    model = keras.Sequential(([keras.Input((3,))] if with_input else []) + [counter])
    model.compile("sgd", "mse", metrics=["mae"])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    return float(keras.ops.convert_to_numpy(counter.calls))


def test_the_build_before_the_first_step_leaves_state_alone():
    """A model built by fit (no Input) runs its layers once to build them: that run must not count."""
    keras = pytest.importorskip("keras")
    expected = _calls_after_one_step(keras, with_input=False)
    assert expected == 1.0
    assert _calls_after_one_step(lamina, with_input=False) == expected


def test_predict_carries_state_from_batch_to_batch():
    """Every predict batch's state update is kept, on every backend (on jax the step is stateless)."""
    counter = _counter_class(lamina)()
    model = lamina.Sequential([counter])
    model.predict(np.ones((6, 3), "float32"), batch_size=2, verbose=0)
    assert float(lamina.ops.convert_to_numpy(counter.calls)) == 3.0
    model.predict_on_batch(np.ones((2, 3), "float32"))
    assert float(lamina.ops.convert_to_numpy(counter.calls)) == 4.0
