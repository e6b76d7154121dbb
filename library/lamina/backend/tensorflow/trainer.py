"""TensorFlow training steps: ``tf.function`` over the stateful step."""

import numpy as np
import tensorflow as tf

from lamina import tree
from lamina.trainers.data_adapters import unpack_x_y_sample_weight


def resolve_jit_compile(model, jit_compile):
    return jit_compile is True


def _to_tensors(batch):
    return tree.map_structure(lambda a: tf.convert_to_tensor(a) if isinstance(a, np.ndarray) else a,
                              batch)


def _batch_size(x):
    return tf.shape(next(a for a in tree.flatten(x) if a is not None))[0]


def train_step(model, data):
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    kwargs = {"training": True} if model._call_info["training"] else {}
    with tf.GradientTape() as tape:
        y_pred = model(x, **kwargs)
        loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                  training=True)
        model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        scaled = model.optimizer.scale_loss(loss) if model.optimizer is not None else loss
    trainable = model.trainable_weights
    if trainable and model.optimizer is not None:
        grads = tape.gradient(scaled, [v.value for v in trainable])
        model.optimizer.apply(grads, trainable)
    return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def test_step(model, data):
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    y_pred = model(x, **kwargs)
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
    model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
    return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def predict_step(model, data):
    x, _, _ = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    return model(x, **kwargs)


def make_step_function(model, mode):
    step = {"train": model.train_step, "test": model.test_step, "predict": model.predict_step}[mode]

    def run(batches):
        out = None
        for data in batches:
            out = step(data)
        return out

    if not model.run_eagerly:
        # autograph=False: lamina's steps use ops (ops.cond...) for control flow, and
        # converting library code only costs tracing time and stderr warnings.
        run = tf.function(run, reduce_retracing=True, jit_compile=bool(model.jit_compile),
                          autograph=False)

    def call(batches):
        return run([_to_tensors(b) for b in batches])

    return call


def zero_grad(model):
    raise AttributeError("zero_grad() exists on the PyTorch backend only; TensorFlow gradients "
                         "come from tf.GradientTape.")


def parameters(model):
    raise AttributeError("parameters() exists on the PyTorch backend only; use "
                         "model.trainable_variables on TensorFlow.")
