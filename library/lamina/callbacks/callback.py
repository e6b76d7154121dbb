"""The Callback base class: hooks called during fit, evaluate and predict.

Example:
    >>> class PrintLoss(lamina.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(epoch, logs["loss"])
"""

from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class Callback:
    """Base class of callbacks; override the hooks you need.

    ``self.model`` is the model being trained and ``self.params`` holds
    ``epochs``, ``steps`` and ``verbose``.

    Example:
        >>> class PrintLoss(lamina.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(epoch, logs["loss"])
        >>> model.fit(x, y, epochs=2, callbacks=[PrintLoss()])
    """

    def __init__(self):
        self.params = {}
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """A backwards-compatible alias of ``on_train_batch_begin``."""

    def on_batch_end(self, batch, logs=None):
        """A backwards-compatible alias of ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with its logs (``val_`` entries included)."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before a batch in ``evaluate``."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after a batch in ``evaluate``."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a batch in ``predict``."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a batch in ``predict``."""

    def on_train_begin(self, logs=None):
        """Called when ``fit`` starts."""

    def on_train_end(self, logs=None):
        """Called when ``fit`` ends."""

    def on_test_begin(self, logs=None):
        """Called when ``evaluate`` starts."""

    def on_test_end(self, logs=None):
        """Called when ``evaluate`` ends."""

    def on_predict_begin(self, logs=None):
        """Called when ``predict`` starts."""

    def on_predict_end(self, logs=None):
        """Called when ``predict`` ends."""
