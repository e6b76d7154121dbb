"""CallbackList: dispatches every hook to a list of callbacks.

Example:
    >>> callbacks = CallbackList([EarlyStopping()], add_history=True, model=model)
"""

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export
from lamina.trainers.metric_logs import LazyLogs


@keras_export("keras.callbacks")
class CallbackList(Callback):
    """Holds the callbacks of one ``fit``/``evaluate``/``predict`` run.

    Args:
        callbacks: the user's callbacks.
        add_history: append a History callback (fit).
        add_progbar: append a progress bar.
        model: the model.
        **params: ``epochs``, ``steps``, ``verbose``...

    Example:
        >>> callbacks = lamina.callbacks.CallbackList([MyCallback()], model=model, epochs=1, verbose=0)
        >>> callbacks.on_train_begin()
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        from lamina.callbacks.history import History
        from lamina.callbacks.progbar_logger import ProgbarLogger

        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    f"callbacks must be lamina.callbacks.Callback instances, received "
                    f"{type(cb).__name__}: {cb!r}."
                )
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        self._history = None
        if add_history:
            existing = [cb for cb in self.callbacks if isinstance(cb, History)]
            self._history = existing[0] if existing else History()
            if not existing:
                self.callbacks.append(self._history)
        params.setdefault("verbose", 1)
        self.set_params(params)
        if model is not None:
            self.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    def _dispatch(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(*args)


def _reads_lazily(callback, hook):
    """True when ``callback`` either ignores ``hook`` or knows LazyLogs (lamina's own)."""
    return getattr(callback, "_reads_lazy_logs", False) or \
        getattr(type(callback), hook) is getattr(Callback, hook)


def _hook(name):
    # Like Keras, every hook receives logs (``{}`` when there are none): positionally for
    # the epoch/begin/end hooks, as ``logs=`` for the batch hooks.
    batch_hook = "batch" in name
    n_args = 2 if batch_hook or "epoch" in name else 1

    def method(self, *args, **kwargs):
        if "logs" in kwargs:
            args = args + (kwargs.pop("logs"),)
        args = args + (None,) * (n_args - len(args))
        head, logs = args[:-1], args[-1]
        if logs is None:
            logs = {}
        if batch_hook:
            plain = None
            for cb in self.callbacks:
                if isinstance(logs, LazyLogs) and not _reads_lazily(cb, name):
                    # A user's callback gets a plain dict: the results are computed now.
                    plain = dict(logs) if plain is None else plain
                    getattr(cb, name)(*head, logs=plain)
                else:
                    getattr(cb, name)(*head, logs=logs)
        else:
            for cb in self.callbacks:
                getattr(cb, name)(*head, logs)

    method.__name__ = name
    return method


for _name in ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end",
              "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
              "on_predict_batch_end", "on_train_begin", "on_train_end", "on_test_begin",
              "on_test_end", "on_predict_begin", "on_predict_end"):
    setattr(CallbackList, _name, _hook(_name))
