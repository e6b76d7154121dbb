"""Optimizer configs (same keys and defaults as Keras, round trips), stateless_apply,
the fused PyTorch path, and clear errors."""

import numpy as np
import pytest

import lamina
from lamina.backend import impl

from ._common import assert_close, gradient_sequence, run, run_stateless

keras = pytest.importorskip("keras")

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adadelta", "Adafactor", "Adagrad", "Adamax", "Ftrl",
         "Lamb", "Lion", "Nadam", "Muon", "ScheduleFreeAdamW"]


def _jsonable(config):
    return {k: v for k, v in config.items() if k != "name"}


@pytest.mark.parametrize("name", NAMES)
def test_default_config_matches_keras(name):
    ours = getattr(lamina.optimizers, name)().get_config()
    theirs = getattr(keras.optimizers, name)().get_config()
    assert _jsonable(ours) == _jsonable(theirs)
    assert sorted(ours) == sorted(theirs)


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip(name):
    cls = getattr(lamina.optimizers, name)
    opt = cls(learning_rate=0.05, clipnorm=1.5, use_ema=True, ema_momentum=0.9)
    config = opt.get_config()
    assert cls.from_config(config).get_config() == config
    again = lamina.optimizers.deserialize(lamina.optimizers.serialize(opt))
    assert type(again) is cls and again.get_config() == config
    assert type(lamina.optimizers.get(name.lower())) is cls
    assert type(lamina.optimizers.get(lamina.optimizers.serialize(opt))) is cls


def test_schedule_config_round_trip():
    schedule = lamina.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    opt = lamina.optimizers.Adam(learning_rate=schedule)
    again = lamina.optimizers.deserialize(lamina.optimizers.serialize(opt))
    assert isinstance(again._learning_rate, lamina.optimizers.schedules.ExponentialDecay)
    assert again.get_config() == opt.get_config()


def test_wrapper_configs_round_trip():
    lso = lamina.optimizers.LossScaleOptimizer(lamina.optimizers.Adam(0.01), initial_scale=4.0,
                                               dynamic_growth_steps=10)
    config = lso.get_config()
    # Keras 3.15's LossScaleOptimizer.get_config keys.
    assert sorted(config) == ["dynamic_growth_steps", "initial_scale", "inner_optimizer", "name"]
    again = lamina.optimizers.deserialize(lamina.optimizers.serialize(lso))
    assert isinstance(again.inner_optimizer, lamina.optimizers.Adam)
    assert again.get_config() == config
    omap = lamina.optimizers.OptimizerMap(lamina.optimizers.SGD(0.1),
                                          {"dense/.*": lamina.optimizers.Adam(0.01)})
    multi = lamina.optimizers.MultiOptimizer(omap, loss_scale_factor=2.0)
    again = lamina.optimizers.deserialize(lamina.optimizers.serialize(multi))
    assert isinstance(again, lamina.optimizers.MultiOptimizer)
    assert again.loss_scale_factor == 2.0
    assert isinstance(again._optimizer_map["dense/kernel"], lamina.optimizers.Adam)
    assert isinstance(again._optimizer_map["other"], lamina.optimizers.SGD)


STATELESS_CASES = [
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("Adam", {"learning_rate": 0.1, "amsgrad": True, "global_clipnorm": 0.7}),
    ("AdamW", {"learning_rate": 0.1, "use_ema": True, "ema_overwrite_frequency": 2}),
    ("RMSprop", {"learning_rate": 0.1, "centered": True, "momentum": 0.5}),
    ("Adagrad", {"learning_rate": 0.1, "gradient_accumulation_steps": 2}),
    ("Nadam", {"learning_rate": 0.1}),
    ("Adafactor", {"learning_rate": 0.1}),
    ("Lion", {"learning_rate": 0.1, "weight_decay": 0.1}),
    ("Muon", {"learning_rate": 0.1}),
    ("ScheduleFreeAdamW", {"learning_rate": 0.1}),
    ("Ftrl", {"learning_rate": 0.1, "l1_regularization_strength": 0.01}),
]


@pytest.mark.training
@pytest.mark.parametrize("name,kwargs", STATELESS_CASES, ids=[c[0] for c in STATELESS_CASES])
def test_stateless_apply_equals_apply(name, kwargs):
    cls = getattr(lamina.optimizers, name)
    stateful = run(lamina, cls(**kwargs))
    stateless = run_stateless(lamina, cls(**kwargs))
    assert_close(stateful[0], stateless[0], rtol=1e-6, atol=1e-7)
    assert_close(stateful[1], stateless[1], rtol=1e-6, atol=1e-7)


@pytest.mark.training
def test_loss_scale_optimizer_stateless_equals_apply():
    grads = [[g * 4.0 for g in gs] for gs in gradient_sequence(steps=5, nan_at=1)]

    def make():
        return lamina.optimizers.LossScaleOptimizer(lamina.optimizers.Adam(0.1),
                                                    initial_scale=4.0, dynamic_growth_steps=2)

    stateful, stateless = run(lamina, make(), grads), run_stateless(lamina, make(), grads)
    assert_close(stateful[0], stateless[0], rtol=1e-6, atol=1e-7)
    assert_close(stateful[1], stateless[1], rtol=1e-6, atol=1e-7)


