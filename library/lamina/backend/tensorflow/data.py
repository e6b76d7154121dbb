"""tf.data pipelines for ``lamina.utils`` (datasets from arrays, image and text folders, windows).

Only used by ``lamina.utils`` when TensorFlow is importable, on any backend, as Keras 3 does:
the ``*_dataset_from_*`` helpers return ``tf.data.Dataset`` objects.

Example:
    >>> ds = from_arrays((np.zeros((4, 2)), np.arange(4)), batch_size=2)
"""

import numpy as np
import tensorflow as tf


def _finish(ds, batch_size, shuffle, seed, buffer_size):
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer_size, seed=seed)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.prefetch(tf.data.AUTOTUNE)


def from_arrays(data, batch_size=None, shuffle=False, seed=None, buffer_size=1024):
    """A dataset of the slices of a structure of arrays (tuples kept, lists made tuples)."""
    if isinstance(data, list):
        data = tuple(data)
    return _finish(tf.data.Dataset.from_tensor_slices(data), batch_size, shuffle, seed, buffer_size)


def _smart_crop(img, image_size):
    shape = tf.shape(img)
    height, width = tf.cast(shape[0], "float32"), tf.cast(shape[1], "float32")
    target_h, target_w = image_size
    crop_h = tf.minimum(tf.cast(width * target_h / target_w, "int32"), shape[0])
    crop_w = tf.minimum(tf.cast(height * target_w / target_h, "int32"), shape[1])
    top = tf.cast(tf.cast(shape[0] - crop_h, "float32") / 2, "int32")
    left = tf.cast(tf.cast(shape[1] - crop_w, "float32") / 2, "int32")
    return img[top:top + crop_h, left:left + crop_w]


def _load_image(path, image_size, channels, interpolation, data_format, crop, pad):
    img = tf.image.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
    if crop:
        img = tf.image.resize(_smart_crop(img, image_size), image_size, method=interpolation)
    elif pad:
        img = tf.image.resize_with_pad(img, image_size[0], image_size[1], method=interpolation)
    else:
        img = tf.image.resize(img, image_size, method=interpolation)
    if data_format == "channels_first":
        img = tf.transpose(img, (2, 0, 1))
        img.set_shape((channels, image_size[0], image_size[1]))
    else:
        img.set_shape((image_size[0], image_size[1], channels))
    return img


def image_files(paths, labels, image_size, channels, interpolation, data_format, crop, pad,
                batch_size, shuffle, seed):
    """Decoded, resized float32 images (with labels when ``labels`` is not None)."""
    args = (tuple(image_size), channels, interpolation, data_format, crop, pad)
    ds = tf.data.Dataset.from_tensor_slices(np.asarray(paths, dtype=object).astype(str))
    if labels is not None:
        ds = tf.data.Dataset.zip((ds, tf.data.Dataset.from_tensor_slices(labels)))
    if shuffle:
        ds = ds.shuffle(buffer_size=batch_size * 8 if batch_size else 1024, seed=seed)
    if labels is not None:
        ds = ds.map(lambda p, y: (_load_image(p, *args), y), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.map(lambda p: _load_image(p, *args), num_parallel_calls=tf.data.AUTOTUNE)
    return _finish(ds, batch_size, False, seed, 1)


def text_files(paths, labels, max_length, batch_size, shuffle, seed):
    """File contents as tf.string (cut to ``max_length`` bytes when given)."""
    def read(path):
        text = tf.io.read_file(path)
        return tf.strings.substr(text, 0, max_length) if max_length is not None else text

    ds = tf.data.Dataset.from_tensor_slices(np.asarray(paths, dtype=object).astype(str))
    if labels is not None:
        ds = tf.data.Dataset.zip((ds, tf.data.Dataset.from_tensor_slices(labels)))
    if shuffle:
        ds = ds.shuffle(buffer_size=batch_size * 8 if batch_size else 1024, seed=seed)
    if labels is not None:
        ds = ds.map(lambda p, y: (read(p), y), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.map(read, num_parallel_calls=tf.data.AUTOTUNE)
    return _finish(ds, batch_size, False, seed, 1)


def windows(data, targets, starts, sequence_length, sampling_rate, batch_size, shuffle, seed):
    """Windows ``data[s : s + sequence_length * sampling_rate : sampling_rate]`` gathered lazily."""
    data_t = tf.constant(data)
    starts_t = tf.constant(np.asarray(starts, dtype="int64"))
    offsets = tf.range(sequence_length, dtype="int64") * sampling_rate
    index = tf.data.Dataset.from_tensor_slices(starts_t)
    if targets is not None:
        targets_t = tf.constant(targets)
        ds = index.map(lambda s: (tf.gather(data_t, s + offsets), tf.gather(targets_t, s)),
                       num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = index.map(lambda s: tf.gather(data_t, s + offsets), num_parallel_calls=tf.data.AUTOTUNE)
    buffer_size = batch_size * 8 if batch_size is not None else 1024
    return _finish(ds, batch_size, shuffle, seed, buffer_size)


def hash_to_bins(values, num_bins, salt=None):
    """TensorFlow's string hashing (FarmHash fingerprint, or keyed SipHash with ``salt``) of a
    NumPy array of strings into ``[0, num_bins)``, as a NumPy int64 array; used by Hashing and
    the lookup layers so that lamina buckets strings exactly as Keras 3 does."""
    tensor = tf.constant(values, dtype=tf.string)
    if salt is not None:
        out = tf.strings.to_hash_bucket_strong(tensor, num_bins, key=list(salt))
    else:
        out = tf.strings.to_hash_bucket_fast(tensor, num_bins)
    return out.numpy()


def cross_hash_to_bins(columns, num_bins):
    """TensorFlow's feature crossing (``tf.sparse.cross_hashed``: FarmHash fingerprints of each
    value combined with ``FingerprintCat64``) of equal-length NumPy columns of strings or
    integers into ``[0, num_bins)``, as a NumPy int64 array of shape ``(n,)``; used by
    HashedCrossing so that lamina crosses features exactly as Keras 3 does."""
    tensors = []
    for column in columns:
        column = np.asarray(column).reshape(-1, 1)
        if column.dtype == object:
            tensors.append(tf.constant(column, dtype=tf.string))
        else:
            tensors.append(tf.constant(column.astype("int64"), dtype=tf.int64))
    crossed = tf.sparse.to_dense(tf.sparse.cross_hashed(tensors, num_buckets=num_bins))
    return crossed.numpy().reshape(-1).astype("int64")
