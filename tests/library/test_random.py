"""Tests of ``lamina.random`` on the active backend: shapes, dtypes, seeding,
distribution statistics and errors (Keras's numbers cannot be matched: each
framework has its own generator, so the checks are statistical)."""

import random as py_random
import subprocess
import sys

import numpy as np
import pytest

import lamina
from lamina import random as lr
from lamina.backend import impl

BACKEND = lamina.backend.backend()
N = 4000


def np_(x):
    return impl.core.convert_to_numpy(x)


def dtype_of(x):
    return lamina.backend.standardize_dtype(x.dtype)


SAMPLERS = {
    "normal": lambda shape, **kw: lr.normal(shape, **kw),
    "uniform": lambda shape, **kw: lr.uniform(shape, **kw),
    "truncated_normal": lambda shape, **kw: lr.truncated_normal(shape, **kw),
    "gamma": lambda shape, **kw: lr.gamma(shape, 2.0, **kw),
    "beta": lambda shape, **kw: lr.beta(shape, 2.0, 3.0, **kw),
    "binomial": lambda shape, **kw: lr.binomial(shape, 10, 0.3, **kw),
}
FLOAT_DTYPES = ["float32", "float16"] + ([] if BACKEND == "jax" else ["float64"])


# -- shapes and dtypes ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3, 1)])
def test_shape_and_default_dtype(name, shape):
    x = SAMPLERS[name](shape, seed=1)
    assert tuple(x.shape) == shape
    assert dtype_of(x) == lamina.config.floatx()


@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_float_dtypes(name, dtype):
    x = SAMPLERS[name]((5,), dtype=dtype, seed=1)
    assert dtype_of(x) == dtype
    assert np.all(np.isfinite(np_(x).astype(np.float64)))


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "int16"])
def test_randint_dtypes(dtype):
    if BACKEND == "jax" and dtype == "int64":
        pytest.skip("jax runs 32-bit")
    x = lr.randint((50,), 2, 7, dtype=dtype, seed=3)
    assert dtype_of(x) == dtype
    v = np_(x)
    assert v.min() >= 2 and v.max() < 7


def test_randint_default_dtype():
    assert dtype_of(lr.randint((2,), 0, 5, seed=0)) == "int32"


