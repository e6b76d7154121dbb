"""Step logs computed on first use.

On PyTorch every metric result is a few eager tensor ops; most steps nobody reads
them (no progress bar, or one that redraws a few times a second), so the default
``train_step`` returns a :class:`LazyLogs` that computes the results only when a
callback looks at them.
"""


class LazyLogs(dict):
    """A dict of metric results filled by ``compute()`` on first read.

    Example:
        >>> logs = LazyLogs(model.get_metrics_result)
        >>> logs["loss"]  # computed now
    """

    __slots__ = ("_compute",)

    def __init__(self, compute):
        super().__init__()
        self._compute = compute

    def _fill(self):
        if self._compute is not None:
            compute, self._compute = self._compute, None
            dict.update(self, compute())
        return self

    def __getitem__(self, key):
        return dict.__getitem__(self._fill(), key)

    def __iter__(self):
        return dict.__iter__(self._fill())

    def __len__(self):
        return dict.__len__(self._fill())

    def __contains__(self, key):
        return dict.__contains__(self._fill(), key)

    def __repr__(self):
        return dict.__repr__(self._fill())

    def __eq__(self, other):
        return dict.__eq__(self._fill(), other)

    __hash__ = None

    def __reduce__(self):
        return dict, (dict(self._fill()),)

    def get(self, key, default=None):
        return dict.get(self._fill(), key, default)

    def keys(self):
        return dict.keys(self._fill())

    def values(self):
        return dict.values(self._fill())

    def items(self):
        return dict.items(self._fill())

    def copy(self):
        return dict(self._fill())

    def update(self, *args, **kwargs):
        dict.update(self._fill(), *args, **kwargs)

    def __setitem__(self, key, value):
        dict.__setitem__(self._fill(), key, value)

    def __delitem__(self, key):
        dict.__delitem__(self._fill(), key)

    def pop(self, *args):
        return dict.pop(self._fill(), *args)

    def setdefault(self, key, default=None):
        return dict.setdefault(self._fill(), key, default)

    def __or__(self, other):
        return dict(self._fill()) | other
