"""Core ops the case harness cannot express: control flow with Python callables
under ``jax.jit`` / ``tf.function``, their gradients, ``custom_gradient``, the
non-op helpers (shape, dtype, is_tensor) and shape rules without tensor inputs."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend import impl

BACKEND = lamina.backend.backend()


def np_(x):
    return impl.core.convert_to_numpy(x)


def compiled(fn):
    """``fn`` under the backend's compiler (identity on torch and numpy)."""
    if BACKEND == "jax":
        import jax

        return jax.jit(fn)
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return tf.function(fn)
    return fn


def grad(fn, x):
    """d(sum(fn(x)))/dx with the backend's autodiff."""
    x = impl.core.convert_to_tensor(x)
    if BACKEND == "jax":
        import jax

        return np.asarray(jax.grad(lambda v: fn(v).sum())(x))
    if BACKEND == "torch":
        import torch

        x = x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(fn(x).sum(), [x])
        return g.numpy()
    if BACKEND == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(fn(x))
        return tape.gradient(y, x).numpy()
    pytest.skip("no gradients on numpy")


X = np.array([1.0, -2.0, 3.0], "float32")


# -- cond / switch with a traced predicate ------------------------------------------

def test_cond_traced_predicate():
    f = compiled(lambda x: ops.cond(ops.sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0))
    np.testing.assert_allclose(np_(f(impl.core.convert_to_tensor(X))), X * 2)
    np.testing.assert_allclose(np_(f(impl.core.convert_to_tensor(-X))), -X - 1)


def test_cond_gradient():
    g = grad(lambda x: ops.cond(ops.sum(x) > 0, lambda: x * x, lambda: x), X)
    np.testing.assert_allclose(g, 2 * X)


def test_switch_traced_index():
    branches = [lambda x: x + 1.0, lambda x: x * 3.0, lambda x: -x]
    f = compiled(lambda i, x: ops.switch(i, branches, x))
    x = impl.core.convert_to_tensor(X)
    for i, want in [(0, X + 1), (1, X * 3), (2, -X), (7, -X), (-3, X + 1)]:
        np.testing.assert_allclose(np_(f(impl.core.convert_to_tensor(np.int32(i)), x)), want)


# -- loops ---------------------------------------------------------------------------

def test_while_loop_single_and_tuple():
    out = compiled(lambda: ops.while_loop(lambda i: i < 10, lambda i: i + 3, 0))()
    assert int(np_(out)) == 12
    i, s = compiled(lambda x: ops.while_loop(
        lambda i, s: i < 4, lambda i, s: (i + 1, s * 2.0), (0, x)))(impl.core.convert_to_tensor(X))
    assert int(np_(i)) == 4
    np.testing.assert_allclose(np_(s), X * 16)


def test_while_loop_maximum_iterations():
    out = ops.while_loop(lambda i: i < 100, lambda i: i + 1, 0, maximum_iterations=5)
    assert int(np_(out)) == 5
    out = ops.while_loop(lambda i, j: i < 100, lambda i, j: (i + 1, j - 1), [0, 0], maximum_iterations=3)
    assert [int(np_(v)) for v in out] == [3, -3]


def test_fori_loop():
    f = compiled(lambda x: ops.fori_loop(0, 5, lambda i, v: v + ops.cast(i, "float32"), x))
    np.testing.assert_allclose(np_(f(impl.core.convert_to_tensor(X))), X + 10)
    out = ops.fori_loop(2, 2, lambda i, v: v + 1.0, impl.core.convert_to_tensor(X))
    np.testing.assert_allclose(np_(out), X)


def test_fori_loop_gradient():
    if BACKEND == "tensorflow":
        pass  # tf.while_loop is differentiable
    g = grad(lambda x: ops.fori_loop(0, 3, lambda i, v: v * x, ops.ones_like(x)), X)
    np.testing.assert_allclose(g, 3 * X ** 2, rtol=1e-5)


