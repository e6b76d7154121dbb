"""Turns what ``fit``/``evaluate``/``predict`` accept into batches of ``(x, y, sample_weight)``.

Accepted: NumPy arrays, backend tensors, pandas DataFrames and Series, lists and
dicts of those (several inputs or outputs), Python generators,
``lamina.utils.PyDataset``, ``tf.data.Dataset`` and torch ``DataLoader``.

Example:
    >>> adapter = get_data_adapter(np.ones((10, 3)), np.zeros(10), batch_size=4)
    >>> adapter.num_batches
    3
"""

import math
import types

import numpy as np

from lamina import tree


def _is_tensor_like(x):
    return hasattr(x, "shape") and hasattr(x, "dtype")


def _to_array(x):
    module = type(x).__module__
    if module.startswith("pandas"):
        return x.to_numpy()
    return x


def _num_samples(arrays):
    sizes = {int(a.shape[0]) for a in tree.flatten(arrays) if a is not None}
    return sizes


def unpack_x_y_sample_weight(data):
    """Splits a batch into ``(x, y, sample_weight)`` (missing parts are None).

    Example:
        >>> unpack_x_y_sample_weight((x, y))
        (x, y, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be (x,), (x, y) or (x, y, sample_weight); received a tuple of "
        f"{len(data)} elements."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The inverse of :func:`unpack_x_y_sample_weight`.

    Example:
        >>> pack_x_y_sample_weight(x, y)
        (x, y)
    """
    if y is None:
        return x if isinstance(x, tuple) is False else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def class_weights_to_sample_weights(y, class_weight):
    """Per-sample weights from a ``{class: weight}`` dict and labels (ints or one-hot)."""
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = y.reshape(y.shape[0], -1)[:, 0] if y.ndim > 1 else y
        if labels.dtype.kind == "f":
            labels = np.round(labels)
    labels = labels.astype("int64")
    weights = np.ones(labels.shape, dtype="float32")
    for cls, weight in class_weight.items():
        weights[labels == int(cls)] = weight
    return weights


