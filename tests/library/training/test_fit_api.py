"""The fit / evaluate / predict API: data kinds, arguments, errors, repeatability."""

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.training
BACKEND = lamina.backend.backend()


def _data(n=40, features=5, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = rng.integers(0, classes, size=(n,)).astype("int32")
    return x, y


def _model(features=5, classes=3, dropout=0.0):
    stack = [lamina.Input((features,)), layers.Dense(8, activation="relu")]
    if dropout:
        stack.append(layers.Dropout(dropout))
    stack.append(layers.Dense(classes, activation="softmax"))
    model = lamina.Sequential(stack)
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_returns_history_and_trains():
    x, y = _data()
    history = _model().fit(x, y, epochs=4, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    assert len(history.history["loss"]) == 4 and history.epoch == [0, 1, 2, 3]
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_set_random_seed_makes_runs_repeatable():
    x, y = _data()
    runs = []
    for _ in range(2):
        lamina.utils.set_random_seed(7)
        model = _model(dropout=0.3)
        runs.append(model.fit(x, y, epochs=2, batch_size=8, verbose=0).history["loss"])
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-6)


def test_validation_data_split_and_freq():
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=4, batch_size=8, verbose=0, validation_data=(x[:10], y[:10]),
                        validation_freq=2)
    assert len(history.history["val_loss"]) == 2
    history = _model().fit(x, y, epochs=1, validation_split=0.25, verbose=0)
    assert "val_accuracy" in history.history


def test_initial_epoch_steps_per_epoch_and_class_weight():
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=3, initial_epoch=1, steps_per_epoch=2, batch_size=4, verbose=0,
                        class_weight={0: 1.0, 1: 2.0, 2: 0.5})
    assert history.epoch == [1, 2]


def test_sample_weights_scale_per_sample_losses_sum_over_batch_size():
    x, y = _data(n=16)
    model = _model()
    weights = np.r_[np.ones(8), np.zeros(8)].astype("float32")
    full = model.evaluate(x[:8], y[:8], verbose=0, return_dict=True)
    weighted = model.evaluate(x, y, sample_weight=weights, batch_size=16, verbose=0, return_dict=True)
    # "sum_over_batch_size" divides by the batch size (16), not by the weights' sum (8).
    np.testing.assert_allclose(weighted["loss"], full["loss"] / 2, rtol=1e-5)


def test_evaluate_predict_and_on_batch_methods():
    x, y = _data()
    model = _model()
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert 0 <= accuracy <= 1 and loss > 0
    probabilities = model.predict(x, batch_size=7, verbose=0)
    assert probabilities.shape == (40, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), probabilities[:5], rtol=1e-5, atol=1e-6)
    logs = model.train_on_batch(x[:8], y[:8], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert isinstance(model.test_on_batch(x[:8], y[:8]), list)


def test_run_eagerly_and_steps_per_execution_agree_with_compiled():
    x, y = _data()
    results = []
    for kwargs in ({}, {"run_eagerly": True}, {"steps_per_execution": 3}):
        if kwargs.get("steps_per_execution") and BACKEND == "torch":
            kwargs = {}
        lamina.utils.set_random_seed(3)
        model = _model()
        model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                      **kwargs)
        results.append(model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history["loss"])
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5)
    np.testing.assert_allclose(results[0], results[2], rtol=1e-5)


def test_generators_pydataset_and_dict_inputs():
    x, y = _data()

    def batches():
        for i in range(0, 40, 8):
            yield x[i:i + 8], y[i:i + 8]

    model = _model()
    model.fit(batches(), epochs=1, verbose=0)

    class Batches(lamina.utils.PyDataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8]

    history = model.fit(Batches(), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2

    inputs = {"a": lamina.Input((2,), name="a"), "b": lamina.Input((3,), name="b")}
    merged = lamina.ops.concatenate([inputs["a"], inputs["b"]], axis=-1)
    dict_model = lamina.Model(inputs, layers.Dense(3, activation="softmax")(merged))
    dict_model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    dict_model.fit({"a": x[:, :2], "b": x[:, 2:]}, y, epochs=1, verbose=0)


def test_pandas_dataframes():
    pandas = pytest.importorskip("pandas")
    x, y = _data()
    model = _model()
    model.fit(pandas.DataFrame(x), pandas.Series(y), epochs=1, verbose=0)


@pytest.mark.backends("tensorflow", "jax", "torch")
def test_tf_data_dataset():
    tf = pytest.importorskip("tensorflow")
    x, y = _data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    history = _model().fit(dataset, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


@pytest.mark.backends("torch")
def test_torch_dataloader():
    import torch

    x, y = _data()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=8)
    history = _model().fit(loader, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_progress_output_one_line_per_epoch_when_not_a_terminal(capsys):
    x, y = _data()
    _model().fit(x, y, epochs=2, batch_size=8, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert out.count("5/5") == 2 and "loss:" in out and "accuracy:" in out


def test_fit_before_compile_is_a_clear_error():
    model = lamina.Sequential([lamina.Input((5,)), layers.Dense(2)])
    with pytest.raises(RuntimeError, match="must call compile"):
        model.fit(np.ones((4, 5)), np.ones((4, 2)))


def test_labels_of_the_wrong_length():
    x, y = _data()
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        _model().fit(x, y[:30], verbose=0)


def test_unknown_loss_name():
    model = lamina.Sequential([lamina.Input((5,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="mean_squared_eror"):
        model.compile(optimizer="adam", loss="mean_squared_eror")


def test_generator_yielding_the_wrong_structure():
    x, y = _data()

    def bad():
        yield x[:8], y[:8], np.ones(8), np.ones(8)

    with pytest.raises(ValueError, match="must yield x, \\(x,\\), \\(x, y\\)"):
        _model().fit(bad(), epochs=1, verbose=0)


def test_exhausted_generator_across_epochs_is_a_clear_error():
    x, y = _data()

    def once():
        yield x[:8], y[:8]

    with pytest.raises(ValueError, match="can be iterated only once"):
        _model().fit(once(), epochs=2, verbose=0)
