"""EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN: the same
decisions as Keras 3 on the same value sequences, and their effect in a real fit."""

import numpy as np
import pytest

import lamina
from lamina import callbacks

from tests.library.callbacks import _helpers as h

keras = pytest.importorskip("keras")

SEQUENCES = [
    [1.0, 0.9, 0.95, 0.97, 0.99, 1.2, 0.5],
    [1.0, 1.0, 1.0, 1.0, 1.0],
    [3.0, 2.0, 1.0, 0.5, 0.25, 0.2, 0.19, 0.189, 0.1889],
    [0.5, 0.6, 0.4, 0.41, 0.42, 0.43, 0.44, 0.3],
]

ES_CONFIGS = [
    {},
    {"patience": 2},
    {"patience": 2, "min_delta": 0.05},
    {"patience": 1, "mode": "max"},
    {"patience": 2, "baseline": 0.45},
    {"patience": 1, "start_from_epoch": 3},
    {"patience": 2, "restore_best_weights": True},
    {"patience": 3, "restore_best_weights": True, "baseline": 0.1},
]


@pytest.mark.parametrize("config", ES_CONFIGS)
@pytest.mark.parametrize("values", SEQUENCES)
def test_early_stopping_matches_keras(config, values):
    ours = h.drive_epochs(callbacks.EarlyStopping(**config), values)
    theirs = h.drive_epochs(keras.callbacks.EarlyStopping(**config), values)
    assert ours[0] == theirs[0]
    np.testing.assert_array_equal(ours[1].weights[0], theirs[1].weights[0])


RLR_CONFIGS = [
    {"patience": 1, "factor": 0.5},
    {"patience": 2, "factor": 0.1, "min_lr": 0.005},
    {"patience": 1, "factor": 0.5, "cooldown": 2},
    {"patience": 1, "factor": 0.5, "min_delta": 0.2},
    {"patience": 1, "factor": 0.5, "mode": "max"},
]


@pytest.mark.parametrize("config", RLR_CONFIGS)
@pytest.mark.parametrize("values", SEQUENCES)
def test_reduce_lr_on_plateau_matches_keras(config, values):
    ours = h.drive_epochs(callbacks.ReduceLROnPlateau(**config), values)
    theirs = h.drive_epochs(keras.callbacks.ReduceLROnPlateau(**config), values)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-7)


def test_monitor_direction_and_errors():
    with pytest.warns(UserWarning, match="unknown"):
        cb = callbacks.EarlyStopping(mode="sideways")
    assert cb.mode == "auto"
    with pytest.raises(ValueError, match="factor >= 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.0)
    cb = callbacks.EarlyStopping(monitor="custom_thing")
    with pytest.raises(ValueError, match="mode='max'"):
        h.drive_epochs(cb, [1.0], monitor="custom_thing")
    cb = callbacks.EarlyStopping(monitor="val_loss")
    with pytest.warns(UserWarning, match="not available"):
        assert h.drive_epochs(cb, [1.0], monitor="loss")[0] is None


@pytest.mark.training
def test_early_stopping_direction_from_compiled_metrics():
    x, y = h.data()
    model = h.model(metrics=["mae", "mse"])
    model.fit(x, y, epochs=1, verbose=0)
    down = callbacks.EarlyStopping("val_mae")
    down.set_model(model)
    down._set_monitor_op()
    assert down._is_improvement(0.4, 0.5) and not down._is_improvement(0.6, 0.5)
    for metric in model.metrics[1].metrics:
        direction = getattr(metric, "_direction", None)
        if direction is None:
            continue
        cb = callbacks.EarlyStopping("val_" + metric.name)
        cb.set_model(model)
        cb._set_monitor_op()
        assert cb._is_improvement(0.6, 0.5) == (direction == "up")


@pytest.mark.training
def test_early_stopping_in_fit_matches_keras(capsys):
    x, y = h.data()
    kwargs = {"monitor": "loss", "min_delta": 100.0, "patience": 2, "verbose": 1}
    ours = h.model().fit(x, y, epochs=6, batch_size=8, verbose=0, shuffle=False,
                         callbacks=[callbacks.EarlyStopping(**kwargs)])
    assert "Epoch 3: early stopping" in capsys.readouterr().out
    theirs = h.model(keras).fit(x, y, epochs=6, batch_size=8, verbose=0, shuffle=False,
                                callbacks=[keras.callbacks.EarlyStopping(**kwargs)])
    assert len(ours.history["loss"]) == len(theirs.history["loss"]) == 3
    np.testing.assert_allclose(ours.history["loss"], theirs.history["loss"], rtol=1e-5)


@pytest.mark.training
def test_early_stopping_restores_best_weights(capsys):
    x, y = h.data()
    model = h.model()
    seen = []
    # (copies: lamina's torch get_weights() currently returns views of the live weights)
    recorder = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(
        [np.array(w, copy=True) for w in model.get_weights()]))
    # mode "max" on a falling loss: epoch 0 is the best one.
    stop = callbacks.EarlyStopping(monitor="loss", mode="max", patience=2,
                                   restore_best_weights=True, verbose=1)
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[recorder, stop])
    assert len(history.history["loss"]) == 3
    assert "Restoring model weights from the end of the best epoch: 1." in capsys.readouterr().out
    for got, want in zip(model.get_weights(), seen[0]):
        np.testing.assert_array_equal(got, want)
    assert not np.allclose(seen[0][0], seen[-1][0])


