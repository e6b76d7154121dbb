"""MonitorCallback: the shared base of callbacks that watch one logged quantity.

EarlyStopping, ReduceLROnPlateau and ModelCheckpoint decide whether a value
"improved" the same way; this module holds that logic (not a public name, as
in Keras).

Example:
    >>> cb = EarlyStopping(monitor="val_accuracy")   # direction inferred: "max"
"""

import logging
import sys
import warnings

import numpy as np

from lamina.callbacks.callback import Callback


def print_msg(message):
    """Prints a callback message (stdout when interactive logging is on, else logging).

    Example:
        >>> print_msg("Epoch 3: early stopping")
    """
    from lamina.backend import config

    if config.is_interactive_logging_enabled():
        sys.stdout.write(message + "\n")
        sys.stdout.flush()
    else:
        logging.info(message)


def to_scalar(value):
    """A logged value as a Python float (backend tensors and NumPy scalars included).

    Arrays with more than one element are returned as NumPy arrays.

    Example:
        >>> to_scalar(np.float32(0.5))
        0.5
    """
    if value is None or isinstance(value, (int, float)):
        return value
    from lamina import ops

    array = np.asarray(ops.convert_to_numpy(value))
    return float(array) if array.size == 1 and array.ndim == 0 else array


def _less(a, b):
    # Keras compares with ops.less/ops.greater on float32 tensors; do the same rounding.
    return bool(np.less(np.float32(a), np.float32(b)))


def _greater(a, b):
    return bool(np.greater(np.float32(a), np.float32(b)))


class MonitorCallback(Callback):
    """Base class of callbacks that monitor a quantity and detect improvements.

    Args:
        monitor: the quantity to monitor (a key of the logs).
        mode: ``"auto"``, ``"min"`` or ``"max"``; ``"auto"`` infers the direction
            from the name (losses go down, accuracy-like metrics go up).
        baseline: the initial "best" value (None: the first value seen).
        min_delta: the smallest change that counts as an improvement.

    Example:
        >>> class PrintBest(MonitorCallback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         if self.monitor_op is None:
        ...             self._set_monitor_op()
        ...         if self._is_improvement(logs[self.monitor], self.best):
        ...             self.best = logs[self.monitor]
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = _less
        elif self.mode == "max":
            self.monitor_op = _greater
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = _less
            for metric in _compiled_metrics(self.model):
                if metric.name == name and hasattr(metric, "_direction"):
                    self.monitor_op = _greater if metric._direction == "up" else _less
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but "
                    "Lamina isn't able to automatically determine whether that metric should "
                    "be maximized or minimized. Pass `mode='max'` in order to monitor based "
                    "on the highest metric value, or pass `mode='min'` in order to use the "
                    "lowest value."
                )
        if self.monitor_op is _less:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        return self.monitor_op(monitor_value - self.min_delta, reference_value)


def _compiled_metrics(model):
    from lamina.trainers.compile_utils import CompileMetrics

    out = []
    for metric in getattr(model, "metrics", None) or []:
        if isinstance(metric, CompileMetrics):
            out.extend(metric.metrics)
    return out