def test_scan_structures_and_gradient():
    def step(carry, x):
        a, b = carry
        return (a + x, b * 2.0), {"sum": a + x, "double": b}

    xs = np.arange(6, dtype="float32").reshape(3, 2)
    f = compiled(lambda init, xs: ops.scan(step, (init, init), xs))
    init = impl.core.convert_to_tensor(np.ones(2, "float32"))
    (a, b), ys = f(init, impl.core.convert_to_tensor(xs))
    np.testing.assert_allclose(np_(a), 1 + xs.sum(0))
    np.testing.assert_allclose(np_(b), np.full(2, 8.0))
    np.testing.assert_allclose(np_(ys["sum"]), 1 + np.cumsum(xs, 0))
    np.testing.assert_allclose(np_(ys["double"]), [[1, 1], [2, 2], [4, 4]])
    g = grad(lambda x: ops.scan(lambda c, v: (c * v, c), ops.ones((3,)), ops.stack([x, x]))[0], X)
    np.testing.assert_allclose(g, 2 * X, rtol=1e-5)


def test_scan_without_xs_and_empty():
    carry, ys = ops.scan(lambda c, _: (c + 1, c), impl.core.convert_to_tensor(np.int32(0)), None, length=4)
    assert int(np_(carry)) == 4
    np.testing.assert_array_equal(np_(ys), [0, 1, 2, 3])
    carry, ys = ops.scan(lambda c, x: (c + x, x * 2.0), impl.core.convert_to_tensor(np.zeros(2, "float32")),
                         impl.core.convert_to_tensor(np.zeros((0, 2), "float32")))
    assert np_(ys).shape == (0, 2)


def test_map_and_vectorized_map_compiled():
    xs = impl.core.convert_to_tensor(np.arange(6, dtype="float32").reshape(3, 2))
    out = compiled(lambda v: ops.map(lambda r: {"s": ops.sum(r), "r": r * 2.0}, v))(xs)
    np.testing.assert_allclose(np_(out["s"]), [1, 5, 9])
    np.testing.assert_allclose(np_(out["r"]), np_(xs) * 2)
    out = compiled(lambda v: ops.vectorized_map(lambda r: ops.sum(r * r), v))(xs)
    np.testing.assert_allclose(np_(out), (np_(xs) ** 2).sum(1))


def test_associative_scan_tuple_and_non_commutative():
    # composition of affine maps (a, b): x -> a x + b, associative but not commutative
    def compose(p, q):
        return (q[0] * p[0], q[0] * p[1] + q[1])

    a = np.array([2.0, 0.5, 3.0, -1.0, 1.5], "float32")
    b = np.array([1.0, -1.0, 0.5, 2.0, 0.0], "float32")
    want_a, want_b = [a[0]], [b[0]]
    for i in range(1, 5):
        want_a.append(a[i] * want_a[-1])
        want_b.append(a[i] * want_b[-1] + b[i])
    fa, fb = compiled(lambda u, v: ops.associative_scan(compose, (u, v)))(
        impl.core.convert_to_tensor(a), impl.core.convert_to_tensor(b))
    np.testing.assert_allclose(np_(fa), want_a, rtol=1e-5)
    np.testing.assert_allclose(np_(fb), want_b, rtol=1e-5)


# -- custom_gradient -------------------------------------------------------------------

