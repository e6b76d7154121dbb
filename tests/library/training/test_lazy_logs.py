"""Step logs on PyTorch are computed on first read; callbacks still see every value."""

import numpy as np
import pytest

import lamina
from lamina.trainers.metric_logs import LazyLogs


def test_lazy_logs_compute_once_on_first_read():
    calls = []

    def compute():
        calls.append(1)
        return {"loss": 0.5, "accuracy": 0.25}

    logs = LazyLogs(compute)
    assert calls == []
    assert logs["loss"] == 0.5 and calls == [1]
    assert dict(logs) == {"loss": 0.5, "accuracy": 0.25} and {**logs} == dict(logs)
    assert sorted(logs) == ["accuracy", "loss"] and len(logs) == 2 and "loss" in logs
    logs["extra"] = 1
    assert logs.get("extra") == 1 and calls == [1]
    assert isinstance(logs, dict) and logs == {"loss": 0.5, "accuracy": 0.25, "extra": 1}


@pytest.mark.training
def test_user_callback_gets_plain_dict_with_running_metrics():
    seen = []

    class Recorder(lamina.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((type(logs), {k: float(v) for k, v in logs.items()}))

    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.integers(0, 3, size=16).astype("int32")
    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[Recorder()])
    assert [t for t, _ in seen] == [dict, dict]
    assert set(seen[0][1]) == {"loss", "accuracy"}
    # The last batch's running means are the epoch's results.
    assert seen[-1][1]["loss"] == pytest.approx(history.history["loss"][0], rel=1e-6)
    assert seen[-1][1]["accuracy"] == pytest.approx(history.history["accuracy"][0], rel=1e-6)
