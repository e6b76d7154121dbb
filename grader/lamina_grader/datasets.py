"""Lab data: the learner's training split and the grader's held-out split.

Every dataset is built from data that ships with a package (scikit-learn's
``load_digits``) or generated from it, with fixed seeds, so it is the same on
every machine. Each dataset has two disjoint splits:

- the *training* split, which :func:`load_lab_data` gives the learner;
- the *held-out* split, which only the grader reads (:func:`load_heldout`), in
  the process where it measures a learner's saved model. It is never written
  to the learner's folder.

Providers:

- ``"digits"``: 8x8 images of handwritten digits flattened to 64 float32
  features scaled to [0, 1], and int64 labels 0..9. 1347 training samples,
  450 held-out samples, stratified by class.
- ``"digit_pairs"``: pairs of digit images for the two-input lab. ``x`` is a
  dict ``{"left": (n, 64), "right": (n, 64)}``; ``y`` is a dict
  ``{"digit": left label (int64), "total": left + right label (float32)}``.
  The pairs of each split are made only from the images of the same split of
  ``"digits"``, so no held-out image is ever seen in training.

Example:
    >>> x_train, y_train = load_lab_data("digits")
    >>> x_train.shape, y_train.shape
    ((1347, 64), (1347,))
"""

import functools

import numpy as np

__all__ = ["load_lab_data", "load_heldout", "names", "describe"]

_SEED = 20240611
_HELDOUT_FRACTION = 0.25
_PAIRS_PER_IMAGE = 2


@functools.lru_cache(maxsize=None)
def _digits_splits():
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - scikit-learn is a course dependency
        raise ImportError("the 'digits' lab data needs scikit-learn (pip install scikit-learn)") from exc
    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")
    y = y.astype("int64")
    rng = np.random.default_rng(_SEED)
    train_idx, held_idx = [], []
    for label in range(10):
        idx = np.flatnonzero(y == label)
        idx = idx[rng.permutation(len(idx))]
        n_held = int(round(len(idx) * _HELDOUT_FRACTION))
        held_idx.append(idx[:n_held])
        train_idx.append(idx[n_held:])
    # Interleave classes in a fixed random order (no block of one class).
    train_idx = np.concatenate(train_idx)
    held_idx = np.concatenate(held_idx)
    train_idx = train_idx[rng.permutation(len(train_idx))]
    held_idx = held_idx[rng.permutation(len(held_idx))]
    return (x[train_idx], y[train_idx]), (x[held_idx], y[held_idx])


def _digits(split):
    train, held = _digits_splits()
    x, y = train if split == "train" else held
    return x.copy(), y.copy()


def _digit_pairs(split):
    x, y = _digits(split)
    rng = np.random.default_rng(_SEED + (1 if split == "train" else 2))
    n = len(x)
    left = np.concatenate([np.arange(n)] * _PAIRS_PER_IMAGE)
    right = np.concatenate([rng.permutation(n) for _ in range(_PAIRS_PER_IMAGE)])
    order = rng.permutation(len(left))
    left, right = left[order], right[order]
    inputs = {"left": x[left], "right": x[right]}
    targets = {"digit": y[left], "total": (y[left] + y[right]).astype("float32")}
    return inputs, targets


_PROVIDERS = {
    "digits": _digits,
    "digit_pairs": _digit_pairs,
}

_DESCRIPTIONS = {
    "digits": "8x8 handwritten digits, 64 features in [0, 1], labels 0..9",
    "digit_pairs": "pairs of digit images {'left', 'right'} -> {'digit': left label, 'total': sum of labels}",
}


def names():
    """The names of the lab datasets.

    Example:
        >>> names()
        ['digit_pairs', 'digits']
    """
    return sorted(_PROVIDERS)


def describe(name):
    """A one-line description of dataset ``name``.

    Example:
        >>> describe("digits")
        '8x8 handwritten digits, 64 features in [0, 1], labels 0..9'
    """
    _provider(name)
    return _DESCRIPTIONS[name]


def _provider(name):
    if not isinstance(name, str) or name not in _PROVIDERS:
        raise ValueError(f"load_lab_data: unknown lab dataset {name!r}; expected one of {names()}")
    return _PROVIDERS[name]


def load_lab_data(name):
    """The learner's training split of lab dataset ``name``.

    Args:
        name: one of :func:`names` (``"digits"``, ``"digit_pairs"``).

    Returns:
        ``(x_train, y_train)``: NumPy arrays, or dicts of arrays for multi-input
        or multi-output datasets. Fresh copies: changing them changes nothing
        for the next call.

    Example:
        >>> x, y = load_lab_data("digit_pairs")
        >>> sorted(x), sorted(y), x["left"].shape
        (['left', 'right'], ['digit', 'total'], (2694, 64))
    """
    return _provider(name)("train")


def load_heldout(name):
    """The grader's held-out split of lab dataset ``name`` (never given to learners).

    Example:
        >>> x, y = load_heldout("digits")
        >>> x.shape, int(y.min()), int(y.max())
        ((450, 64), 0, 9)
    """
    return _provider(name)("heldout")
