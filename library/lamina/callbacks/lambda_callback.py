"""LambdaCallback: a callback built from plain functions.

Example:
    >>> cb = lamina.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch))
"""

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


@keras_export("keras.callbacks")
class LambdaCallback(Callback):
    """A callback whose hooks are the functions you pass.

    The functions take the same positional arguments as the hooks they replace:
    ``on_epoch_begin``/``on_epoch_end`` get ``(epoch, logs)``,
    ``on_train_begin``/``on_train_end`` get ``(logs)``,
    ``on_train_batch_begin``/``on_train_batch_end`` get ``(batch, logs)``.
    Any other hook of :class:`Callback` can be given as a keyword argument
    (``on_test_end=fn``, ``on_predict_batch_end=fn``...).

    Args:
        on_epoch_begin: called at the start of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_train_begin: called when training starts.
        on_train_end: called when training ends.
        on_train_batch_begin: called before every training batch.
        on_train_batch_end: called after every training batch.
        **kwargs: other hooks, by name.

    Example:
        >>> batch_print_callback = lamina.callbacks.LambdaCallback(
        ...     on_train_batch_begin=lambda batch, logs: print(batch))
        >>> model.fit(x, y, callbacks=[batch_print_callback])
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {
            "on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin, "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
