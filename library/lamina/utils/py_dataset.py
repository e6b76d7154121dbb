"""PyDataset: a Python object that serves batches by index.

Example:
    >>> class Batches(lamina.utils.PyDataset):
    ...     def __init__(self, x, y, batch_size):
    ...         super().__init__()
    ...         self.x, self.y, self.batch_size = x, y, batch_size
    ...     def __len__(self):
    ...         return -(-len(self.x) // self.batch_size)
    ...     def __getitem__(self, i):
    ...         s = slice(i * self.batch_size, (i + 1) * self.batch_size)
    ...         return self.x[s], self.y[s]
"""


class PyDataset:
    """Base class of datasets that return batch ``i`` from ``__getitem__(i)``.

    Subclasses implement ``__len__`` (the number of batches) and
    ``__getitem__``; ``on_epoch_end`` runs after each epoch (to reshuffle, say).

    Args:
        workers: kept for Keras compatibility (batches are served in-process).
        use_multiprocessing: kept for Keras compatibility.
        max_queue_size: kept for Keras compatibility.

    Example:
        >>> class Batches(lamina.utils.PyDataset):
        ...     def __init__(self, x, y, batch_size):
        ...         super().__init__()
        ...         self.x, self.y, self.batch_size = x, y, batch_size
        ...     def __len__(self):
        ...         return -(-len(self.x) // self.batch_size)
        ...     def __getitem__(self, i):
        ...         batch = slice(i * self.batch_size, (i + 1) * self.batch_size)
        ...         return self.x[batch], self.y[batch]
        >>> model.fit(Batches(x, y, 32), epochs=2)
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return self._workers

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @property
    def max_queue_size(self):
        return self._max_queue_size

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index).")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__().")

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_end(self):
        """Called after each epoch; override to reshuffle."""


Sequence = PyDataset