class ArrayDataAdapter:
    """Batches in-memory arrays (NumPy, backend tensors, DataFrames)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                 class_weight=None):
        x, y, sample_weight = (tree.map_structure(_to_array, v) if v is not None else None
                               for v in (x, y, sample_weight))
        for name, value in (("x", x), ("y", y), ("sample_weight", sample_weight)):
            for leaf in tree.flatten(value) if value is not None else []:
                if leaf is not None and not _is_tensor_like(leaf):
                    raise ValueError(
                        f"Unsupported type for {name}: {type(leaf).__name__}. Expected NumPy "
                        "arrays, tensors, DataFrames, or lists/dicts of them."
                    )
        sizes = _num_samples((x, y, sample_weight))
        if len(sizes) > 1:
            raise ValueError(
                "Data cardinality is ambiguous: x, y and sample_weight must all have the same "
                "number of samples (first dimension). Received sizes: "
                + ", ".join(f"{n}={sorted(_num_samples(v))}" for n, v in
                            (("x", x), ("y", y), ("sample_weight", sample_weight)) if v is not None)
            )
        self.num_samples = sizes.pop() if sizes else 0
        if class_weight is not None:
            if y is None or tree.is_nested(y):
                raise ValueError("class_weight needs a single array of targets y.")
            weights = class_weights_to_sample_weights(np.asarray(y), class_weight)
            sample_weight = weights if sample_weight is None else np.asarray(sample_weight) * weights
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        full = math.ceil(self.num_samples / self.batch_size)
        self.num_batches = full if steps is None else min(steps, full) if self.num_samples else steps

    def batches(self):
        n = self.num_samples
        if self.shuffle and self.shuffle != "batch":
            order = np.random.permutation(n)
        else:
            order = None
        for i in range(self.num_batches):
            start = i * self.batch_size
            stop = min(start + self.batch_size, n)
            if start >= n:
                return
            if order is None:
                index = slice(start, stop)
            else:
                index = order[start:stop]
            yield _take((self.x, self.y, self.sample_weight), index)


def _take(structure, index):
    def take(a):
        if a is None:
            return None
        if isinstance(index, slice) or isinstance(a, np.ndarray):
            return a[index]
        from lamina import ops

        return ops.take(a, ops.convert_to_tensor(index), axis=0)

    x, y, sw = structure
    x = tree.map_structure(take, x)
    y = tree.map_structure(take, y) if y is not None else None
    sw = tree.map_structure(take, sw) if sw is not None else None
    if sw is not None:
        return (x, y, sw)
    if y is not None:
        return (x, y)
    return (x,)


class IterableDataAdapter:
    """Batches from generators, PyDataset, tf.data and DataLoader: already batched."""

    def __init__(self, data, steps=None, class_weight=None, kind="generator"):
        self.data = data
        self.kind = kind
        self.class_weight = class_weight
        self.num_batches = steps
        if steps is None and hasattr(data, "__len__") and kind != "generator":
            try:
                self.num_batches = len(data)
            except TypeError:
                self.num_batches = None
        self._used = False

    def batches(self):
        if self.kind == "generator":
            if self._used:
                raise ValueError(
                    "A Python generator can be iterated only once: it ran out after the first "
                    "epoch. Pass steps_per_epoch with an endless generator, or use a PyDataset."
                )
            source = self.data
            self._used = self.num_batches is None
        elif self.kind == "pydataset":
            source = (self.data[i] for i in range(len(self.data)))
        else:
            source = iter(self.data)
        count = 0
        for batch in source:
            if self.num_batches is not None and count >= self.num_batches:
                break
            batch = _standardize_batch(batch, self.kind)
            if self.class_weight is not None:
                x, y, sw = unpack_x_y_sample_weight(batch)
                weights = class_weights_to_sample_weights(np.asarray(y), self.class_weight)
                batch = (x, y, weights if sw is None else np.asarray(sw) * weights)
            yield batch
            count += 1
        if self.kind == "pydataset" and hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()


def _standardize_batch(batch, kind):
    if isinstance(batch, list) and kind in ("dataloader",):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        batch = (batch,)
    if len(batch) > 3:
        raise ValueError(
            f"A {kind} must yield x, (x,), (x, y) or (x, y, sample_weight); it yielded a tuple of "
            f"{len(batch)} elements."
        )
    return tuple(tree.map_structure(_foreign_to_numpy, b) if b is not None else None
                 for b in batch)


def _foreign_to_numpy(x):
    """tf / torch tensors from a foreign pipeline become NumPy (the backend converts later)."""
    module = type(x).__module__
    if module.startswith("tensorflow") or module.startswith("torch"):
        from lamina.backend import config

        backend = config.backend()
        if (backend == "tensorflow" and module.startswith("tensorflow")) or (
                backend == "torch" and module.startswith("torch")):
            return x
        return x.numpy() if hasattr(x, "numpy") else np.asarray(x)
    return _to_array(x)


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                     class_weight=None):
    """Picks the adapter for ``x`` and validates the combination of arguments."""
    from lamina.utils.py_dataset import PyDataset

    module = type(x).__module__
    if isinstance(x, PyDataset):
        _reject_extras("a PyDataset", y, sample_weight)
        return IterableDataAdapter(x, steps, class_weight, kind="pydataset")
    if isinstance(x, types.GeneratorType) or (hasattr(x, "__next__") and not _is_tensor_like(x)):
        _reject_extras("a generator", y, sample_weight)
        return IterableDataAdapter(x, steps, class_weight, kind="generator")
    if module.startswith("tensorflow") and type(x).__name__.endswith("Dataset") or \
            "DatasetV2" in type(x).__name__ or "_ShuffleDataset" in type(x).__name__:
        _reject_extras("a tf.data.Dataset", y, sample_weight)
        return IterableDataAdapter(x, steps, class_weight, kind="tf.data")
    if module.startswith("torch.utils.data"):
        _reject_extras("a torch DataLoader", y, sample_weight)
        return IterableDataAdapter(x, steps, class_weight, kind="dataloader")
    return ArrayDataAdapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight)


def _reject_extras(what, y, sample_weight):
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"When x is {what}, it must yield the targets itself: do not pass y or sample_weight."
        )


def split_validation(x, y, sample_weight, validation_split):
    """Splits the last ``validation_split`` fraction off in-memory arrays."""
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be in (0, 1), received {validation_split}.")
    leaves = [a for a in tree.flatten((x, y, sample_weight)) if a is not None]
    if not leaves or not all(_is_tensor_like(_to_array(a)) for a in leaves):
        raise ValueError(
            "validation_split works only with array or tensor data; with generators, datasets "
            "and PyDataset, pass validation_data instead."
        )
    n = int(_to_array(leaves[0]).shape[0])
    split = int(math.floor(n * (1.0 - validation_split)))
    if split == 0 or split == n:
        raise ValueError(
            f"validation_split={validation_split} leaves no training or no validation samples "
            f"with {n} samples."
        )

    def part(structure, index):
        return tree.map_structure(lambda a: None if a is None else _to_array(a)[index], structure) \
            if structure is not None else None

    train = (part(x, slice(0, split)), part(y, slice(0, split)), part(sample_weight, slice(0, split)))
    val = (part(x, slice(split, n)), part(y, slice(split, n)), part(sample_weight, slice(split, n)))
    return train, val
