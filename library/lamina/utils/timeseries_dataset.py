"""``timeseries_dataset_from_array``: sliding windows over a sequence, batched.

Example:
    >>> ds = lamina.utils.timeseries_dataset_from_array(np.arange(10), None, sequence_length=3,
    ...                                                  batch_size=4)
"""

import numpy as np

from lamina.saving.object_registry import keras_export
from lamina.utils import dataset_utils


def _check(name, value, low, high, data_len, what):
    if value is None:
        return
    if value < low:
        raise ValueError(f"`{name}` must be {what}. Received: {name}={value}")
    if high is not None and value >= high:
        raise ValueError(f"`{name}` must be lower than the length of the data. Received: {name}={value}, "
                         f"for data of length {data_len}")


@keras_export("keras.utils")
def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None,
                                  end_index=None, format="tf"):
    """Windows of ``sequence_length`` steps taken every ``sequence_stride`` steps.

    Window ``i`` holds ``data[s_i], data[s_i + sampling_rate], ...`` with
    ``s_i = start_index + i * sequence_stride``; its target is ``targets[s_i]``. Windows are
    gathered lazily, batch by batch. Returns a ``tf.data.Dataset`` when TensorFlow is
    importable (as Keras 3 does on every backend), otherwise an ``ArrayDataset`` (a PyDataset).

    Args:
        data: an array with time on the first axis.
        targets: the target of each window start, or ``None`` for inputs only.
        sequence_length: steps per window.
        sequence_stride: steps between window starts.
        sampling_rate: steps between the samples inside a window.
        batch_size: windows per batch, or ``None`` for single windows.
        shuffle: shuffle the windows.
        seed: the shuffling's seed.
        start_index: first step used (inclusive).
        end_index: last step used (exclusive).
        format: ``"tf"`` only.

    Returns:
        The dataset of ``inputs`` or ``(inputs, targets)`` batches.

    Example:
        >>> x = np.arange(10)
        >>> ds = lamina.utils.timeseries_dataset_from_array(x[:-3], x[3:], sequence_length=3)
    """
    data = np.asarray(data)
    n = len(data)
    if start_index:
        _check("start_index", start_index, 0, n, n, "0 or greater")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index}")
        _check("end_index", end_index, 1, n, n, "higher than 0")
    _check("sampling_rate", sampling_rate, 1, n, n, "higher than 0")
    _check("sequence_stride", sequence_stride, 1, n, n, "higher than 0")
    if format != "tf":
        raise ValueError(f'lamina supports format="tf" only. Received: format={format!r}')
    start_index = start_index or 0
    end_index = end_index if end_index is not None else n
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_seqs = min(num_seqs, len(targets))
    starts = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)
    starts = starts + start_index
    module = dataset_utils.tf_data()
    if module is not None:
        return module.windows(data, targets, starts, sequence_length, sampling_rate, batch_size,
                              shuffle, seed)
    offsets = np.arange(sequence_length) * sampling_rate

    def loader(batch):
        s = batch[0] if isinstance(batch, tuple) else batch
        windows = data[s[:, None] + offsets]
        return (windows, targets[s]) if targets is not None else windows

    return dataset_utils.ArrayDataset((starts,) if targets is not None else starts, batch_size,
                                      shuffle=shuffle, seed=seed, loader=loader)
