"""``lamina.callbacks``: hooks into training (history, progress, early stopping, checkpoints...).

Example:
    >>> model.fit(x, y, epochs=50, callbacks=[lamina.callbacks.EarlyStopping(patience=3)])
"""

from lamina.callbacks.callback import Callback  # noqa: F401
from lamina.callbacks.callback_list import CallbackList  # noqa: F401
from lamina.callbacks.history import History  # noqa: F401
from lamina.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
