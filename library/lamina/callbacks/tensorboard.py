"""TensorBoard: writes training logs that TensorBoard displays.

Lamina writes the event files itself, in pure Python (``_tfevents``), so the
callback needs neither TensorFlow nor the ``tensorboard`` package; point
``tensorboard --logdir`` at ``log_dir`` to view them.

Example:
    >>> cb = lamina.callbacks.TensorBoard(log_dir="./logs", histogram_freq=1)
    >>> model.fit(x, y, epochs=5, validation_split=0.2, callbacks=[cb])
"""

import os
import time
import warnings

from lamina.callbacks._tfevents import EventFileWriter
from lamina.callbacks.callback import Callback
from lamina.callbacks.monitor_callback import to_scalar
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class TensorBoard(Callback):
    """Logs scalars, weight histograms and the model's config for TensorBoard.

    Written to ``log_dir/train`` and ``log_dir/validation`` as TF2 event files
    (the same tags as Keras): ``epoch_<metric>`` at every epoch (step = epoch,
    ``epoch_learning_rate`` included), ``batch_<metric>`` every ``update_freq``
    batches when ``update_freq`` is an int, ``evaluation_<metric>_vs_iterations``
    after each evaluation (step = optimizer iterations), weight histograms
    (``<weight path>/histogram``) every ``histogram_freq`` epochs and the model's
    JSON config (tag ``keras``) for Sequential and Functional models.

    Differences from Keras: ``write_images`` (weights as images) and profiling
    (``profile_batch``) are not supported (a warning is given and they are
    ignored), and no op graph is written (the conceptual Keras-model graph is).

    Args:
        log_dir: the folder the logs go to.
        histogram_freq: epochs between weight histograms (0: none).
        write_graph: write the model's config (the conceptual graph).
        write_images: not supported (warns).
        write_steps_per_second: log the training steps per second.
        update_freq: ``"epoch"``, ``"batch"`` or an int (write the batch metrics
            every that many batches).
        profile_batch: not supported; must be 0 or it is ignored with a warning.
        embeddings_freq: epochs between saves of the weights for the projector.
        embeddings_metadata: a metadata file name for the projector, or a dict
            ``{embedding layer name: file name}``.

    Example:
        >>> tensorboard_callback = lamina.callbacks.TensorBoard(log_dir="./logs")
        >>> model.fit(x_train, y_train, epochs=2, callbacks=[tensorboard_callback])
        >>> # then: tensorboard --logdir ./logs
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if self.update_freq != "epoch" and (not isinstance(self.update_freq, int)
                                            or self.update_freq < 1):
            raise ValueError(
                "update_freq must be 'epoch', 'batch' or a positive int, received "
                f"{update_freq!r}."
            )
        self._init_profile_batch(profile_batch)
        if profile_batch:
            warnings.warn(
                "Profiling is not available in lamina's TensorBoard callback; "
                f"profile_batch={profile_batch!r} is ignored.",
                stacklevel=2,
            )
        if write_images:
            warnings.warn(
                "write_images is not supported by lamina's TensorBoard callback and is "
                "ignored.",
                stacklevel=2,
            )
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._batch_start_time = 0
        self._epoch_start_time = 0
        self._writers = {}

    def _init_profile_batch(self, profile_batch):
        message = (
            "profile_batch must be a non-negative integer or 2-tuple of positive integers. A "
            "pair of positive integers signifies a range of batches to profile. Found: "
            f"{profile_batch}"
        )
        if isinstance(profile_batch, str):
            try:
                profile_batch = [int(p) for p in profile_batch.split(",")]
            except ValueError:
                raise ValueError(message) from None
            if len(profile_batch) == 1:
                profile_batch = profile_batch[0]
        if isinstance(profile_batch, int) and not isinstance(profile_batch, bool):
            start, stop = profile_batch, profile_batch
        elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
            start, stop = profile_batch
        else:
            raise ValueError(message)
        if start < 0 or stop < start:
            raise ValueError(message)
        self._start_batch, self._stop_batch = start, stop

    # -- writers -------------------------------------------------------------------------
    def set_model(self, model):
        self._model = model
        self._log_write_dir = self.log_dir
        self._train_dir = os.path.join(self._log_write_dir, "train")
        self._val_dir = os.path.join(self._log_write_dir, "validation")
        self._close_writers()
        self._writers = {}
        if self.write_graph:
            self._write_keras_model_summary()
        if self.embeddings_freq:
            self._configure_embeddings()

    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = EventFileWriter(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = EventFileWriter(self._val_dir)
        return self._writers["val"]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    def _write_keras_model_summary(self):
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            json_string = self.model.to_json()
        except Exception as exc:  # noqa: BLE001 - a model that cannot serialize is skipped
            warnings.warn(f"Model failed to serialize as JSON. Ignoring... {exc}")
            return
        self._train_writer.add_text("keras", json_string, step=0,
                                    plugin_name="graph_keras_model", content=b"1")
        self._train_writer.flush()

    def _configure_embeddings(self):
        from lamina.layers import Embedding

        entries = []
        metadata = self.embeddings_metadata
        if isinstance(metadata, dict):
            metadata = dict(metadata)
        for layer in getattr(self.model, "layers", []):
            if isinstance(layer, Embedding):
                entry = ['  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/'
                         'VARIABLE_VALUE"']
                if isinstance(metadata, str):
                    entry.append(f'  metadata_path: "{metadata}"')
                elif metadata and layer.name in metadata:
                    entry.append(f'  metadata_path: "{metadata.pop(layer.name)}"')
                entries.append("embeddings {\n" + "\n".join(entry) + "\n}\n")
        if metadata and not isinstance(metadata, str):
            raise ValueError(
                "Unrecognized `Embedding` layer names passed to "
                "`lamina.callbacks.TensorBoard` `embeddings_metadata` argument: "
                f"{metadata.keys()}"
            )
        os.makedirs(self._log_write_dir, exist_ok=True)
        with open(os.path.join(self._log_write_dir, "projector_config.pbtxt"), "w") as f:
            f.write("".join(entries))

    # -- hooks ---------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_test_end(self, logs=None):
        optimizer = self.model.optimizer
        if optimizer is not None and hasattr(optimizer, "iterations") and logs:
            step = int(to_scalar(optimizer.iterations))
            for name, value in logs.items():
                value = to_scalar(value)
                if isinstance(value, float):
                    self._val_writer.add_scalar(f"evaluation_{name}_vs_iterations", value, step)
            self._val_writer.flush()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq != 0:
            return
        step = self._global_train_batch
        if self.write_steps_per_second:
            elapsed = time.time() - self._batch_start_time
            self._train_writer.add_scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-12),
                                          step)
        if isinstance(logs, dict):
            for name, value in logs.items():
                value = to_scalar(value)
                if isinstance(value, float):
                    self._train_writer.add_scalar(f"batch_{name}", value, step)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(to_scalar(self.model.optimizer.iterations))
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)

    # -- writing -------------------------------------------------------------------------
    def _collect_learning_rate(self, logs):
        from lamina.optimizers.optimizer import Optimizer

        optimizer = self.model.optimizer
        if hasattr(optimizer, "inner_optimizer"):
            optimizer = optimizer.inner_optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                logs[f"learning_rate_{opt.name}"] = float(to_scalar(opt.learning_rate))
        elif isinstance(optimizer, Optimizer):
            logs["learning_rate"] = float(to_scalar(optimizer.learning_rate))
        return logs

    def _compute_steps_per_second(self):
        iterations = float(to_scalar(self.model.optimizer.iterations))
        elapsed = time.time() - self._epoch_start_time
        return float((iterations - self._previous_epoch_iterations) / max(elapsed, 1e-12))

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            train_logs["steps_per_second"] = self._compute_steps_per_second()
        for writer, items, strip in ((self._train_writer, train_logs, 0),
                                     (self._val_writer, val_logs, 4)):
            if not items:
                continue
            for name, value in items.items():
                value = to_scalar(value)
                if isinstance(value, float):
                    writer.add_scalar(f"epoch_{name[strip:]}", value, epoch)
            writer.flush()

    def _log_weights(self, epoch):
        writer = self._train_writer
        for layer in getattr(self.model, "layers", []):
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                writer.add_histogram(f"{name}/histogram", weight.numpy(), epoch)
        writer.flush()

    def _log_embeddings(self, epoch):
        path = os.path.join(self._log_write_dir, "train",
                            f"keras_embedding.ckpt-{epoch}.weights.h5")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.model.save_weights(path)
