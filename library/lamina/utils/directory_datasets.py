"""``image_dataset_from_directory`` and ``text_dataset_from_directory``.

A folder with one subfolder per class becomes a dataset of ``(inputs, labels)`` batches. As in
Keras 3, the result is a ``tf.data.Dataset`` whenever TensorFlow is importable, on every backend
(images decoded and resized by TensorFlow, texts as ``tf.string``). Without TensorFlow, lamina
returns a :class:`lamina.utils.dataset_utils.ArrayDataset` (a ``PyDataset``): images decoded by
Pillow and resized by lamina's NumPy image ops, texts as NumPy arrays of Python ``str``.
Either way the dataset carries ``class_names`` and ``file_paths``.

Example:
    >>> train = lamina.utils.image_dataset_from_directory("flowers/", image_size=(64, 64))
    >>> train.class_names
    ['daisy', 'rose']
"""

import numpy as np

from lamina.backend.config import standardize_data_format
from lamina.saving.object_registry import keras_export
from lamina.utils import dataset_utils

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                   "mitchellcubic")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def _check_labels(labels, label_mode, class_names):
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` must be 'inferred', None, or a list/tuple of integer labels, "
                             f"one per file. Received: labels={labels!r}")
        if class_names:
            raise ValueError(f"`class_names` needs labels='inferred'. Received: labels={labels!r}, "
                             f"class_names={class_names!r}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` must be "int", "categorical", "binary" or None. '
                         f"Received: label_mode={label_mode!r}")
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def _subsets(directory, labels, label_mode, class_names, formats, shuffle, seed, validation_split,
             subset, follow_links, verbose, what):
    dataset_utils.check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, names = dataset_utils.index_directory(
        directory, labels, formats, class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError(f'label_mode="binary" needs exactly 2 classes. Received: class_names={names}')
    wanted = ("training", "validation") if subset == "both" else (subset,)
    parts = []
    for part in wanted:
        part_paths, part_labels = dataset_utils.training_or_validation(
            paths, label_array, validation_split, part, verbose)
        if not part_paths:
            raise ValueError(f"No {part + ' ' if part else ''}{what} found in directory {directory!r}. "
                             f"Allowed formats: {formats}")
        if part_labels is not None and label_mode is not None:
            part_labels = dataset_utils.encode_labels(np.asarray(part_labels), label_mode, len(names))
        parts.append((part, part_paths, part_labels))
    return parts, names, seed


def _numpy_image_loader(image_size, channels, interpolation, data_format, crop, pad):
    from lamina.backend.numpy import image as np_image
    from lamina.utils.image_utils import _pil

    Image = _pil()

    def load(path):
        with Image.open(str(path)) as img:
            if channels == 1 and img.mode in ("L", "I", "I;16"):
                array = np.asarray(img)[:, :, None]
            elif channels == 1:  # ITU-R 601 grey, floored (TensorFlow's decoder differs by <= 1)
                rgb = np.asarray(img.convert("RGB")).astype("int64")
                array = ((rgb @ np.array([19595, 38470, 7471])) >> 16).astype("uint8")[:, :, None]
            else:
                array = np.asarray(img.convert("RGB" if channels == 3 else "RGBA"))
        dtype = array.dtype if interpolation == "nearest" else "float32"
        if pad:  # tf.image.resize_with_pad: fit inside the target, then pad with zeros around
            h, w = array.shape[:2]
            ratio = max(w / image_size[1], h / image_size[0])
            fit = (int(np.floor(h / ratio)), int(np.floor(w / ratio)))
            resized = np.asarray(np_image.resize(array.astype("float32"), fit, interpolation=interpolation,
                                                 data_format="channels_last"))
            out = np.zeros(tuple(image_size) + (array.shape[2],), "float32")
            top = int(np.floor((image_size[0] - h / ratio) / 2))
            left = int(np.floor((image_size[1] - w / ratio) / 2))
            out[top:top + fit[0], left:left + fit[1]] = resized
            out = out.astype(dtype)
        else:
            out = np.asarray(np_image.resize(array.astype("float32"), image_size, interpolation=interpolation,
                                             crop_to_aspect_ratio=crop, data_format="channels_last"))
            out = out.astype(dtype)
        return out.transpose(2, 0, 1) if data_format == "channels_first" else out

    def loader(batch):
        if isinstance(batch, tuple):
            return (np.stack([load(p) for p in batch[0]]), batch[1])
        return np.stack([load(p) for p in batch])

    return loader


def _text_loader(max_length):
    def read(path):
        with open(str(path), "rb") as f:
            data = f.read()
        if max_length is not None:
            data = data[:max_length]
        return data.decode("utf-8", errors="replace")

    def loader(batch):
        if isinstance(batch, tuple):
            return (np.array([read(p) for p in batch[0]], dtype=object), batch[1])
        return np.array([read(p) for p in batch], dtype=object)

    return loader


def _finish(datasets, names, parts, subset):
    for ds, (_, paths, _) in zip(datasets, parts):
        ds.class_names = names
        ds.file_paths = list(paths)
    return list(datasets) if subset == "both" else datasets[0]


@keras_export("keras.utils")
def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True,
                                 seed=None, validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, format="tf", verbose=True):
    """A dataset of float32 images (and labels) from a folder with one subfolder per class.

    Returns a ``tf.data.Dataset`` when TensorFlow is importable (what Keras 3 returns on every
    backend), otherwise a ``lamina.utils.dataset_utils.ArrayDataset`` (a ``PyDataset``).
    ``subset="both"`` returns ``[train, validation]``.

    Args:
        directory: the folder.
        labels: ``"inferred"`` (from subfolders), ``None``, or one integer label per file
            (files in sorted path order).
        label_mode: ``"int"``, ``"categorical"`` (one-hot), ``"binary"`` (float ``(n, 1)``) or ``None``.
        class_names: the subfolders to use, in label order.
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"``.
        batch_size: images per batch, or ``None`` for single images.
        image_size: ``(height, width)`` every image is resized to.
        shuffle: shuffle the files (and each epoch's order).
        seed: seed of the shuffling and the validation split.
        validation_split: the fraction kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (with ``validation_split``).
        interpolation: the resizing method.
        follow_links: follow symbolic links to folders.
        crop_to_aspect_ratio: crop the centre to the target aspect ratio first.
        pad_to_aspect_ratio: pad to the target aspect ratio first.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        format: ``"tf"`` (Keras's other option, ``"grain"``, is not supported).
        verbose: print how many files were found.

    Returns:
        The dataset, with ``class_names`` and ``file_paths`` attributes.

    Example:
        >>> ds = lamina.utils.image_dataset_from_directory("digits/", image_size=(28, 28),
        ...                                                color_mode="grayscale", batch_size=16)
    """
    labels, label_mode = _check_labels(labels, label_mode, class_names)
    if color_mode not in _CHANNELS:
        raise ValueError(f'`color_mode` must be "rgb", "rgba" or "grayscale". Received: {color_mode!r}')
    channels = _CHANNELS[color_mode]
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"`image_size` must be a tuple of 2 integers. Received: image_size={image_size!r}")
    image_size = tuple(int(s) for s in image_size)
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"`interpolation` must be one of {_INTERPOLATIONS}. Received: {interpolation!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    if format != "tf":
        raise ValueError(f'lamina supports format="tf" only. Received: format={format!r}')
    data_format = standardize_data_format(data_format)
    parts, names, seed = _subsets(directory, labels, label_mode, class_names, IMAGE_FORMATS, shuffle,
                                  seed, validation_split, subset, follow_links, verbose, "images")
    module = dataset_utils.tf_data()
    datasets = []
    for part, paths, part_labels in parts:
        part_shuffle = shuffle and part != "validation" if subset == "both" else shuffle
        if module is not None:
            datasets.append(module.image_files(paths, part_labels, image_size, channels, interpolation,
                                               data_format, crop_to_aspect_ratio, pad_to_aspect_ratio,
                                               batch_size, part_shuffle, seed))
        else:
            loader = _numpy_image_loader(image_size, channels, interpolation, data_format,
                                         crop_to_aspect_ratio, pad_to_aspect_ratio)
            data = np.asarray(paths, dtype=object) if part_labels is None else \
                (np.asarray(paths, dtype=object), part_labels)
            datasets.append(dataset_utils.ArrayDataset(data, batch_size, shuffle=part_shuffle, seed=seed,
                                                       loader=loader))
    return _finish(datasets, names, parts, subset)


