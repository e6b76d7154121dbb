"""PyTorch training steps: eager autograd, metrics kept as tensors (no host sync)."""

import numpy as np
import torch

from lamina import tree
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.metric_logs import LazyLogs
from lamina.trainers.trainer import Trainer


def resolve_jit_compile(model, jit_compile):
    return jit_compile is True


def _to_tensors(batch):
    def convert(a):
        if isinstance(a, np.ndarray):
            if a.dtype == np.float64:
                a = a.astype(np.float32)
            elif a.dtype == np.int64:
                a = a.astype(np.int32)
            return torch.from_numpy(np.ascontiguousarray(a))
        return a

    return tree.map_structure(convert, batch)


def _batch_size(x):
    return next(a for a in tree.flatten(x) if a is not None).shape[0]


def train_step(model, data):
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    kwargs = {"training": True} if model._call_info["training"] else {}
    y_pred = model(x, **kwargs)
    zero_grad(model)
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
    model._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
    scaled = model.optimizer.scale_loss(loss) if model.optimizer is not None else loss
    trainable = model.trainable_weights
    if trainable and model.optimizer is not None:
        scaled.backward()
        grads = [v.value.grad for v in trainable]
        with torch.no_grad():
            model.optimizer.apply(grads, trainable)
    with torch.no_grad():
        return _metrics(model, x, y, y_pred.detach() if torch.is_tensor(y_pred) else
                        tree.map_structure(lambda t: t.detach(), y_pred), sample_weight)


def _metrics(model, x, y, y_pred, sample_weight):
    """``compute_metrics``; its results are computed only when read, unless it is overridden."""
    if type(model).compute_metrics is not Trainer.compute_metrics:
        return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)
    if model._compile_metrics is not None:
        model._compile_metrics.update_state(y, y_pred, sample_weight)
    return LazyLogs(model.get_metrics_result)


@torch.no_grad()
def test_step(model, data):
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    y_pred = model(x, **kwargs)
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
    model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
    return _metrics(model, x, y, y_pred, sample_weight)


@torch.no_grad()
def predict_step(model, data):
    x, _, _ = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    return model(x, **kwargs)


def make_step_function(model, mode):
    step = {"train": model.train_step, "test": model.test_step, "predict": model.predict_step}[mode]

    def run(batches):
        out = None
        for data in batches:
            out = step(_to_tensors(data))
        return out

    if model.jit_compile and not model.run_eagerly:
        return torch.compile(run)
    return run


def zero_grad(model):
    """Clears ``.grad`` on every trainable variable."""
    for v in model.trainable_weights:
        v.value.grad = None


def parameters(model):
    """The torch Parameters of every variable (trainable ones require grad)."""
    return [v.value for v in model.variables]