@pytest.mark.training
def test_reduce_lr_on_plateau_in_fit(capsys):
    x, y = h.data()
    model = h.model(lr=0.1)
    cb = callbacks.ReduceLROnPlateau(monitor="loss", min_delta=100.0, patience=1, factor=0.5,
                                     verbose=1)
    history = model.fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[cb])
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.1, 0.05, 0.025],
                               rtol=1e-6)
    np.testing.assert_allclose(float(lamina.ops.convert_to_numpy(
        model.optimizer.learning_rate)), 0.0125, rtol=1e-6)
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05" in capsys.readouterr().out


@pytest.mark.training
def test_learning_rate_scheduler_trains_like_keras(capsys):
    x, y = h.data()

    def schedule(epoch, lr):
        return float(lr * 0.5) if epoch else 0.2

    ours = h.model(lr=0.01)
    hist = ours.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
                    callbacks=[callbacks.LearningRateScheduler(schedule, verbose=1)])
    assert "Epoch 3: LearningRateScheduler setting learning rate to 0.05" in \
        capsys.readouterr().out
    theirs = h.model(keras, lr=0.01)
    khist = theirs.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
                       callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
    np.testing.assert_allclose(hist.history["learning_rate"], [0.2, 0.1, 0.05], rtol=1e-6)
    np.testing.assert_allclose(hist.history["loss"], khist.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_learning_rate_scheduler_old_api_and_errors():
    fake = h.FakeModel(0.1)
    cb = callbacks.LearningRateScheduler(lambda epoch: 0.5 / (epoch + 1))
    cb.set_model(fake)
    cb.on_epoch_begin(1)
    assert fake.optimizer.learning_rate == 0.25
    cb = callbacks.LearningRateScheduler(lambda epoch, lr: "fast")
    cb.set_model(fake)
    with pytest.raises(ValueError, match="should be a float"):
        cb.on_epoch_begin(0)


@pytest.mark.training
def test_terminate_on_nan_stops_and_raises(capsys):
    x, y = h.data()
    x_bad = x.copy()
    x_bad[8:] = np.nan
    model = h.model()
    history = model.fit(x_bad, y, epochs=3, batch_size=4, shuffle=False, verbose=0,
                        callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2"):
        h.model().fit(x_bad, y, epochs=3, batch_size=4, shuffle=False, verbose=0,
                      callbacks=[callbacks.TerminateOnNaN(raise_error=True)])
    ok = h.model().fit(x, y, epochs=2, batch_size=4, verbose=0,
                       callbacks=[callbacks.TerminateOnNaN()])
    assert len(ok.history["loss"]) == 2


def test_registered_under_keras_callbacks():
    from lamina.saving.object_registry import builtin_objects

    table = builtin_objects("keras.callbacks")
    for name in ("EarlyStopping", "ReduceLROnPlateau", "LearningRateScheduler", "LambdaCallback",
                 "CSVLogger", "TerminateOnNaN", "RemoteMonitor", "SwapEMAWeights", "TensorBoard",
                 "ModelCheckpoint", "BackupAndRestore"):
        assert table[name] is getattr(callbacks, name)
        assert name in dir(keras.callbacks)