# -- seeding ----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_int_seed_is_repeatable_and_seeds_differ(name):
    a = np_(SAMPLERS[name]((20,), seed=7))
    b = np_(SAMPLERS[name]((20,), seed=7))
    c = np_(SAMPLERS[name]((20,), seed=8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_seed_generator_sequence():
    g1, g2 = lr.SeedGenerator(11), lr.SeedGenerator(11)
    a1, b1 = np_(lr.normal((8,), seed=g1)), np_(lr.normal((8,), seed=g1))
    a2, b2 = np_(lr.normal((8,), seed=g2)), np_(lr.normal((8,), seed=g2))
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(a1, b1)
    # The first draw of SeedGenerator(s) equals the int seed s.
    np.testing.assert_array_equal(a1, np_(lr.normal((8,), seed=11)))


def test_seed_generator_state_variable():
    g = lr.SeedGenerator(5)
    assert isinstance(g.state, lamina.Variable)
    assert g.state.shape == (2,)
    assert not g.state.trainable
    assert np_(g.state.value).tolist() == [5, 0]
    g.next()
    g.next()
    assert np_(g.state.value).tolist() == [5, 2]
    assert lr.SeedGenerator.from_config(g.get_config()).get_config() == g.get_config()


def test_seed_generator_unseeded_differs():
    a = np_(lr.normal((8,), seed=lr.SeedGenerator()))
    b = np_(lr.normal((8,), seed=lr.SeedGenerator()))
    assert not np.array_equal(a, b)


def test_global_seed_generator():
    a, b = np_(lr.normal((8,))), np_(lr.normal((8,)))
    assert not np.array_equal(a, b)
    py_random.seed(123)
    lamina.backend.clear_session()
    c = np_(lr.uniform((8,)))
    py_random.seed(123)
    lamina.backend.clear_session()
    d = np_(lr.uniform((8,)))
    np.testing.assert_array_equal(c, d)


_SCRIPT = """
import numpy as np, lamina
g = lamina.random.SeedGenerator(21)
parts = [lamina.random.normal((4,), seed=g), lamina.random.uniform((4,), seed=g),
         lamina.random.randint((4,), 0, 100, seed=5), lamina.random.shuffle(np.arange(6), seed=9),
         lamina.random.dropout(np.ones((6,)), 0.5, seed=g), lamina.random.gamma((3,), 1.5, seed=2)]
print([np.asarray(lamina.backend.impl.core.convert_to_numpy(p)).round(6).tolist() for p in parts])
"""


def test_repeatable_in_fresh_processes():
    runs = [
        subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                       check=True, env={**__import__("os").environ, "LAMINA_BACKEND": BACKEND})
        .stdout.strip().splitlines()[-1]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


# -- statistics -------------------------------------------------------------------

def test_normal_statistics():
    x = np_(lr.normal((N,), mean=3.0, stddev=2.0, seed=1)).astype(np.float64)
    assert abs(x.mean() - 3.0) < 0.15 and abs(x.std() - 2.0) < 0.1


def test_uniform_statistics():
    x = np_(lr.uniform((N,), minval=-1.0, maxval=3.0, seed=1)).astype(np.float64)
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(x.mean() - 1.0) < 0.1 and abs(x.std() - 4 / np.sqrt(12)) < 0.06


def test_randint_statistics():
    x = np_(lr.randint((N,), -3, 4, seed=1))
    assert set(np.unique(x).tolist()) == set(range(-3, 4))
    assert abs(x.mean()) < 0.15


def test_truncated_normal_statistics():
    x = np_(lr.truncated_normal((N,), mean=1.0, stddev=0.5, seed=1)).astype(np.float64)
    assert x.min() >= 1.0 - 2 * 0.5 - 1e-6 and x.max() <= 1.0 + 2 * 0.5 + 1e-6
    # The standard normal cut at +-2 has standard deviation 0.8796.
    assert abs(x.mean() - 1.0) < 0.05 and abs(x.std() - 0.8796 * 0.5) < 0.03


@pytest.mark.parametrize("alpha", [0.5, 2.0, 5.0])
def test_gamma_statistics(alpha):
    x = np_(lr.gamma((N,), alpha, seed=1)).astype(np.float64)
    assert x.min() >= 0
    assert abs(x.mean() - alpha) < 0.1 * max(alpha, 1) and abs(x.var() - alpha) < 0.25 * max(alpha, 1)


def test_beta_statistics():
    x = np_(lr.beta((N,), 2.0, 6.0, seed=1)).astype(np.float64)
    assert x.min() >= 0 and x.max() <= 1
    assert abs(x.mean() - 0.25) < 0.02


def test_binomial_statistics():
    x = np_(lr.binomial((N,), 20, 0.25, seed=1)).astype(np.float64)
    assert np.all(x == np.round(x)) and x.min() >= 0 and x.max() <= 20
    assert abs(x.mean() - 5.0) < 0.2 and abs(x.var() - 3.75) < 0.4


def test_tensor_parameters_broadcast():
    alpha = np.array([1.0, 10.0], dtype="float32")
    x = np_(lr.gamma((N // 2, 2), alpha, seed=3)).astype(np.float64)
    np.testing.assert_allclose(x.mean(axis=0), [1.0, 10.0], rtol=0.1)
    p = np.array([0.1, 0.9], dtype="float32")
    y = np_(lr.binomial((N // 2, 2), 10, p, seed=3)).astype(np.float64)
    np.testing.assert_allclose(y.mean(axis=0), [1.0, 9.0], rtol=0.1)


# -- dropout, shuffle, categorical ------------------------------------------------

@pytest.mark.parametrize("rate", [0.0, 0.2, 0.7])
def test_dropout_rate_and_scale(rate):
    x = np.full((40, 50), 3.0, dtype="float32")
    y = np_(lr.dropout(x, rate, seed=4))
    kept = y != 0
    assert abs(1 - kept.mean() - rate) < 0.04
    np.testing.assert_allclose(y[kept], 3.0 / (1 - rate), rtol=1e-6)


def test_dropout_dtype_and_noise_shape():
    x = np.ones((6, 5, 8), dtype="float16")
    y = lr.dropout(x, 0.5, noise_shape=(6, 1, 8), seed=2)
    assert dtype_of(y) == "float16"
    v = np_(y)
    assert np.all(v == v[:, :1, :])  # one mask broadcast along axis 1
    assert set(np.unique(v).tolist()) <= {0.0, 2.0}
    w = np_(lr.dropout(np.ones((3, 4), "float32"), 0.5, noise_shape=(None, 1), seed=2))
    assert np.all(w == w[:, :1])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_shuffle_is_permutation(axis):
    x = np.arange(24).reshape(4, 6).astype("int32")
    y = np_(lr.shuffle(x, axis=axis, seed=5))
    assert y.shape == x.shape and y.dtype == x.dtype
    ax = axis % 2
    # Whole slices move together: y is x with permuted indices along `axis`.
    first = np.take(y, 0, axis=1 - ax)
    perm = [int(np.where(np.take(x, 0, axis=1 - ax) == v)[0][0]) for v in first]
    assert sorted(perm) == list(range(x.shape[ax]))
    np.testing.assert_array_equal(y, np.take(x, perm, axis=ax))


def test_shuffle_changes_order():
    x = np.arange(50)
    y = np_(lr.shuffle(x, seed=1))
    assert sorted(y.tolist()) == list(range(50)) and not np.array_equal(x, y)


def test_categorical_respects_logits():
    probs = np.array([[0.2, 0.0, 0.8], [0.0, 1.0, 0.0]])
    with np.errstate(divide="ignore"):
        logits = np.log(probs).astype("float32")
    out = lr.categorical(logits, 2000, seed=6)
    assert tuple(out.shape) == (2, 2000) and dtype_of(out) == "int32"
    v = np_(out)
    assert not np.any(v[0] == 1) and np.all(v[1] == 1)
    assert abs((v[0] == 2).mean() - 0.8) < 0.04
    assert dtype_of(lr.categorical(logits, 3, dtype="int64" if BACKEND != "jax" else "int16",
                                   seed=1)) in ("int64", "int16")


def test_symbolic_inputs():
    kt = lamina.KerasTensor((None, 4), dtype="float32")
    out = lr.dropout(kt, 0.5)
    assert isinstance(out, lamina.KerasTensor) and out.shape == (None, 4)
    assert lr.shuffle(kt).shape == (None, 4)
    assert lr.categorical(kt, 3).shape == (None, 3)


# -- errors -----------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: lr.normal((2, -1), seed=1), "random.normal: expected `shape`"),
    (lambda: lr.uniform("abc", seed=1), "random.uniform: expected `shape`"),
    (lambda: lr.normal((2,), seed="abc"), "random.normal: expected `seed`"),
    (lambda: lr.shuffle(np.arange(3), seed=1.5), "random.shuffle: expected `seed`"),
    (lambda: lr.dropout(np.ones(3), 1.0, seed=1), "random.dropout: expected `rate` in [0, 1)"),
    (lambda: lr.dropout(np.ones(3), -0.1, seed=1), "random.dropout: expected `rate`"),
    (lambda: lr.dropout(np.ones((2, 3)), 0.5, noise_shape=(2, 2)), "random.dropout: `noise_shape`"),
    (lambda: lr.uniform((2,), dtype="int32", seed=1), "random.uniform: expected a floating-point"),
    (lambda: lr.randint((2,), 0, 3, dtype="float32", seed=1), "random.randint: expected an integer"),
    (lambda: lr.categorical(np.ones(3), 2, seed=1), "random.categorical: expected `logits` of rank 2"),
    (lambda: lr.categorical(np.ones((1, 3)), -2, seed=1), "random.categorical: expected a non-negative"),
    (lambda: lr.shuffle(np.ones((2, 3)), axis=2, seed=1), "random.shuffle: `axis`=2"),
    (lambda: lr.gamma((2,), -1.0, seed=1), "random.gamma: expected a positive `alpha`"),
    (lambda: lr.beta((2,), 1.0, 0.0, seed=1), "random.beta: expected a positive `beta`"),
    (lambda: lr.binomial((2,), 5, 1.5, seed=1), "random.binomial: expected `probabilities`"),
    (lambda: lr.SeedGenerator("abc"), "SeedGenerator: expected `seed`"),
])
def test_bad_arguments(call, match):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert match in str(info.value)


# -- compiled ---------------------------------------------------------------------

@pytest.mark.skipif(BACKEND != "jax", reason="jax only")
def test_jax_jit_with_stateless_seed_generator():
    import jax

    gen = lr.SeedGenerator(8)

    @jax.jit
    def step(state):
        with lamina.StatelessScope(state_mapping=[(gen.state, state)]) as scope:
            x = lr.normal((4,), seed=gen)
            y = lr.dropout(np.ones((4,), "float32"), 0.5, seed=gen)
        return x, y, scope.get_current_value(gen.state)

    state = gen.state.value
    x1, y1, state = step(state)
    x2, _, state = step(state)
    assert np_(state).tolist() == [8, 4]
    np.testing.assert_array_equal(np_(x1), np_(lr.normal((4,), seed=8)))
    assert not np.array_equal(np_(x1), np_(x2))
    assert np_(gen.state.value).tolist() == [8, 0]  # the variable itself is untouched


@pytest.mark.skipif(BACKEND != "jax", reason="jax only")
def test_jax_jit_global_seed_raises():
    import jax

    with pytest.raises(ValueError, match="random.normal: seed=None"):
        jax.jit(lambda: lr.normal((2,)))()
    # An int seed works under jit.
    np.testing.assert_array_equal(np_(jax.jit(lambda: lr.uniform((3,), seed=2))()),
                                  np_(lr.uniform((3,), seed=2)))


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tensorflow only")
def test_tf_function_with_seed_generator():
    import tensorflow as tf

    gen = lr.SeedGenerator(9)
    fn = tf.function(lambda: (lr.normal((4,), seed=gen), lr.shuffle(tf.range(5), seed=gen)))
    a, _ = fn()
    b, _ = fn()
    assert not np.array_equal(np_(a), np_(b))
    np.testing.assert_array_equal(np_(a), np_(lr.normal((4,), seed=9)))
    assert np_(gen.state.value).tolist() == [9, 4]
    x = tf.function(lambda t: lr.dropout(t, 0.5, seed=1))(tf.ones((3, 4)))
    assert x.shape == (3, 4)


@pytest.mark.training
def test_random_ops_take_the_dynamic_batch_size_inside_fit():
    # The last batch is partial, so inside tf.function the batch dimension is unknown and
    # ops.shape(x) holds a tensor there; random ops must accept it (as Keras's do).
    class Noise(lamina.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed = lamina.random.SeedGenerator(1)

        def call(self, x, training=False):
            if training:
                return x + lamina.random.normal(lamina.ops.shape(x), stddev=0.1, seed=self.seed)
            return x

    model = lamina.Sequential([lamina.Input((4,)), Noise(), lamina.layers.GaussianNoise(0.1),
                               lamina.layers.GaussianDropout(0.1), lamina.layers.Dense(1)])
    model.compile("sgd", "mse")
    rng = np.random.default_rng(0)
    history = model.fit(rng.random((10, 4), dtype="float32"), rng.random((10, 1), dtype="float32"),
                        batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
