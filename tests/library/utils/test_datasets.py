"""split_dataset, timeseries_dataset_from_array and the folder datasets against Keras 3.

Both outputs are checked: tf.data (TensorFlow is importable here) and the PyDataset fallback
(``tf_data`` patched to None), which must give the same batches.
"""

import os

import numpy as np
import pytest

import lamina
from lamina.utils import dataset_utils

keras = pytest.importorskip("keras")


def _batches(ds):
    if isinstance(ds, dataset_utils.ArrayDataset):
        return [ds[i] for i in range(len(ds))]
    return list(ds.as_numpy_iterator())


def _text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def _assert_same(ours, theirs, atol=1e-4):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        for x, y in zip(lamina.tree.flatten(a), lamina.tree.flatten(b)):
            if np.asarray(x).dtype.kind in "OSU":
                assert [_text(v) for v in np.ravel(x)] == [_text(v) for v in np.ravel(y)]
            else:
                assert np.asarray(x).dtype == np.asarray(y).dtype
                np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-5, atol=atol)


@pytest.fixture
def no_tf(monkeypatch):
    monkeypatch.setattr(dataset_utils, "tf_data", lambda: None)


def test_split_dataset_matches_keras():
    x, y = np.arange(20, dtype="float32").reshape(10, 2), np.arange(10)
    ours = lamina.utils.split_dataset((x, y), left_size=0.7)
    theirs = keras.utils.split_dataset((x, y), left_size=0.7, preferred_backend="tensorflow")
    for a, b in zip(ours, theirs):
        _assert_same(_batches(a), _batches(b))
    assert len(_batches(ours[0])) == 7


def test_split_dataset_sizes_shuffle_and_fallback(no_tf):
    data = np.arange(10)
    left, right = lamina.utils.split_dataset(data, right_size=3, shuffle=True, seed=1)
    got = sorted([int(left[i]) for i in range(len(left))] + [int(right[i]) for i in range(len(right))])
    assert len(left) == 7 and len(right) == 3 and got == list(range(10))
    assert [int(left[i]) for i in range(7)] != list(range(7))
    with pytest.raises(ValueError, match="left_size"):
        lamina.utils.split_dataset(data, left_size=10)
    with pytest.raises(ValueError, match="both were None"):
        lamina.utils.split_dataset(data)
    with pytest.raises(TypeError, match="left_size"):
        lamina.utils.split_dataset(data, left_size="half")


def test_split_batched_tf_dataset_keeps_batches():
    tf = pytest.importorskip("tensorflow")
    ds = tf.data.Dataset.from_tensor_slices(np.arange(12)).batch(4)
    left, right = lamina.utils.split_dataset(ds, left_size=8)
    assert [b.tolist() for b in _batches(left)] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert [b.tolist() for b in _batches(right)] == [[8, 9, 10, 11]]


@pytest.mark.parametrize("kwargs", [
    dict(sequence_length=4, batch_size=3),
    dict(sequence_length=3, sequence_stride=2, sampling_rate=2, batch_size=2, start_index=1, end_index=17),
    dict(sequence_length=5, batch_size=None, sequence_stride=5),
])
@pytest.mark.parametrize("with_targets", [True, False])
def test_timeseries_matches_keras(kwargs, with_targets, monkeypatch):
    data = np.arange(40, dtype="float32").reshape(20, 2)
    targets = np.arange(100, 120) if with_targets else None
    theirs = _batches(keras.utils.timeseries_dataset_from_array(data, targets, **kwargs))
    _assert_same(_batches(lamina.utils.timeseries_dataset_from_array(data, targets, **kwargs)), theirs)
    monkeypatch.setattr(dataset_utils, "tf_data", lambda: None)
    fallback = lamina.utils.timeseries_dataset_from_array(data, targets, **kwargs)
    assert isinstance(fallback, lamina.utils.PyDataset)
    _assert_same(_batches(fallback), theirs)


def test_timeseries_shuffle_is_a_permutation_and_errors(no_tf):
    data = np.arange(30)
    ds = lamina.utils.timeseries_dataset_from_array(data, data, sequence_length=3, batch_size=4,
                                                     shuffle=True, seed=3)
    windows = np.concatenate([b[0] for b in _batches(ds)])
    targets = np.concatenate([b[1] for b in _batches(ds)])
    np.testing.assert_array_equal(windows[:, 0], targets)
    np.testing.assert_array_equal(windows, windows[:, :1] + np.arange(3))
    assert sorted(targets.tolist()) == list(range(28)) and targets.tolist() != list(range(28))
    with pytest.raises(ValueError, match="sampling_rate"):
        lamina.utils.timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="end_index"):
        lamina.utils.timeseries_dataset_from_array(data, None, 3, start_index=5, end_index=4)


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    for c, cls in enumerate(["cat", "dog"]):
        os.makedirs(root / cls)
        for i in range(3 + c):
            shape = (6 + i, 9, 3) if i % 2 else (8, 5, 3)
            lamina.utils.save_img(str(root / cls / f"{i}.png"), rng.integers(0, 256, shape), scale=False)
    (root / "cat" / "notes.txt").write_text("not an image")
    return str(root)


@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(label_mode="categorical", color_mode="grayscale", interpolation="nearest"),
    dict(label_mode="binary", crop_to_aspect_ratio=True, data_format="channels_first"),
    dict(labels=None, pad_to_aspect_ratio=True, batch_size=None),
])
def test_image_dataset_matches_keras(image_dir, kwargs, monkeypatch):
    args = {**dict(image_size=(4, 6), batch_size=3, shuffle=False, verbose=False), **kwargs}
    theirs = keras.utils.image_dataset_from_directory(image_dir, **args)
    ours = lamina.utils.image_dataset_from_directory(image_dir, **args)
    _assert_same(_batches(ours), _batches(theirs))
    assert ours.file_paths == theirs.file_paths
    assert ours.class_names == theirs.class_names
    monkeypatch.setattr(dataset_utils, "tf_data", lambda: None)
    fallback = lamina.utils.image_dataset_from_directory(image_dir, **args)
    assert isinstance(fallback, lamina.utils.PyDataset) and fallback.file_paths == theirs.file_paths
    # grayscale: TensorFlow's PNG decoder rounds the grey level differently (by at most 1)
    _assert_same(_batches(fallback), _batches(theirs), atol=1.0 if "color_mode" in kwargs else 1e-4)


def test_image_dataset_validation_split_and_errors(image_dir):
    train, val = lamina.utils.image_dataset_from_directory(
        image_dir, image_size=(4, 4), validation_split=0.3, subset="both", seed=7, verbose=False)
    k_train, k_val = keras.utils.image_dataset_from_directory(
        image_dir, image_size=(4, 4), validation_split=0.3, subset="both", seed=7, verbose=False)
    assert train.file_paths == k_train.file_paths and val.file_paths == k_val.file_paths
    assert len(val.file_paths) == 2 and not set(train.file_paths) & set(val.file_paths)
    with pytest.raises(ValueError, match="seed"):
        lamina.utils.image_dataset_from_directory(image_dir, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="class_names"):
        lamina.utils.image_dataset_from_directory(image_dir, class_names=["cow"], verbose=False)
    with pytest.raises(ValueError, match="color_mode"):
        lamina.utils.image_dataset_from_directory(image_dir, color_mode="cmyk")


@pytest.fixture(scope="module")
def text_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("texts")
    for c, cls in enumerate(["neg", "pos"]):
        os.makedirs(root / cls)
        for i in range(2 + c):
            (root / cls / f"{i}.txt").write_text(f"{cls} review number {i} é")
    return str(root)


@pytest.mark.parametrize("kwargs", [dict(), dict(max_length=5, label_mode="categorical"),
                                    dict(labels=None, batch_size=None)])
def test_text_dataset_matches_keras(text_dir, kwargs, monkeypatch):
    args = {**dict(batch_size=2, shuffle=False, verbose=False), **kwargs}
    theirs = keras.utils.text_dataset_from_directory(text_dir, **args)
    ours = lamina.utils.text_dataset_from_directory(text_dir, **args)
    _assert_same(_batches(ours), _batches(theirs))
    assert ours.class_names == theirs.class_names
    monkeypatch.setattr(dataset_utils, "tf_data", lambda: None)
    fallback = lamina.utils.text_dataset_from_directory(text_dir, **args)
    if "max_length" not in kwargs:  # the fallback decodes UTF-8; a cut inside "é" differs
        _assert_same(_batches(fallback), _batches(theirs))
    assert len(fallback) == len(_batches(theirs))


@pytest.mark.training
def test_image_dataset_trains_a_model(image_dir):
    ds = lamina.utils.image_dataset_from_directory(image_dir, image_size=(4, 4), batch_size=4,
                                                   verbose=False, seed=0)
    model = lamina.Sequential([lamina.Input((4, 4, 3)), lamina.layers.Flatten(), lamina.layers.Dense(2)])
    model.compile("sgd", lamina.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
