"""nn ops (activations) on TensorFlow."""

import tensorflow as tf

from lamina.backend.tensorflow.core import convert_to_tensor


def relu(x):
    return tf.nn.relu(convert_to_tensor(x))
