"""ProgbarLogger: prints training progress like Keras."""

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export
from lamina.utils.progbar import Progbar, _interactive


@keras_export("keras.callbacks")
class ProgbarLogger(Callback):
    """Shows ``Epoch i/n`` and a progress bar with the running metrics.

    In a terminal the bar updates live with an ETA; elsewhere (files, CI) one
    line is printed per epoch. Metric tensors are read only when a line is
    drawn, so training never waits for the display.

    Example:
        >>> model.fit(x, y, callbacks=[lamina.callbacks.ProgbarLogger()])
    """

    _reads_lazy_logs = True  # reads batch logs only when it redraws

    def __init__(self):
        super().__init__()
        self.progbar = None
        self._pending = None

    def _reset(self, steps):
        verbose = self.params.get("verbose", 1)
        self.progbar = Progbar(target=steps, verbose=verbose, stateful_metrics=None)
        self._seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        epochs = self.params.get("epochs", 1)
        if self.params.get("verbose", 1) and epochs > 1 or self.params.get("verbose", 1) == 1:
            print(f"Epoch {epoch + 1}/{epochs}", flush=True)
        self._reset(self.params.get("steps"))

    def on_train_batch_end(self, batch, logs=None):
        self._batch_update(batch, logs)

    def on_test_begin(self, logs=None):
        if self.params.get("mode") == "test":
            self._reset(self.params.get("steps"))

    def on_test_batch_end(self, batch, logs=None):
        if self.params.get("mode") == "test":
            self._batch_update(batch, logs)

    def on_predict_begin(self, logs=None):
        self._reset(self.params.get("steps"))

    def on_predict_batch_end(self, batch, logs=None):
        self._seen = batch + 1
        if _interactive() and self.progbar is not None:
            self.progbar.update(self._seen)

    def _batch_update(self, batch, logs):
        self._seen = batch + 1
        if self.progbar is None or not _interactive() or self.params.get("verbose") != 1:
            self._pending = logs
            return
        if not self.progbar.due(self._seen):
            self.progbar.update(self._seen)
            return
        # Live bar: the logs are running means already (stateful).
        values = [(k, v) for k, v in (logs or {}).items()]
        self.progbar.stateful_metrics.update(k for k, _ in values)
        self.progbar.update(self._seen, values=values)

    def _finish(self, logs):
        if self.progbar is None:
            return
        values = list((logs or {}).items())
        self.progbar.stateful_metrics.update(k for k, _ in values)
        target = self.progbar.target or self._seen
        self.progbar.target = target
        self.progbar.update(target, values=values, finalize=True)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    def on_test_end(self, logs=None):
        if self.params.get("mode") == "test":
            self._finish(logs)

    def on_predict_end(self, logs=None):
        if self.progbar is not None:
            self.progbar.target = self.progbar.target or self._seen
            self.progbar.update(self.progbar.target, finalize=True)
