"""EarlyStopping: stops training when a monitored quantity stops improving.

Example:
    >>> cb = lamina.callbacks.EarlyStopping(monitor="loss", patience=3)
    >>> model.fit(x, y, epochs=100, callbacks=[cb])
"""

import warnings

from lamina.callbacks.monitor_callback import MonitorCallback, print_msg, to_scalar
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    At the end of every epoch the monitored value is compared with the best so
    far; after ``patience`` epochs without an improvement of more than
    ``min_delta``, ``model.stop_training`` is set.

    Args:
        monitor: the quantity to monitor. Defaults to ``"val_loss"``.
        min_delta: the smallest absolute change that counts as an improvement.
        patience: epochs without improvement after which training stops.
        verbose: 0 (silent) or 1 (prints a message when the callback acts).
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        baseline: training stops if the model does not improve on this value
            within ``patience`` epochs.
        restore_best_weights: at the end of training, set the weights from the
            epoch with the best monitored value.
        start_from_epoch: epochs of warm-up before monitoring starts.

    Example:
        >>> callback = lamina.callbacks.EarlyStopping(monitor="loss", patience=3)
        >>> history = model.fit(x, y, epochs=10, callbacks=[callback], verbose=0)
        >>> len(history.history["loss"])  # fewer than 10 if the loss stalled
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        # The same instance may be used for several fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Nothing recorded yet: the current weights are the best so far.
            self.best_weights = _snapshot(self.model)
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = _snapshot(self.model)
            # The wait restarts only when both the baseline and the best are beaten.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """The monitored value in ``logs`` (None, with a warning, when it is missing)."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return to_scalar(value)


def _snapshot(model):
    # Copies: on some backends get_weights() returns views of the live storage.
    import numpy as np

    return [np.array(w, copy=True) for w in model.get_weights()]
