"""Shared helpers for the saving tests."""

import io
import zipfile

import numpy as np


def h5_layout(path):
    """``{dataset path: shape}`` and ``{group path: name attribute}`` of a .keras/.weights.h5 file."""
    import h5py

    if str(path).endswith(".keras"):
        source = io.BytesIO(zipfile.ZipFile(path).read("model.weights.h5"))
    else:
        source = str(path)
    datasets, groups = {}, {}
    with h5py.File(source, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                datasets[name] = tuple(obj.shape)
            else:
                groups[name] = obj.attrs.get("name")
        f.visititems(visit)
    return datasets, groups


def data(n=6, features=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, features)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")
