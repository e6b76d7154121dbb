"""ModelCheckpoint: saves the model (or its weights) during training.

Example:
    >>> cb = lamina.callbacks.ModelCheckpoint("ckpt/{epoch:02d}-{val_loss:.2f}.keras")
"""

import os
import re
import warnings

import numpy as np

from lamina.callbacks.monitor_callback import MonitorCallback, print_msg, to_scalar
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights at some frequency.

    ``filepath`` may hold format fields filled with ``epoch`` (from 1), ``batch``
    (from 1, batch-level saves) and the logs' keys, e.g.
    ``"{epoch:02d}-{val_loss:.2f}.keras"``. With ``save_weights_only=True`` the
    file must end in ``.weights.h5`` (``model.save_weights``), else in ``.keras``
    or ``.h5`` (``model.save``).

    Args:
        filepath: the file to save to (a string or ``PathLike``), with optional
            format fields.
        monitor: the quantity compared when ``save_best_only=True``.
        verbose: 0 (silent) or 1 (a message when the callback acts).
        save_best_only: save only when the monitored quantity improves.
        save_weights_only: save only the weights.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        save_freq: ``"epoch"``, or an int: save every that many batches.
        initial_value_threshold: the initial "best" value (``save_best_only``).

    Example:
        >>> checkpoint = lamina.callbacks.ModelCheckpoint(
        ...     "best.weights.h5", monitor="val_accuracy", mode="max",
        ...     save_best_only=True, save_weights_only=True)
        >>> model.fit(x, y, epochs=10, validation_split=0.2, callbacks=[checkpoint])
        >>> model.load_weights("best.weights.h5")
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0
        if self.save_freq != "epoch" and not isinstance(self.save_freq, int):
            raise ValueError(
                f"Unrecognized save_freq: {self.save_freq}. Expected save_freq are 'epoch' or "
                "integer values"
            )
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format). Received: "
                f"filepath={self.filepath}"
            )

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch):
        """Counts batches (``steps_per_execution`` aware) and says when to save."""
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch; batches count from 0
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch, batch, logs, filepath):
        logs = logs or {}
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = to_scalar(logs.get(self.monitor))
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.",
                          stacklevel=2)
            return True
        if isinstance(current, np.ndarray) and current.ndim > 0:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: "
                f"{current}. Falling back to `save_best_only=False`."
            )
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        best_str = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_str} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_str}")
        return False

    def _save_model(self, epoch, batch, logs):
        filepath = self._get_file_path(epoch, batch, logs)
        try:
            if not self._should_save_model(epoch, batch, logs, filepath):
                return
            dirname = os.path.dirname(filepath)
            if dirname and not os.path.exists(dirname):
                os.makedirs(dirname, exist_ok=True)
            # Mid-epoch on JAX the newest weights live in the compiled step's state.
            sync = getattr(self.model, "_sync_state", None)
            if sync is not None:
                sync()
            if self.save_weights_only:
                self.model.save_weights(filepath, overwrite=True)
            else:
                self.model.save(filepath, overwrite=True)
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")
        except IsADirectoryError:
            raise IOError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is "
                f"an existing directory: {filepath}"
            )

    def _get_file_path(self, epoch, batch, logs):
        """``filepath`` formatted with the epoch (from 1), the batch and the logs."""
        logs = {key: to_scalar(value) for key, value in (logs or {}).items()}
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}'
            )

    def _checkpoint_exists(self, filepath):
        return os.path.exists(filepath)

    def _get_most_recently_modified_file_matching_pattern(self, pattern):
        """The newest file matching ``pattern`` (format fields match anything).

        Ties on modification time go to the largest name; None when nothing matches.
        """
        dir_name = os.path.dirname(pattern)
        base_name = os.path.basename(pattern)
        regex = f"^{re.sub(r'{.*}', r'.*', base_name)}$"
        latest_time, latest_path, n_latest, largest_name = 0, None, 0, None
        if os.path.exists(dir_name):
            for file_name in os.listdir(dir_name):
                if not re.match(regex, file_name):
                    continue
                path = os.path.join(dir_name, file_name)
                mod_time = os.path.getmtime(path)
                if largest_name is None or path > largest_name:
                    largest_name = path
                if mod_time > latest_time:
                    latest_time, latest_path, n_latest = mod_time, path, 1
                elif mod_time == latest_time:
                    n_latest += 1
        return latest_path if n_latest == 1 else largest_name