@keras_export("keras.utils")
def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False, format="tf",
                                verbose=True):
    """A dataset of ``.txt`` file contents (and labels) from a folder with one subfolder per class.

    Returns a ``tf.data.Dataset`` of ``tf.string`` when TensorFlow is importable (as Keras 3
    does on every backend), otherwise an ``ArrayDataset`` of NumPy arrays of ``str``.

    Args:
        directory: the folder.
        labels: ``"inferred"``, ``None``, or one integer label per file.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or ``None``.
        class_names: the subfolders to use, in label order.
        batch_size: texts per batch, or ``None``.
        max_length: keep at most this many bytes of each text.
        shuffle: shuffle the files.
        seed: seed of the shuffling and the validation split.
        validation_split: the fraction kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"``.
        follow_links: follow symbolic links to folders.
        format: ``"tf"`` only.
        verbose: print how many files were found.

    Returns:
        The dataset, with ``class_names`` and ``file_paths`` attributes.

    Example:
        >>> ds = lamina.utils.text_dataset_from_directory("reviews/", batch_size=8)
    """
    labels, label_mode = _check_labels(labels, label_mode, class_names)
    if format != "tf":
        raise ValueError(f'lamina supports format="tf" only. Received: format={format!r}')
    parts, names, seed = _subsets(directory, labels, label_mode, class_names, (".txt",), shuffle, seed,
                                  validation_split, subset, follow_links, verbose, "text files")
    module = dataset_utils.tf_data()
    datasets = []
    for part, paths, part_labels in parts:
        part_shuffle = shuffle and part != "validation" if subset == "both" else shuffle
        if module is not None:
            datasets.append(module.text_files(paths, part_labels, max_length, batch_size, part_shuffle, seed))
        else:
            data = np.asarray(paths, dtype=object) if part_labels is None else \
                (np.asarray(paths, dtype=object), part_labels)
            datasets.append(dataset_utils.ArrayDataset(data, batch_size, shuffle=part_shuffle, seed=seed,
                                                       loader=_text_loader(max_length)))
    return _finish(datasets, names, parts, subset)