def test_custom_gradient():
    @ops.custom_gradient
    def clip_grad(x):
        def grad_fn(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * 0.5

        return x * 3.0, grad_fn

    x = impl.core.convert_to_tensor(X)
    np.testing.assert_allclose(np_(clip_grad(x)), X * 3)
    np.testing.assert_allclose(grad(clip_grad, X), np.full(3, 0.5))
    if BACKEND in ("jax", "tensorflow"):
        np.testing.assert_allclose(np_(compiled(clip_grad)(x)), X * 3)


def test_custom_gradient_upstream_only_signature():
    if BACKEND == "numpy":
        pytest.skip("no gradients on numpy")

    @ops.custom_gradient
    def f(x):
        def grad_fn(upstream):
            return upstream * 2.0

        return x + 1.0, grad_fn

    np.testing.assert_allclose(grad(f, X), np.full(3, 2.0))


# -- slices, scatter under compilation ---------------------------------------------------

def test_slice_update_dynamic_start():
    if BACKEND not in ("jax", "tensorflow"):
        pytest.skip("compilation only")
    x = impl.core.convert_to_tensor(np.zeros((4, 4), "float32"))
    f = compiled(lambda s: ops.slice_update(x, [s, s], ops.ones((2, 2))))
    out = np_(f(impl.core.convert_to_tensor(np.int32(1))))
    want = np.zeros((4, 4), "float32")
    want[1:3, 1:3] = 1
    np.testing.assert_allclose(out, want)
    g = compiled(lambda s: ops.slice(x + 1.0, [s, 0], [2, 4]))
    assert np_(g(impl.core.convert_to_tensor(np.int32(2)))).shape == (2, 4)


# -- helpers and symbolic behaviour -------------------------------------------------------

def test_shape_dtype_is_tensor():
    t = ops.ones((2, 3))
    assert ops.shape(t) == (2, 3)
    assert ops.shape(np.zeros((4,))) == (4,)
    assert ops.shape(lamina.KerasTensor((None, 3))) == (None, 3)
    assert ops.dtype(t) == "float32"
    assert ops.dtype(np.zeros(2, "int32")) == "int32"
    assert ops.dtype(lamina.KerasTensor((2,), dtype="float16")) == "float16"
    assert ops.is_tensor(t)
    assert not ops.is_tensor(lamina.KerasTensor((2,)))
    assert not ops.is_tensor([1, 2])


def test_tf_shape_dynamic_dims():
    if BACKEND != "tensorflow":
        pytest.skip("tensorflow only")
    import tensorflow as tf

    seen = {}

    @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
    def f(x):
        shape = ops.shape(x)
        seen["static"] = shape[1]
        return ops.zeros((shape[0], 2))

    assert f(tf.ones((5, 3))).shape == (5, 2)
    assert seen["static"] == 3


def test_convert_to_numpy_rejects_keras_tensor():
    with pytest.raises(TypeError, match="ops.convert_to_numpy.*symbolic"):
        ops.convert_to_numpy(lamina.KerasTensor((None, 2)))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.ones((2,))), [1.0, 1.0])


def test_symbolic_control_flow_specs():
    x = lamina.KerasTensor((None, 3))
    out = ops.cond(lamina.KerasTensor((), dtype="bool"), lambda: x * 2.0, lambda: x)
    assert out.shape == (None, 3)
    carry, ys = ops.scan(lambda c, v: (c + v, v * 2.0), lamina.KerasTensor((3,)), lamina.KerasTensor((5, 3)))
    assert carry.shape == (3,) and ys.shape == (5, 3)
    assert ops.map(lambda r: ops.sum(r), x).shape == (None,)
    out = ops.while_loop(lambda a, b: True, lambda a, b: (a, b), (x, lamina.KerasTensor((), dtype="int32")))
    assert [o.shape for o in out] == [(None, 3), ()]
    assert ops.fori_loop(0, 3, lambda i, v: v, x).shape == (None, 3)
    assert ops.associative_scan(lambda a, b: a + b, x, axis=1).shape == (None, 3)
    assert [t.shape for t in ops.unstack(x, axis=1)] == [(None,)] * 3
    assert ops.slice(lamina.KerasTensor((4, 5)), [1, 2], [2, -1]).shape == (2, 3)
    assert ops.scatter(lamina.KerasTensor((2, 1), dtype="int32"), lamina.KerasTensor((2,)), (4,)).shape == (4,)


def test_creation_rules():
    rule = lambda name, *a, **k: getattr(ops, name).rule(*a, **k)  # noqa: E731
    assert rule("arange", 1, 7, 2).shape == (3,) and rule("arange", 1, 7, 2).dtype == "int32"
    assert rule("arange", 0, 1.0, 0.25).dtype == "float32"
    assert rule("zeros", (2, None)).shape == (2, None)
    assert rule("full", (2, 3), 1).dtype == "float32"
    assert rule("eye", 3, 4, 1, "int32").shape == (3, 4)
    assert rule("linspace", 0.0, 1.0, 7, axis=0).shape == (7,)
    out, step = rule("linspace", lamina.KerasTensor((2,)), 1.0, 4, retstep=True, axis=-1)
    assert out.shape == (2, 4) and step.shape == (2,)
    assert rule("hamming", 6).shape == (6,) and rule("hamming", 6).dtype == "float32"
    assert ops.diag(lamina.KerasTensor((None,))).shape == (None, None)
    assert ops.diag(lamina.KerasTensor((3, 5)), k=1).shape == (3,)
    assert ops.vander(lamina.KerasTensor((None,)), N=3).shape == (None, 3)