@pytest.mark.backends("jax")
def test_stateless_apply_under_jit():
    import jax

    opt = lamina.optimizers.Adam(0.1, gradient_accumulation_steps=2, use_ema=True)
    eager = run(lamina, lamina.optimizers.Adam(0.1, gradient_accumulation_steps=2, use_ema=True))
    from ._common import make_variables

    variables = make_variables(lamina)
    opt.build(variables)
    step = jax.jit(opt.stateless_apply)
    params, state = [v.value for v in variables], [v.value for v in opt.variables]
    for grads in gradient_sequence():
        params, state = step(state, grads, params)
    assert_close([np.asarray(p) for p in params], eager[0], rtol=1e-6, atol=1e-7)


FUSED_CASES = [
    ("SGD", {"learning_rate": 0.1}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("Adam", {"learning_rate": 0.1}),
    ("Adam", {"learning_rate": 0.1, "amsgrad": True, "clipnorm": 0.5}),
    ("AdamW", {"learning_rate": 0.1, "weight_decay": 0.1}),
    ("RMSprop", {"learning_rate": 0.1}),
    ("RMSprop", {"learning_rate": 0.1, "momentum": 0.5, "centered": True}),
    ("Adagrad", {"learning_rate": 0.1}),
    ("Lion", {"learning_rate": 0.1, "weight_decay": 0.1}),
]


@pytest.mark.backends("torch")
@pytest.mark.parametrize("name,kwargs", FUSED_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FUSED_CASES)])
def test_fused_torch_path_equals_generic(name, kwargs, monkeypatch):
    cls = getattr(lamina.optimizers, name)
    calls = []
    real = impl.optimizers.fused_update

    def spy(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(impl.optimizers, "fused_update", spy)
    fused = run(lamina, cls(**kwargs))
    assert calls and all(c == calls[0] for c in calls)
    monkeypatch.setattr(impl.optimizers, "fused_update", lambda *a: False)
    monkeypatch.setattr(impl.optimizers, "fused_weight_decay", lambda *a: False)
    generic = run(lamina, cls(**kwargs))
    assert_close(fused[0], generic[0], rtol=1e-6, atol=1e-7)
    assert_close(fused[1], generic[1], rtol=1e-6, atol=1e-7)


@pytest.mark.backends("torch")
def test_fused_path_skipped_for_overridden_update_step(monkeypatch):
    class Halved(lamina.optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient * 0.5, variable, learning_rate)

    monkeypatch.setattr(impl.optimizers, "fused_update", lambda *a: pytest.fail("fused"))
    ours, _ = run(lamina, Halved(learning_rate=0.1))
    monkeypatch.undo()
    ref, _ = run(lamina, lamina.optimizers.SGD(learning_rate=0.05))
    assert_close(ours, ref, rtol=1e-6, atol=1e-7)


def test_ema_finalize_and_variable_order():
    opt = lamina.optimizers.Adam(0.1, use_ema=True)
    v = lamina.Variable(np.ones((2,), "float32"), name="w")
    opt.build([v])
    names = [x.name for x in opt.variables]
    assert names == ["iteration", "learning_rate", "w_average", "w_momentum", "w_velocity"]


@pytest.mark.parametrize("bad", [-0.1, "fast", None])
def test_bad_learning_rate(bad):
    with pytest.raises(ValueError, match="learning_rate"):
        lamina.optimizers.Adam(learning_rate=bad)


def test_bad_arguments():
    with pytest.raises(ValueError, match="Unknown optimizer 'adamz'"):
        lamina.optimizers.get("adamz")
    with pytest.raises(ValueError, match="Could not interpret"):
        lamina.optimizers.get(3)
    with pytest.raises(ValueError, match="not recognized"):
        lamina.optimizers.SGD(learning_rate=0.1, momentom=0.9)
    with pytest.raises(ValueError, match="only one of clipnorm"):
        lamina.optimizers.Adam(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="ema_momentum"):
        lamina.optimizers.Adam(use_ema=True, ema_momentum=2.0)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        lamina.optimizers.Adam(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="momentum"):
        lamina.optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="beta_1"):
        lamina.optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        lamina.optimizers.Ftrl(l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="weight_decay"):
        lamina.optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="does not support 'clipnorm'"):
        lamina.optimizers.LossScaleOptimizer(lamina.optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(TypeError, match="default_optimizer"):
        lamina.optimizers.OptimizerMap("sgd")
    omap = lamina.optimizers.OptimizerMap(lamina.optimizers.SGD())
    with pytest.raises(ValueError, match="LossScaleOptimizer"):
        omap["x"] = lamina.optimizers.LossScaleOptimizer(lamina.optimizers.SGD())


@pytest.mark.training
def test_apply_errors():
    opt = lamina.optimizers.SGD(0.1)
    v, w = lamina.Variable(np.ones(2, "float32"), name="v"), lamina.Variable(1.0, name="w")
    with pytest.raises(ValueError, match="pass trainable_variables"):
        opt.apply([np.ones(2, "float32")])
    opt.apply([np.ones(2, "float32")], [v])
    with pytest.raises(ValueError, match="unknown variable 'w'"):
        opt.apply([np.float32(1.0)], [w])
    with pytest.raises(ValueError, match="received 2 gradients"):
        opt.apply([np.ones(2, "float32")] * 2, [v])
    with pytest.raises(ValueError, match="no gradients provided"):
        opt.apply([None], [v])
    with pytest.raises(ValueError, match="build the optimizer first"):
        lamina.optimizers.Adam().stateless_apply([], [], [])
