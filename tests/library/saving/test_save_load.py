"""Round trips within lamina: save/load, compile state, fit continuation, weights files,
JSON, clone_model, atomic writes."""

import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import lamina
from tests.library.saving.helpers import data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _model():
    inputs = lamina.Input((3,))
    h = lamina.layers.Dense(4, activation="relu")(inputs)
    h = lamina.ops.concatenate([h, inputs], axis=-1)
    return lamina.Model(inputs, lamina.layers.Dense(2)(h))


def test_archive_members_and_config(tmp_path):
    model = _model()
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
    assert config["class_name"] == "Functional"
    assert config["module"] == "keras.src.models.functional"
    assert {"layers", "input_layers", "output_layers"} <= set(config["config"])
    assert "keras_version" in metadata and "date_saved" in metadata


def test_save_load_predictions(tmp_path):
    x, _ = data()
    model = _model()
    lamina.saving.save_model(model, tmp_path / "m.keras")
    restored = lamina.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert [w.shape for w in restored.weights] == [w.shape for w in model.weights]


def test_save_rejects_bad_paths(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match="keras"):
        model.save(tmp_path / "m.txt")
    with pytest.raises(ValueError, match="legacy"):
        model.save(tmp_path / "m.h5")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.keras", overwrite=False)
    with pytest.raises(ValueError, match="weights.h5"):
        model.save_weights(tmp_path / "m.h5")


def test_weights_roundtrip_and_mismatch(tmp_path):
    x, _ = data()
    model, other = _model(), _model()
    model.save_weights(tmp_path / "m.weights.h5")
    other.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    other.load_weights(tmp_path / "m.keras") if os.path.exists(tmp_path / "m.keras") else None
    inputs = lamina.Input((3,))
    wrong = lamina.Model(inputs, lamina.layers.Dense(5)(lamina.ops.concatenate(
        [lamina.layers.Dense(4)(inputs), inputs], axis=-1)))
    before = [np.array(w) for w in wrong.get_weights()]
    with pytest.raises(ValueError, match="shape mismatch"):
        wrong.load_weights(tmp_path / "m.weights.h5")
    # Nothing was assigned, not even the matching first layer.
    for b, a in zip(before, wrong.get_weights()):
        np.testing.assert_array_equal(b, a)


def test_to_json_and_model_from_json():
    x, _ = data()
    model = _model()
    text = model.to_json()
    assert json.loads(text)["class_name"] == "Functional"
    rebuilt = lamina.models.model_from_json(text)
    assert [w.shape for w in rebuilt.weights] == [w.shape for w in model.weights]
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_clone_model():
    x, _ = data()
    seq = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    for model in (_model(), seq):
        clone = lamina.models.clone_model(model)
        assert clone is not model
        assert all(a is not b for a, b in zip(clone.weights, model.weights))
        assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
        clone.set_weights(model.get_weights())
        np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0),
                                   rtol=1e-6)
    seen = []
    lamina.models.clone_model(seq, clone_function=lambda layer: seen.append(layer.name) or
                              type(layer).from_config(layer.get_config()))
    assert seen == [seq.layers[0].name]


@pytest.mark.filterwarnings("ignore:Skipping variable loading")
def test_compile_state_travels(tmp_path):
    model = _model()
    model.compile(optimizer=lamina.optimizers.SGD(0.05, momentum=0.5), loss="mae", metrics=["mse"])
    model.save(tmp_path / "m.keras")
    restored = lamina.models.load_model(tmp_path / "m.keras")
    assert restored.compiled
    assert type(restored.optimizer).__name__ == "SGD"
    assert restored.optimizer.get_config()["momentum"] == 0.5
    assert restored.get_compile_config()["loss"] == "mae"
    plain = lamina.models.load_model(tmp_path / "m.keras", compile=False)
    assert not plain.compiled


@pytest.mark.training
@pytest.mark.parametrize("optimizer", ["adam", "sgd_momentum"])
def test_fit_continues_after_load(optimizer, tmp_path):
    x, y = data(n=8)

    def fresh():
        lamina.utils.set_random_seed(3) if hasattr(lamina.utils, "set_random_seed") else None
        model = _model()
        model.set_weights([np.full(w.shape, 0.1 * (i + 1), "float32")
                           for i, w in enumerate(model.get_weights())])
        opt = (lamina.optimizers.Adam(0.01) if optimizer == "adam"
               else lamina.optimizers.SGD(0.01, momentum=0.9))
        model.compile(optimizer=opt, loss="mse", metrics=["mae"])
        return model

    straight = fresh().fit(x, y, epochs=4, batch_size=4, shuffle=False, verbose=0).history["loss"]
    first = fresh()
    part1 = first.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0).history["loss"]
    first.save(tmp_path / "m.keras")
    second = lamina.models.load_model(tmp_path / "m.keras")
    assert int(np.asarray(second.optimizer.iterations)) == 4
    part2 = second.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(part1 + part2, straight, rtol=1e-5)


def test_interrupted_save_keeps_previous_file(tmp_path):
    """Kill a process in the middle of save: the old file is intact, no temp file is left
    under the target name."""
    target = tmp_path / "m.keras"
    model = _model()
    model.save(target)
    before = target.read_bytes()
    marker = tmp_path / "writing"
    script = textwrap.dedent(f"""
        import time, lamina
        from lamina.saving import weights_h5
        original = weights_h5.save_state
        def slow(model, f):
            original(model, f)
            open({str(marker)!r}, "w").close()
            time.sleep(60)
        weights_h5.save_state = slow
        inputs = lamina.Input((3,))
        model = lamina.Model(inputs, lamina.layers.Dense(7)(inputs))
        model.save({str(target)!r})
    """)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "library"))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            if marker.exists() or proc.poll() is not None:
                break
            import time

            time.sleep(0.1)
        assert marker.exists(), proc.stderr.read().decode()[-2000:]
        proc.kill()
    finally:
        proc.wait()
    assert target.read_bytes() == before
    restored = lamina.models.load_model(target)
    assert restored.layers[-1].units == 2


def test_failed_save_leaves_no_temp_file(tmp_path, monkeypatch):
    from lamina.saving import weights_h5

    model = _model()
    model.save(tmp_path / "m.keras")

    def boom(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(weights_h5, "save_state", boom)
    with pytest.raises(RuntimeError):
        model.save(tmp_path / "m.keras")
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]
    lamina.models.load_model(tmp_path / "m.keras")
