"""TerminateOnNaN: stops training when the loss becomes NaN or infinite.

Example:
    >>> model.fit(x, y, callbacks=[lamina.callbacks.TerminateOnNaN()])
"""

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.callbacks.monitor_callback import print_msg, to_scalar
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class TerminateOnNaN(Callback):
    """Terminates training when a batch's loss is NaN or Inf.

    The check reads the loss after every batch (one device-to-host transfer per
    batch). By default training stops gracefully (``model.stop_training =
    True``, so ``on_train_end`` still runs); with ``raise_error=True`` a
    ``RuntimeError`` is raised at once.

    Args:
        raise_error: raise instead of stopping gracefully.

    Example:
        >>> callback = lamina.callbacks.TerminateOnNaN()
        >>> model.fit(x, y, callbacks=[callback])
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        loss = logs.get("loss")
        if loss is None:
            return
        loss = to_scalar(loss)
        if np.isnan(loss) or np.isinf(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
