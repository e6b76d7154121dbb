"""Subclassed layers and models without get_config save and load with their
constructor arguments (as Keras 3 does); arguments that cannot be recorded give a
clear error at save time instead of a silently different model."""

import numpy as np
import pytest

import lamina


@lamina.saving.register_keras_serializable(package="auto_config_test")
class Scale(lamina.layers.Layer):
    def __init__(self, factor=2.0, offsets=(0.0,), **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.offsets = offsets

    def call(self, x):
        return x * self.factor + self.offsets[0]


@lamina.saving.register_keras_serializable(package="auto_config_test")
class Tiny(lamina.Model):
    def __init__(self, hidden=4, **kwargs):
        super().__init__(**kwargs)
        self.dense = lamina.layers.Dense(hidden)
        self.scale = Scale(factor=3.0)

    def call(self, x):
        return self.scale(self.dense(x))


@lamina.saving.register_keras_serializable(package="auto_config_test")
class HoldsALayer(lamina.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)


def test_layer_config_records_constructor_arguments():
    config = Scale(factor=5.0, name="s").get_config()
    assert config["factor"] == 5.0 and config["offsets"] == (0.0,) and config["name"] == "s"
    clone = Scale.from_config(config)
    assert clone.factor == 5.0 and clone.name == "s"
    # Built-in layers keep their own configs.
    assert "factor" not in lamina.layers.Dense(2).get_config()


def test_subclassed_model_without_get_config_round_trips(tmp_path):
    model = Tiny(hidden=7)
    x = np.ones((2, 3), "float32")
    expected = model(x)
    assert model.get_config()["hidden"] == 7
    model.save(tmp_path / "tiny.keras")
    loaded = lamina.saving.load_model(tmp_path / "tiny.keras")
    assert isinstance(loaded, Tiny) and loaded.dense.units == 7 and loaded.scale.factor == 3.0
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(loaded(x)),
                               lamina.ops.convert_to_numpy(expected), rtol=1e-6)


def test_unrecordable_arguments_fail_clearly_at_save(tmp_path):
    layer = HoldsALayer(lamina.layers.Dense(2))
    with pytest.raises(NotImplementedError, match="HoldsALayer has constructor arguments .* "
                                                  "Implement get_config"):
        layer.get_config()
    model = lamina.Sequential([lamina.Input((3,)), layer])
    with pytest.raises(NotImplementedError, match="HoldsALayer"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()
