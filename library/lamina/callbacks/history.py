"""History: records the logs of every epoch (``model.fit`` returns it)."""

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class History(Callback):
    """Collects epoch logs into ``history``: ``{"loss": [...], "val_loss": [...]}``.

    Example:
        >>> history = model.fit(x, y, epochs=2)
        >>> history.history["loss"]
        [0.9, 0.5]
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
