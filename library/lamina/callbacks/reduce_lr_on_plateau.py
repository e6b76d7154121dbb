"""ReduceLROnPlateau: lowers the learning rate when a metric stops improving.

Example:
    >>> cb = lamina.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5)
"""

import warnings

import numpy as np

from lamina.callbacks.monitor_callback import MonitorCallback, print_msg, to_scalar
from lamina.saving.object_registry import keras_export


def _current_lr(optimizer):
    from lamina import ops

    return float(ops.convert_to_numpy(optimizer.learning_rate))


@keras_export("keras.callbacks")
class ReduceLROnPlateau(MonitorCallback):
    """Reduces the learning rate when a metric has stopped improving.

    After ``patience`` epochs without improvement, ``learning_rate`` becomes
    ``max(learning_rate * factor, min_lr)``; then ``cooldown`` epochs pass before
    counting again. The current learning rate is added to the epoch logs as
    ``"learning_rate"`` (so it appears in ``History``).

    Args:
        monitor: the quantity to monitor.
        factor: the factor applied to the learning rate (must be < 1).
        patience: epochs without improvement before a reduction.
        verbose: 0 (quiet) or 1 (a message at each reduction).
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        min_delta: the threshold for a significant improvement.
        cooldown: epochs to wait after a reduction before resuming normal operation.
        min_lr: the lower bound of the learning rate.

    Example:
        >>> reduce_lr = lamina.callbacks.ReduceLROnPlateau(
        ...     monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
        >>> model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def _reduce_optimizer_lr(self, optimizer, epoch, name=""):
        old_lr = _current_lr(optimizer)
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            optimizer.learning_rate = new_lr
            if self.verbose > 0:
                name_str = f" {name}" if name else ""
                print_msg(
                    f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{name_str} learning "
                    f"rate to {new_lr}."
                )
            return True
        return False

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs or {}
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                logs[f"learning_rate_{opt.name}"] = _current_lr(opt)
        else:
            logs["learning_rate"] = _current_lr(optimizer)
        current = to_scalar(logs.get(self.monitor))
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is "
                f"not available. Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                if inner is not None:
                    reduced = False
                    for opt in inner:
                        reduced = self._reduce_optimizer_lr(opt, epoch, f"{opt.name}") or reduced
                else:
                    reduced = self._reduce_optimizer_lr(optimizer, epoch)
                if reduced:
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self):
        """Whether the callback is waiting after a reduction."""
        return self.cooldown_counter > 0
