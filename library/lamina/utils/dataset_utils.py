"""Datasets for ``lamina.utils``: ``split_dataset``, the PyDataset fallback, folder indexing.

The ``*_dataset_from_*`` helpers and ``split_dataset`` return what Keras 3 returns: a
``tf.data.Dataset`` whenever TensorFlow is importable (on every backend, as Keras does; lamina's
trainers accept tf.data on jax, torch and numpy too). Without TensorFlow they return an
:class:`ArrayDataset`, a ``lamina.utils.PyDataset`` serving NumPy batches.

Example:
    >>> left, right = lamina.utils.split_dataset(np.arange(10.0), left_size=0.8)
"""

import importlib
import importlib.util
import os
import random

import numpy as np

from lamina import tree
from lamina.saving.object_registry import keras_export
from lamina.utils.py_dataset import PyDataset


def tf_data():
    """The tf.data helper module when TensorFlow is importable, else None."""
    if importlib.util.find_spec("tensorflow") is None:
        return None
    return importlib.import_module("lamina.backend.tensorflow.data")


class ArrayDataset(PyDataset):
    """A PyDataset of NumPy batches: either slices of arrays or samples made by a loader.

    Args:
        data: a structure (tuple, dict or single array) of arrays with the same first axis.
        batch_size: samples per batch; ``None`` serves single samples.
        shuffle: reshuffle the order after each epoch.
        seed: seed of the shuffling.
        loader: optional function turning the ``data`` slice of one batch into the batch.

    Example:
        >>> ds = lamina.utils.dataset_utils.ArrayDataset((np.zeros((5, 2)), np.arange(5)), 2)
        >>> len(ds), ds[2][0].shape
        (3, (1, 2))
    """

    def __init__(self, data, batch_size=None, shuffle=False, seed=None, loader=None):
        super().__init__()
        if isinstance(data, list):
            data = tuple(data)
        self.data = tree.map_structure(np.asarray, data)
        lengths = {len(a) for a in tree.flatten(self.data)}
        if len(lengths) != 1:
            raise ValueError(f"ArrayDataset expected arrays of one length, received lengths {sorted(lengths)}.")
        self.num_samples = lengths.pop()
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._rng = np.random.default_rng(seed)
        self.loader = loader
        self._order = np.arange(self.num_samples)
        if shuffle:
            self._rng.shuffle(self._order)

    def __len__(self):
        if self.batch_size is None:
            return self.num_samples
        return -(-self.num_samples // self.batch_size)

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"ArrayDataset has {len(self)} batches, received index {index}.")
        if self.batch_size is None:
            picked = self._order[index:index + 1]
        else:
            picked = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        batch = tree.map_structure(lambda a: a[picked], self.data)
        if self.loader is not None:
            batch = self.loader(batch)
        if self.batch_size is None:
            batch = tree.map_structure(lambda a: a[0], batch)
        return batch

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def on_epoch_end(self):
        if self.shuffle:
            self._rng.shuffle(self._order)


def make_dataset(data, batch_size=None, shuffle=False, seed=None):
    """tf.data from arrays when TensorFlow is importable, else an :class:`ArrayDataset`."""
    module = tf_data()
    if module is not None:
        return module.from_arrays(data, batch_size=batch_size, shuffle=shuffle, seed=seed)
    return ArrayDataset(data, batch_size=batch_size, shuffle=shuffle, seed=seed)


def _is_tf_dataset(x):
    return any(c.__module__.startswith("tensorflow") and c.__name__.endswith("DatasetV2")
               for c in type(x).__mro__)


def _is_torch_dataset(x):
    return any(c.__module__.startswith("torch.utils.data") and c.__name__ == "Dataset"
               for c in type(x).__mro__)


def _samples(dataset):
    """The dataset as a list of samples (each a structure of NumPy arrays)."""
    if isinstance(dataset, np.ndarray):
        return list(dataset)
    if isinstance(dataset, (list, tuple)):
        arrays = [np.asarray(a) for a in dataset]
        lengths = {len(a) for a in arrays}
        if len(lengths) != 1:
            raise ValueError(f"split_dataset expected arrays of one length, received lengths "
                             f"{[len(a) for a in arrays]}.")
        return [tuple(a[i] for a in arrays) for i in range(lengths.pop())]
    if _is_tf_dataset(dataset):
        batched = hasattr(dataset, "_batch_size")
        items = list(dataset.as_numpy_iterator())
        if batched:
            items = [s for batch in items for s in _unbatch(batch)]
        return items
    if _is_torch_dataset(dataset) or hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__"):
        return [tree.map_structure(lambda t: np.asarray(t), dataset[i]) for i in range(len(dataset))]
    raise TypeError(f"split_dataset expected a tf.data.Dataset, a torch Dataset, a NumPy array or a "
                    f"list/tuple of arrays, received {type(dataset).__name__}.")


def _unbatch(batch):
    flat = tree.flatten(batch)
    return [tree.pack_sequence_as(batch, [a[i] for a in flat]) for i in range(len(flat[0]))]


