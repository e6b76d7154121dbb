"""CSVLogger, LambdaCallback, RemoteMonitor and TensorBoard: file contents, hook order,
HTTP payloads and event files."""

import glob
import http.server
import json
import os
import struct
import threading
import urllib.parse

import numpy as np
import pytest

import lamina
from lamina import callbacks
from lamina.callbacks import _tfevents

from tests.library.callbacks import _helpers as h

keras = pytest.importorskip("keras")

EPOCH_LOGS = [
    {"loss": 0.5, "mae": 0.25, "val_loss": 0.75, "val_mae": 0.125},
    {"loss": 0.25, "mae": np.float32(0.5), "val_loss": 0.5, "val_mae": 1e-8},
]


def _write_csv(lib, path, logs_list, **kwargs):
    cb = lib.callbacks.CSVLogger(path, **kwargs)
    cb.on_train_begin()
    for epoch, logs in enumerate(logs_list):
        cb.on_epoch_end(epoch, dict(logs))
    cb.on_train_end()
    with open(path, newline="") as f:
        return f.read()


@pytest.mark.parametrize("kwargs", [{}, {"separator": ";"}])
@pytest.mark.parametrize("logs_list", [
    EPOCH_LOGS,
    [{"loss": 0.5, "acc": 0.75}, {"loss": 0.25, "acc": 0.5, "val_loss": 1.0}],
    [{"loss": 0.5, "vector": np.array([1.0, 2.0]), "name": "a,b"}],
])
def test_csv_logger_matches_keras(tmp_path, kwargs, logs_list):
    ours = _write_csv(lamina, tmp_path / "ours.csv", logs_list, **kwargs)
    theirs = _write_csv(keras, tmp_path / "theirs.csv", logs_list, **kwargs)
    assert ours == theirs


def test_csv_logger_append(tmp_path):
    path = tmp_path / "log.csv"
    _write_csv(lamina, path, EPOCH_LOGS[:1])
    ours = _write_csv(lamina, path, EPOCH_LOGS[1:], append=True)
    kpath = tmp_path / "klog.csv"
    _write_csv(keras, kpath, EPOCH_LOGS[:1])
    assert ours == _write_csv(keras, kpath, EPOCH_LOGS[1:], append=True)
    assert ours.count("epoch") == 1 and ours.count("\r\n") == 3


@pytest.mark.training
def test_csv_logger_in_fit(tmp_path):
    x, y = h.data()
    path = tmp_path / "training.log"
    history = h.model(metrics=["mae"]).fit(
        x, y, epochs=3, batch_size=8, verbose=0, validation_split=0.25,
        callbacks=[callbacks.CSVLogger(str(path))])
    with open(path, newline="") as f:
        lines = f.read().split("\r\n")
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    assert lines[-1] == "" and len(lines) == 5
    for epoch, line in enumerate(lines[1:4]):
        cells = line.split(",")
        assert cells[0] == str(epoch)
        for key, cell in zip(["loss", "mae", "val_loss", "val_mae"], cells[1:]):
            assert float(cell) == history.history[key][epoch]


HOOKS = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
         "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end",
         "on_predict_batch_begin", "on_predict_batch_end"]


def _recording_callback(lib, calls):
    def make(name):
        def hook(*args, **kwargs):
            calls.append(name if name.endswith(("train_begin", "train_end", "test_begin",
                                                "test_end", "predict_begin", "predict_end"))
                         else f"{name}:{args[0]}")
        return hook

    return lib.callbacks.LambdaCallback(**{name: make(name) for name in HOOKS})


@pytest.mark.training
def test_lambda_callback_hook_order_matches_keras():
    x, y = h.data()
    results = []
    for lib in (lamina, keras):
        calls = []
        model = h.model(lib)
        cb = _recording_callback(lib, calls)
        model.fit(x, y, epochs=2, batch_size=8, verbose=0, validation_data=(x[:4], y[:4]),
                  callbacks=[cb])
        model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[cb])
        model.predict(x, batch_size=8, verbose=0, callbacks=[cb])
        results.append(calls)
    assert results[0] == results[1]
    assert results[0][:4] == ["on_train_begin", "on_epoch_begin:0", "on_train_batch_begin:0",
                              "on_train_batch_end:0"]


def test_lambda_callback_other_hooks_and_logs():
    seen = []
    cb = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, logs)),
                                  on_test_end=lambda logs: seen.append(("test", logs)))
    cb.on_epoch_end(3, {"loss": 1.0})
    cb.on_test_end({"loss": 2.0})
    cb.on_train_begin()  # not given: the base no-op
    assert seen == [(3, {"loss": 1.0}), ("test", {"loss": 2.0})]


