"""CSVLogger: streams the epoch logs to a CSV file.

Example:
    >>> model.fit(x, y, epochs=5, callbacks=[lamina.callbacks.CSVLogger("training.log")])
"""

import collections
import collections.abc
import csv
import os

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.saving.object_registry import keras_export


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (
            isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


@keras_export("keras.callbacks")
class CSVLogger(Callback):
    """Writes one CSV row per epoch: ``epoch`` then the logs, keys sorted.

    The header is written from the first epoch's keys; when no ``val_`` key is
    present, ``val_<key>`` columns are added too (filled with ``NA`` when
    missing), as Keras does. One-dimensional values (arrays) are written as
    ``"[a, b, ...]"``. Rows use the ``excel`` dialect (``\\r\\n`` line ends).

    Args:
        filename: the CSV file, e.g. ``"run/log.csv"``.
        separator: the string that separates the cells.
        append: append to an existing file (no second header) instead of
            overwriting it.

    Example:
        >>> csv_logger = lamina.callbacks.CSVLogger("training.log")
        >>> model.fit(x, y, callbacks=[csv_logger])
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode)
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend([f"val_{k}" for k in self.keys])
        if not self.writer:
            class _Dialect(csv.excel):
                delimiter = self.sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + (self.keys or []),
                                         dialect=_Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