def _split_sizes(left_size, right_size, total):
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and (isinstance(size, bool) or not isinstance(size, (int, float))):
            raise TypeError(f"split_dataset expected `{name}` to be an int, a float or None, "
                            f"received {type(size).__name__}: {size!r}.")
        if isinstance(size, int) and not 0 < size < total or isinstance(size, float) and not 0 < size < 1:
            raise ValueError(f"split_dataset expected `{name}` to be a positive integer smaller than "
                             f"{total} or a float in (0, 1), received {name}={size}.")
    if left_size is None and right_size is None:
        raise ValueError("split_dataset needs `left_size` or `right_size`; both were None.")
    if isinstance(left_size, float) and isinstance(right_size, float) and left_size + right_size > 1:
        raise ValueError(f"split_dataset: left_size + right_size is greater than 1 "
                         f"({left_size} + {right_size}).")
    left = round(left_size * total) if isinstance(left_size, float) else left_size
    right = round(right_size * total) if isinstance(right_size, float) else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"split_dataset: left_size + right_size = {left + right} is more than the "
                         f"{total} samples.")
    if left == 0 or right == 0:
        raise ValueError(f"split_dataset: with {total} samples, left_size={left_size} and "
                         f"right_size={right_size} leave one side empty.")
    return int(left), int(right)


def _restack(samples):
    first = samples[0]
    flat = [tree.flatten(s) for s in samples]
    stacked = [np.stack(column) for column in zip(*flat)]
    packed = tree.pack_sequence_as(first, stacked)
    return tuple(packed) if isinstance(packed, list) else packed


@keras_export("keras.utils")
def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None,
                  preferred_backend=None):
    """Splits a dataset into a left and a right part (train/test, say).

    Returns two ``tf.data.Dataset`` objects when TensorFlow is importable (batched as the input
    was, when the input is a batched tf.data.Dataset), otherwise two :class:`ArrayDataset`
    objects. ``preferred_backend`` is accepted for Keras compatibility; the torch
    ``Subset`` outputs of Keras's torch path are not produced.

    Args:
        dataset: a tf.data.Dataset, a torch Dataset (any object with ``__len__`` and
            ``__getitem__``), a NumPy array, or a list/tuple of arrays of one length.
        left_size: a fraction in (0, 1) or a number of samples; ``None`` takes the rest.
        right_size: the same for the right part.
        shuffle: shuffle the samples before splitting.
        seed: the shuffling's seed.
        preferred_backend: accepted for Keras compatibility.

    Returns:
        ``(left, right)``.

    Example:
        >>> left, right = lamina.utils.split_dataset((np.zeros((10, 2)), np.arange(10)), right_size=2)
    """
    samples = _samples(dataset)
    if not samples:
        raise ValueError("split_dataset received an empty dataset.")
    if shuffle:
        rng = random.Random(seed if seed is not None else random.randint(0, 10**6))
        rng.shuffle(samples)
    left, right = _split_sizes(left_size, right_size, len(samples))
    parts = (_restack(samples[:left]), _restack(samples[len(samples) - right:]))
    batch_size = None
    if _is_tf_dataset(dataset) and hasattr(dataset, "_batch_size"):
        batch_size = int(dataset._batch_size)
    return tuple(make_dataset(p, batch_size=batch_size) for p in parts)


# Folder indexing shared by image_dataset_from_directory and text_dataset_from_directory.

def _valid_files(directory, follow_links, formats):
    walk = sorted(os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0])
    for root, _, files in walk:
        for name in sorted(files):
            if name.lower().endswith(formats):
                yield root, name


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """File paths, labels and class names of a folder, in Keras's order (one subfolder per class)."""
    if not os.path.isdir(directory):
        raise ValueError(f"Expected `directory` to be an existing folder, received {directory!r}.")
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(f"The `class_names` passed did not match the subfolders of {directory!r}. "
                                 f"Expected: {subdirs} (or a subset of it), received "
                                 f"class_names={class_names}.")
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("`class_names` can only be given with labels='inferred'; received "
                             f"labels={'None' if labels is None else 'a list'}.")
        subdirs = [""]
    paths, inferred = [], []
    for index, subdir in enumerate(subdirs):
        folder = os.path.join(directory, subdir)
        for root, name in _valid_files(folder, follow_links, formats):
            paths.append(os.path.join(root, name))
            inferred.append(index)
    if labels == "inferred":
        label_array = np.asarray(inferred, dtype="int32")
        names = subdirs
    elif labels is None:
        label_array, names = None, None
    else:
        if len(labels) != len(paths):
            raise ValueError(f"Expected as many `labels` as files in {directory!r}: received "
                             f"{len(labels)} labels for {len(paths)} files.")
        label_array = np.asarray(labels)
        names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if label_array is None:
            print(f"Found {len(paths)} files.")
        else:
            print(f"Found {len(paths)} files belonging to {len(names)} classes.")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if label_array is not None:
            np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, names


def check_validation_split(validation_split, subset, shuffle, seed):
    """Raises on inconsistent ``validation_split`` / ``subset`` / ``seed`` arguments."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be "training", "validation" or "both", received: {subset!r}')
    if validation_split and shuffle and seed is None:
        raise ValueError("With `validation_split` and shuffling, give a `seed` so that the training "
                         "and validation subsets do not overlap.")


def training_or_validation(samples, labels, validation_split, subset, verbose=True):
    """The ``subset`` part of ``samples`` and ``labels`` (validation files are the last ones)."""
    if not validation_split:
        return samples, labels
    n_val = int(validation_split * len(samples))
    if subset == "training":
        if verbose:
            print(f"Using {len(samples) - n_val} files for training.")
        return samples[:len(samples) - n_val], None if labels is None else labels[:len(samples) - n_val]
    if verbose:
        print(f"Using {n_val} files for validation.")
    return samples[len(samples) - n_val:], None if labels is None else labels[len(samples) - n_val:]


def encode_labels(labels, label_mode, num_classes):
    """Integer labels as ``label_mode`` wants them: int32, float32 (n, 1) or one-hot float32."""
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels
