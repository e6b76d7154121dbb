"""ModelCheckpoint, BackupAndRestore and SwapEMAWeights in real fits (real saving), plus
the file-name, frequency and argument rules checked against Keras 3."""

import json
import os

import numpy as np
import pytest

import lamina
from lamina import callbacks

from tests.library.callbacks import _helpers as h

keras = pytest.importorskip("keras")


class Interrupt(callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("Interrupting!")


def test_model_checkpoint_arguments():
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        callbacks.ModelCheckpoint("a.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="must end in `.keras`"):
        callbacks.ModelCheckpoint("a.txt")
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        callbacks.ModelCheckpoint("a.keras", save_freq="sometimes")
    cb = callbacks.ModelCheckpoint("run/{epoch:02d}-{loss:.2f}.keras")
    assert cb._get_file_path(2, None, {"loss": 0.1234}) == "run/03-0.12.keras"
    cb = callbacks.ModelCheckpoint("{epoch}-{batch}.keras")
    assert cb._get_file_path(0, 4, {}) == "1-5.keras"
    with pytest.raises(KeyError, match="Failed to format"):
        callbacks.ModelCheckpoint("{val_acc}.keras")._get_file_path(0, None, {"loss": 1.0})


@pytest.mark.parametrize("save_freq", [1, 2, 3])
def test_checkpoint_batch_frequency_matches_keras(save_freq):
    def saves(lib):
        cb = lib.callbacks.ModelCheckpoint("x.keras", save_freq=save_freq)
        out = []
        for epoch in range(2):
            for batch in range(5):
                if cb._should_save_on_batch(batch):
                    out.append((epoch, batch))
        return out

    assert saves(lamina) == saves(keras)


@pytest.mark.training
def test_model_checkpoint_every_epoch(tmp_path):
    x, y = h.data()
    pattern = str(tmp_path / "ckpt" / "model-{epoch:02d}-{loss:.3f}.keras")
    model = h.model()
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                        callbacks=[callbacks.ModelCheckpoint(pattern, monitor="loss")])
    names = sorted(os.listdir(tmp_path / "ckpt"))
    assert names == [f"model-{e + 1:02d}-{loss:.3f}.keras"
                     for e, loss in enumerate(history.history["loss"])]
    restored = lamina.models.load_model(str(tmp_path / "ckpt" / names[-1]))
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.training
def test_model_checkpoint_save_best_only_weights(tmp_path, capsys):
    x, y = h.data()
    path = str(tmp_path / "best.weights.h5")
    model = h.model()
    seen = []
    recorder = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(
        [np.array(w, copy=True) for w in model.get_weights()]))
    # mode "max" on a falling loss: only epoch 1 is saved; the threshold blocks nothing.
    cb = callbacks.ModelCheckpoint(path, monitor="loss", mode="max", save_best_only=True,
                                   save_weights_only=True, verbose=1)
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[recorder, cb])
    out = capsys.readouterr().out
    assert f"Epoch 1: loss improved from None to {history.history['loss'][0]:.5f}" in out
    assert "Epoch 3: loss did not improve from" in out
    fresh = h.model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), seen[0]):
        np.testing.assert_array_equal(a, b)
    # An initial threshold nothing beats: no file at all.
    other = str(tmp_path / "never.weights.h5")
    h.model().fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[
        callbacks.ModelCheckpoint(other, monitor="loss", save_best_only=True,
                                  save_weights_only=True, initial_value_threshold=1e-9)])
    assert not os.path.exists(other)


@pytest.mark.training
def test_model_checkpoint_batch_level_sees_current_weights(tmp_path):
    x, y = h.data()
    pattern = str(tmp_path / "e{epoch}-b{batch}.weights.h5")
    model = h.model()
    after_batch = {}

    def record(batch, logs):
        model._sync_state()
        after_batch[(epoch_box[0], batch)] = [np.array(w, copy=True) for w in model.get_weights()]

    epoch_box = [0]
    recorder = callbacks.LambdaCallback(
        on_epoch_begin=lambda e, logs: epoch_box.__setitem__(0, e), on_train_batch_end=record)
    cb = callbacks.ModelCheckpoint(pattern, save_freq=3, save_weights_only=True)
    model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[cb, recorder])
    names = sorted(os.listdir(tmp_path))
    assert names == ["e1-b3.weights.h5", "e2-b2.weights.h5"]
    fresh = h.model()
    fresh.load_weights(str(tmp_path / "e2-b2.weights.h5"))
    for a, b in zip(fresh.get_weights(), after_batch[(1, 1)]):
        np.testing.assert_allclose(a, b, rtol=1e-6)


@pytest.mark.training
def test_backup_and_restore_resumes(tmp_path):
    x, y = h.data()
    backup = str(tmp_path / "backup")
    model = h.model()
    cb = callbacks.BackupAndRestore(backup_dir=backup)
    with pytest.raises(RuntimeError, match="Interrupting"):
        model.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0,
                  callbacks=[cb, Interrupt(3)])
    with open(os.path.join(backup, "training_metadata.json")) as f:
        assert json.load(f) == {"epoch": 3, "batch": 0}
    saved = [np.array(w, copy=True) for w in model.get_weights()]
    # A new model (same architecture) resumes from the backup: epochs 3 and 4 only.
    resumed = h.model()
    epochs_run = []
    history = resumed.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0, callbacks=[
        cb, callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: epochs_run.append(e))])
    assert epochs_run == [3, 4] and len(history.history["loss"]) == 2
    assert not os.path.exists(backup)
    # It equals an uninterrupted 5-epoch run.
    straight = h.model()
    full = straight.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], full.history["loss"][3:], rtol=1e-5)
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert not np.allclose(saved[0], resumed.get_weights()[0])


@pytest.mark.training
def test_backup_and_restore_batches_double_checkpoint_and_keep(tmp_path):
    x, y = h.data()
    backup = str(tmp_path / "backup")
    cb = callbacks.BackupAndRestore(backup_dir=backup, save_freq=3, double_checkpoint=True,
                                    delete_checkpoint=False)
    h.model().fit(x, y, epochs=2, batch_size=4, verbose=0, callbacks=[cb])
    names = sorted(os.listdir(backup))
    assert names == ["latest.weights.h5", "latest.weights.h5.bkp", "training_metadata.json",
                     "training_metadata.json.bkp"]
    # 4 batches an epoch, a save every 3: at epoch 0 batch 2, then epoch 1 batch 1.
    with open(os.path.join(backup, "training_metadata.json")) as f:
        assert json.load(f) == {"epoch": 1, "batch": 1}
    with open(os.path.join(backup, "training_metadata.json.bkp")) as f:
        assert json.load(f) == {"epoch": 0, "batch": 2}
    # A corrupted latest backup: the previous one is used (and resumes at epoch 0).
    with open(os.path.join(backup, "latest.weights.h5"), "wb") as f:
        f.write(b"not an hdf5 file")
    model = h.model()
    history = model.fit(x, y, epochs=3, batch_size=4, verbose=0, callbacks=[cb])
    assert len(history.history["loss"]) == 3
    with open(os.path.join(backup, "training_metadata.json")) as f:
        assert json.load(f)["epoch"] == 2


def test_backup_and_restore_arguments():
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        callbacks.BackupAndRestore(backup_dir="")
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.BackupAndRestore(backup_dir="b", save_freq="sometimes")


def test_backup_and_restore_calls_the_model_api(tmp_path):
    """With a spy model: which saving functions are called, with which paths."""
    calls = []

    class Spy(h.FakeModel):
        built = True

        def save_weights(self, filepath, overwrite=True):
            calls.append(("save_weights", filepath))
            with open(filepath, "w") as f:
                f.write("w")

        def load_weights(self, filepath):
            calls.append(("load_weights", filepath))

    spy = Spy()
    spy.optimizer = None
    cb = callbacks.BackupAndRestore(backup_dir=str(tmp_path / "b"), delete_checkpoint=False)
    cb.set_model(spy)
    cb.on_train_begin()
    cb.on_epoch_end(0)
    cb.on_train_begin()
    weights = str(tmp_path / "b" / "latest.weights.h5")
    assert calls == [("save_weights", weights), ("load_weights", weights)]
    assert spy._initial_epoch == 1


@pytest.mark.training
def test_swap_ema_weights_evaluates_with_ema(tmp_path):
    x, y = h.data()
    model = h.model(use_ema=True, ema_momentum=0.5)
    for _ in range(3):  # (fit would end with the EMA values in the model)
        model.train_on_batch(x, y)
    opt = model.optimizer
    ema = [np.array(v.numpy(), copy=True) for v in opt._model_variables_moving_average]
    raw = [np.array(w, copy=True) for w in model.get_weights()]
    assert not np.allclose(ema[0], raw[0])
    swap = callbacks.SwapEMAWeights()
    with_ema = model.evaluate(x, y, verbose=0, callbacks=[swap])
    plain = model.evaluate(x, y, verbose=0)
    reference = h.model()
    reference.set_weights(ema)
    assert with_ema == pytest.approx(reference.evaluate(x, y, verbose=0), rel=1e-6)
    for a, b in zip(model.get_weights(), raw):  # swapped back after evaluate
        np.testing.assert_array_equal(a, b)
    assert plain != pytest.approx(with_ema, rel=1e-6)
    pred = model.predict(x, verbose=0, callbacks=[swap])
    np.testing.assert_allclose(pred, reference.predict(x, verbose=0), rtol=1e-6)
    for a, b in zip(model.get_weights(), raw):  # swapped back after predict too
        np.testing.assert_array_equal(a, b)


@pytest.mark.training
def test_swap_ema_weights_in_fit_like_keras():
    x, y = h.data()
    results = []
    for lib in (lamina, keras):
        model = h.model(lib, use_ema=True, ema_momentum=0.5)
        history = model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
                            validation_data=(x, y),
                            callbacks=[lib.callbacks.SwapEMAWeights(swap_on_epoch=True)])
        results.append((history.history, model.get_weights()))
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(results[0][0][key], results[1][0][key], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


@pytest.mark.training
def test_swap_ema_weights_needs_use_ema():
    x, y = h.data()
    with pytest.raises(ValueError, match="use_ema=True"):
        h.model().fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
                      callbacks=[callbacks.SwapEMAWeights()])
