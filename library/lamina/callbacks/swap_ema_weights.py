"""SwapEMAWeights: evaluates (and optionally checkpoints) with the optimizer's EMA weights.

Example:
    >>> model.compile(optimizer=lamina.optimizers.SGD(use_ema=True), loss="mse")
    >>> model.fit(x, y, validation_split=0.2, callbacks=[lamina.callbacks.SwapEMAWeights()])
"""

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class SwapEMAWeights(Callback):
    """Swaps the model's weights with the optimizer's EMA weights around evaluation.

    Before evaluation (and prediction) the trainable variables take the values of
    the optimizer's exponential moving averages ("Polyak averaging"); afterwards
    the training values come back. The swap is done in place. Use it with an
    optimizer created with ``use_ema=True``; any other optimizer raises a
    ``ValueError`` at the first swap.

    Args:
        swap_on_epoch: also swap at ``on_epoch_end`` (and back at
            ``on_epoch_begin``), so that callbacks placed after this one (e.g.
            ``ModelCheckpoint``) see the EMA weights.

    Example:
        >>> optimizer = lamina.optimizers.SGD(use_ema=True)
        >>> model.compile(optimizer=optimizer, loss="mse")
        >>> model.fit(x, y, callbacks=[lamina.callbacks.SwapEMAWeights(swap_on_epoch=True),
        ...                           lamina.callbacks.ModelCheckpoint("ema.keras")])
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    @staticmethod
    def _swap(optimizer):
        for var, average in zip(optimizer._trainable_variables,
                                optimizer._model_variables_moving_average):
            if average is None:
                continue
            current = np.array(var.numpy(), copy=True)  # numpy() may be a view (torch)
            var.assign(average)
            average.assign(current)

    @staticmethod
    def _finalize(optimizer):
        for var, average in zip(optimizer._trainable_variables,
                                optimizer._model_variables_moving_average):
            if average is not None:
                average.assign(var)

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        if hasattr(optimizer, "inner_optimizer"):  # LossScaleOptimizer
            optimizer = optimizer.inner_optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            chosen = [opt for opt in inner if getattr(opt, "use_ema", False)]
            if not chosen:
                raise ValueError(
                    "SwapEMAWeights must be used when at least one inner optimizer has "
                    "`use_ema=True` set. Received a MultiOptimizer with all inner optimizers "
                    "having `use_ema=False`."
                )
        else:
            chosen = [optimizer]
        for opt in chosen:
            if not getattr(opt, "use_ema", False) or not hasattr(
                    opt, "_model_variables_moving_average"):
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                    f"Received: use_ema={getattr(opt, 'use_ema', None)}"
                )
        return chosen

    def _swap_variables(self):
        for opt in self._ema_optimizers():
            self._swap(opt)

    def _finalize_ema_values(self):
        for opt in self._ema_optimizers():
            self._finalize(opt)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            # At the end of fit, finalize_variable_values copies the averages into the
            # model: make the averages hold the EMA values again (they hold the
            # training values after the swap).
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        # (Keras 3.15 tests `not self._ema_weights_in_model` here and so leaves the EMA
        # weights in the model after predict(); lamina swaps the training weights back.)
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False
