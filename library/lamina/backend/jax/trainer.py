"""JAX training steps: pure functions of ``(state, batch)`` under ``jax.jit``.

The state (trainable, non-trainable, optimizer and metric variable values) stays
on device between steps and is donated to each step; it is written back into
the Variables when the loop syncs (end of epoch, end of fit).
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamina import tree
from lamina.backend.common import malloc
from lamina.backend.common.scopes import StatelessScope
from lamina.trainers.data_adapters import unpack_x_y_sample_weight


def resolve_jit_compile(model, jit_compile):
    return jit_compile in ("auto", True)


def _to_device(batch):
    # device_put moves NumPy arrays without dispatching an op (jnp.asarray costs ~0.4 ms).
    return tree.map_structure(lambda a: jax.device_put(a) if isinstance(a, np.ndarray) else a, batch)


def _batch_size(x):
    return next(a for a in tree.flatten(x) if a is not None).shape[0]


def _values(variables):
    return [v.value for v in variables]


def compute_loss_and_updates(model, trainable, non_trainable, metrics_values, x, y, sample_weight,
                             training):
    """The loss and the updated state, as a pure function of variable values."""
    y_pred, non_trainable, losses = model.stateless_call(trainable, non_trainable, x,
                                                         return_losses=True, training=training)
    mapping = list(zip(model.trainable_variables, trainable)) + \
        list(zip(model.non_trainable_variables, non_trainable)) + \
        list(zip(model.metrics_variables, metrics_values))
    model._losses_override = losses
    try:
        with StatelessScope(state_mapping=mapping) as scope:
            loss = model.compute_loss(x, y, y_pred, sample_weight, training)
    finally:
        model._losses_override = None
    metrics_values = [scope.get_current_value(v, old) for v, old in zip(model.metrics_variables, metrics_values)]
    return loss, y_pred, non_trainable, metrics_values



def _update_metrics(model, metrics_values, loss, x, y, y_pred, sample_weight):
    mapping = list(zip(model.metrics_variables, metrics_values))
    with StatelessScope(state_mapping=mapping) as scope:
        model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        logs = model.compute_metrics(x, y, y_pred, sample_weight)
    return logs, [scope.get_current_value(v, old) for v, old in mapping]


def train_step(model, state, data):
    trainable, non_trainable, optimizer_values, metrics_values = state
    x, y, sample_weight = unpack_x_y_sample_weight(data)

    def loss_fn(trainable_values):
        loss, y_pred, new_non_trainable, new_metrics = compute_loss_and_updates(
            model, trainable_values, non_trainable, metrics_values, x, y, sample_weight, True)
        scaled = loss
        if model.optimizer is not None:
            # The loss scale (LossScaleOptimizer) is optimizer state: read it from this step's values.
            mapping = list(zip(model.optimizer.variables, optimizer_values))
            with StatelessScope(state_mapping=mapping):
                scaled = model.optimizer.scale_loss(loss)
        return scaled, (loss, y_pred, new_non_trainable, new_metrics)

    (_, (loss, y_pred, non_trainable, metrics_values)), grads = jax.value_and_grad(
        loss_fn, has_aux=True)(trainable)
    if model.optimizer is not None and trainable:
        trainable, optimizer_values = model.optimizer.stateless_apply(optimizer_values, grads, trainable)
    logs, metrics_values = _update_metrics(model, metrics_values, loss, x, y, y_pred, sample_weight)
    return logs, (trainable, non_trainable, optimizer_values, metrics_values)


def test_step(model, state, data):
    trainable, non_trainable, metrics_values = state
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    loss, y_pred, non_trainable, metrics_values = compute_loss_and_updates(
        model, trainable, non_trainable, metrics_values, x, y, sample_weight, False)
    logs, metrics_values = _update_metrics(model, metrics_values, loss, x, y, y_pred, sample_weight)
    return logs, (trainable, non_trainable, metrics_values)


def predict_step(model, state, data):
    trainable, non_trainable = state
    x, _, _ = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    outputs, non_trainable = model.stateless_call(trainable, non_trainable, x, **kwargs)
    return outputs, non_trainable


class _StepFunction:
    """Calls the (jitted) step and keeps the state between calls until ``sync``."""

    def __init__(self, model, mode):
        self.model = model
        self.mode = mode
        self.state = None
        step = {"train": model.train_step, "test": model.test_step, "predict": model.predict_step}[mode]

        def run(state, batches):
            out = None
            for data in batches:
                if mode == "predict":  # predict_step returns (outputs, non_trainable values)
                    out, non_trainable = step(state, data)
                    state = (state[0], non_trainable)
                else:
                    out, state = step(state, data)
            return out, state

        self.jitted = bool(model.jit_compile and not model.run_eagerly)
        if self.jitted:
            # Each call's XLA scratch buffer reused from the heap, not page-faulted in again.
            malloc.keep_scratch_buffers()
            donate = (0,) if mode == "train" else ()
            self.fn = jax.jit(run, donate_argnums=donate)
        else:
            self.fn = run

    def _groups(self):
        m = self.model
        if self.mode == "train":
            optimizer = m.optimizer.variables if m.optimizer is not None else []
            return [m.trainable_variables, m.non_trainable_variables, optimizer, m.metrics_variables]
        if self.mode == "test":
            return [m.trainable_variables, m.non_trainable_variables, m.metrics_variables]
        return [m.trainable_variables, m.non_trainable_variables]

    def __call__(self, batches):
        if not self.jitted:
            batches = [_to_device(b) for b in batches]
        if self.state is None:
            copy = self.mode == "train"
            self.state = tuple([jnp.array(v, copy=True) if copy else v for v in _values(group)]
                               for group in self._groups())
        out, new_state = self.fn(self.state, batches)
        self.state = new_state  # predict too: stateful layers carry their state to the next batch
        return out

    def sync(self):
        if self.state is None:
            return
        for group, values in zip(self._groups(), self.state):
            for variable, value in zip(group, values):
                variable._direct_assign(value)
        self.state = None


def make_step_function(model, mode):
    return _StepFunction(model, mode)


def zero_grad(model):
    raise AttributeError("zero_grad() exists on the PyTorch backend only; JAX gradients are "
                         "returned by jax.grad, not stored on variables.")


def parameters(model):
    raise AttributeError("parameters() exists on the PyTorch backend only; use "
                         "model.trainable_variables on JAX.")
