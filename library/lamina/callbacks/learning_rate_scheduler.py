"""LearningRateScheduler: sets the learning rate at the start of every epoch.

Example:
    >>> cb = lamina.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.9)
"""

import numpy as np

from lamina.callbacks.monitor_callback import print_msg
from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


def _lr_value(optimizer):
    from lamina import ops

    return float(ops.convert_to_numpy(optimizer.learning_rate))


@keras_export("keras.callbacks")
class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    At the beginning of every epoch, calls ``schedule(epoch, lr)`` (or
    ``schedule(epoch)`` for the old one-argument form) with the epoch index
    (from 0) and the current learning rate, and sets the optimizer's learning
    rate to the result (a float). The learning rate is added to the epoch logs.

    Args:
        schedule: a function ``(epoch, lr) -> new_lr``.
        verbose: 0 (quiet) or 1 (a message every epoch).

    Example:
        >>> def scheduler(epoch, lr):
        ...     return lr if epoch < 10 else lr * float(np.exp(-0.1))
        >>> callback = lamina.callbacks.LearningRateScheduler(scheduler)
        >>> model.fit(x, y, epochs=15, callbacks=[callback], verbose=0)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, _lr_value(optimizer))
        except TypeError:  # the old API: schedule(epoch)
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate}"
            )
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        inner = getattr(self.model.optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                learning_rate = self._update_optimizer_lr(opt, epoch)
                if self.verbose > 0:
                    print_msg(
                        f"\nEpoch {epoch + 1}: LearningRateScheduler setting {opt.name} "
                        f"learning rate to {learning_rate}."
                    )
        else:
            learning_rate = self._update_optimizer_lr(self.model.optimizer, epoch)
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                    f"{learning_rate}."
                )

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        inner = getattr(self.model.optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                logs[f"learning_rate_{opt.name}"] = _lr_value(opt)
        else:
            logs["learning_rate"] = _lr_value(self.model.optimizer)
