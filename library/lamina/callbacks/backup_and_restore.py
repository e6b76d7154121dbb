"""BackupAndRestore: resumes an interrupted ``fit`` from its last backup.

Example:
    >>> cb = lamina.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    >>> model.fit(x, y, epochs=10, callbacks=[cb])   # rerun after a crash: resumes
"""

import json
import os
import shutil

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class BackupAndRestore(Callback):
    """Backs up the training state and restores it when ``fit`` is run again.

    At the end of every epoch (or every ``save_freq`` batches) the weights go to
    ``backup_dir/latest.weights.h5`` and the epoch to
    ``backup_dir/training_metadata.json``. When ``fit`` starts and a backup
    exists, the weights are loaded and training resumes at the saved epoch.
    After a completed ``fit`` the backup directory is deleted (unless
    ``delete_checkpoint=False``). The model must be built before ``fit`` when a
    backup is to be restored.

    Args:
        backup_dir: the folder for the backup (used by nothing else).
        save_freq: ``"epoch"`` or an int (save every that many batches).
        double_checkpoint: keep the previous backup too (``*.bkp``), used when
            the latest one cannot be read.
        delete_checkpoint: delete the backup when training completes.

    Example:
        >>> callback = lamina.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
        >>> try:
        ...     model.fit(x, y, epochs=10, callbacks=[callback, Interrupt()])
        ... except RuntimeError:
        ...     pass
        >>> history = model.fit(x, y, epochs=10, callbacks=[callback])  # the rest only
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        self.backup_dir = os.fspath(backup_dir)
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )

    def on_train_begin(self, logs=None):
        from lamina.saving.keras_file import InvalidFileError

        try:
            self._load_model()
        except (OSError, InvalidFileError):
            # The latest backup may be corrupted: fall back on the previous one.
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copyfile(self._prev_training_metadata_path,
                                self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load_model()

    def _load_model(self):
        """Loads the backed-up weights and the epoch to resume from."""
        if os.path.exists(self._weights_path):
            if not self.model.built:
                raise ValueError(
                    "To use the BackupAndRestore callback, your model must be built before "
                    f"you call `fit()`. Model {self.model} is unbuilt. You can build it "
                    "beforehand by calling it on a batch of data."
                )
            # Flush any state a compiled step still holds (JAX), so that the loaded
            # values are the ones the next step reads.
            sync = getattr(self.model, "_sync_state", None)
            if sync is not None:
                sync()
            optimizer = self.model.optimizer
            if optimizer is not None and not optimizer.built:
                optimizer.build(self.model.trainable_variables)
            self.model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path) as f:
                metadata = json.loads(f.read())
            self.model._initial_epoch = metadata["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model()

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            shutil.copyfile(self._weights_path, self._prev_weights_path)
        if self.double_checkpoint and os.path.exists(self._training_metadata_path):
            shutil.copyfile(self._training_metadata_path, self._prev_training_metadata_path)
        sync = getattr(self.model, "_sync_state", None)
        if sync is not None:
            sync()
        self.model.save_weights(filepath=self._weights_path, overwrite=True)
        with open(self._training_metadata_path, "w") as f:
            f.write(json.dumps({"epoch": self._current_epoch, "batch": self._last_batch_seen}))

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