class _Handler(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers.get("Content-Type"),
                                    self.headers.get("X-Test"), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_remote_monitor_posts_form_and_json(server):
    cb = callbacks.RemoteMonitor(root=server, headers={"X-Test": "yes"})
    cb.on_epoch_end(0, {"loss": np.float32(0.5), "acc": 0.25})
    cb = callbacks.RemoteMonitor(root=server, path="/json/", send_as_json=True)
    cb.on_epoch_end(1, {"loss": np.array(0.125)})
    (path, ctype, xtest, body), (jpath, jctype, _, jbody) = _Handler.received
    assert path == "/publish/epoch/end/" and xtest == "yes"
    assert ctype == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(body.decode())
    assert json.loads(form["data"][0]) == {"epoch": 0, "loss": 0.5, "acc": 0.25}
    assert jpath == "/json/" and jctype == "application/json"
    assert json.loads(jbody) == {"epoch": 1, "loss": 0.125}


@pytest.mark.training
def test_remote_monitor_in_fit(server):
    x, y = h.data()
    history = h.model().fit(x, y, epochs=2, batch_size=8, verbose=0,
                            callbacks=[callbacks.RemoteMonitor(root=server, send_as_json=True)])
    sent = [json.loads(r[3]) for r in _Handler.received]
    assert [s["epoch"] for s in sent] == [0, 1]
    assert [s["loss"] for s in sent] == history.history["loss"]


def test_remote_monitor_unreachable_warns():
    cb = callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor"):
        cb.on_epoch_end(0, {"loss": 1.0})


# -- TensorBoard -------------------------------------------------------------------------
def _fields(data):
    """A tiny protobuf decoder: {field number: [values]} (bytes for length-delimited)."""
    out, pos = {}, 0

    def varint():
        nonlocal pos
        shift = result = 0
        while True:
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while pos < len(data):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            value = varint()
        elif wire == 1:
            value = struct.unpack("<d", data[pos:pos + 8])[0]
            pos += 8
        elif wire == 5:
            value = data[pos:pos + 4]
            pos += 4
        else:
            length = varint()
            value = data[pos:pos + length]
            pos += length
        out.setdefault(field, []).append(value)
    return out


def _scalars(logdir):
    """{tag: [(step, value)]} from every event file in logdir."""
    out = {}
    for path in sorted(glob.glob(os.path.join(logdir, "events.out.tfevents.*"))):
        for raw in _tfevents.read_events(path):
            event = _fields(raw)
            for summary in event.get(5, []):
                for value in _fields(summary).get(1, []):
                    v = _fields(value)
                    tag = v[1][0].decode()
                    tensor = _fields(v[8][0])
                    plugin = _fields(_fields(v[9][0])[1][0])[1][0].decode()
                    if plugin == "scalars":
                        number = struct.unpack("<f", tensor[4][0])[0]
                        out.setdefault(tag, []).append((event[2][0], number))
                    else:
                        out.setdefault(tag, []).append((event.get(2, [0])[0], plugin))
    return out


def test_crc32c_and_records(tmp_path):
    assert _tfevents.crc32c(b"") == 0
    assert _tfevents.crc32c(b"123456789") == 0xE3069283
    writer = _tfevents.EventFileWriter(str(tmp_path))
    writer.add_scalar("x", 1.5, step=3)
    writer.close()
    events = _tfevents.read_events(writer.path)
    assert _fields(events[0])[3] == [b"brain.Event:2"]
    assert _scalars(str(tmp_path)) == {"x": [(3, 1.5)]}
    with open(writer.path, "r+b") as f:
        f.seek(-6, os.SEEK_END)
        f.write(b"\xff")
    with pytest.raises(ValueError, match="corrupted"):
        _tfevents.read_events(writer.path)


@pytest.mark.training
def test_tensorboard_in_fit(tmp_path):
    x, y = h.data()
    logdir = str(tmp_path / "logs")
    cb = callbacks.TensorBoard(log_dir=logdir, histogram_freq=1, update_freq=2,
                               write_steps_per_second=True)
    model = h.model(lr=0.05)
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0, validation_split=0.25,
                        callbacks=[cb])
    train = _scalars(os.path.join(logdir, "train"))
    val = _scalars(os.path.join(logdir, "validation"))
    np.testing.assert_allclose([v for _, v in train["epoch_loss"]], history.history["loss"],
                               rtol=1e-6)
    assert [s for s, _ in train["epoch_loss"]] == [0, 1]
    np.testing.assert_allclose([v for _, v in train["epoch_learning_rate"]], [0.05, 0.05])
    assert len(train["epoch_steps_per_second"]) == 2
    np.testing.assert_allclose([v for _, v in val["epoch_loss"]], history.history["val_loss"],
                               rtol=1e-6)
    # 3 batches per epoch, update_freq=2: global batches 2, 4, 6.
    assert [s for s, _ in train["batch_loss"]] == [2, 4, 6]
    assert [s for s, _ in val["evaluation_loss_vs_iterations"]] == [3, 6]
    hist_tags = [t for t in train if t.endswith("/histogram")]
    assert len(hist_tags) == 2 and all(len(train[t]) == 2 for t in hist_tags)
    assert train["keras"] == [(0, "graph_keras_model")]


@pytest.mark.training
@pytest.mark.backends("tensorflow")
def test_tensorboard_files_read_by_tensorflow(tmp_path):
    import tensorflow as tf

    x, y = h.data()
    logdir = str(tmp_path / "logs")
    history = h.model().fit(x, y, epochs=2, batch_size=8, verbose=0,
                            callbacks=[callbacks.TensorBoard(log_dir=logdir, histogram_freq=1)])
    (path,) = glob.glob(os.path.join(logdir, "train", "events.out.tfevents.*"))
    losses, histograms = [], []
    for event in tf.compat.v1.train.summary_iterator(path):
        for value in event.summary.value:
            array = tf.make_ndarray(value.tensor)
            if value.tag == "epoch_loss":
                assert value.metadata.plugin_data.plugin_name == "scalars"
                losses.append(float(array))
            elif value.tag.endswith("/histogram"):
                assert value.metadata.plugin_data.plugin_name == "histograms"
                assert array.shape == (30, 3)
                histograms.append(array[:, 2].sum())
    np.testing.assert_allclose(losses, history.history["loss"], rtol=1e-6)
    assert sorted(set(histograms)) == [1.0, 3.0]


def test_tensorboard_arguments():
    with pytest.raises(ValueError, match="profile_batch"):
        callbacks.TensorBoard(profile_batch=-1)
    with pytest.warns(UserWarning, match="Profiling is not available"):
        callbacks.TensorBoard(profile_batch=(2, 4))
    with pytest.raises(ValueError, match="update_freq"):
        callbacks.TensorBoard(update_freq="sometimes")
    assert callbacks.TensorBoard(update_freq="batch").update_freq == 1
