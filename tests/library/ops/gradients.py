"""Backend autodiff and finite differences, for the gradient checks of the harness."""

import numpy as np

import lamina
from lamina.backend import impl

BACKEND = lamina.backend.backend()


def _weights(out):
    """Fixed random weights so the scalar objective depends on every output."""
    rng = np.random.default_rng(123)
    return [rng.uniform(0.5, 1.5, size=np.shape(o)).astype(np.float32) for o in out]


def _outputs(result):
    if isinstance(result, (list, tuple)):
        return list(result)
    return [result]


def autodiff(fn, args, positions):
    """Gradient of ``sum(w * fn(*args))`` w.r.t. ``args[i]`` for i in ``positions``."""
    probe = [impl.core.convert_to_numpy(o) for o in _outputs(fn(*args))]
    weights = _weights(probe)
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        def objective(*wrt):
            full = list(args)
            for i, value in zip(positions, wrt):
                full[i] = value
            outs = _outputs(fn(*full))
            return sum(jnp.sum(o.astype(jnp.float32) * w) for o, w in zip(outs, weights))

        grads = jax.grad(objective, argnums=tuple(range(len(positions))))(
            *[args[i] for i in positions]
        )
        return [np.asarray(g) for g in grads]
    if BACKEND == "torch":
        import torch

        full = list(args)
        leaves = []
        for i in positions:
            leaf = torch.as_tensor(impl.core.convert_to_numpy(args[i])).clone().requires_grad_(True)
            full[i] = leaf
            leaves.append(leaf)
        outs = _outputs(fn(*full))
        total = sum((o.float() * torch.as_tensor(w)).sum() for o, w in zip(outs, weights))
        grads = torch.autograd.grad(total, leaves, allow_unused=True)
        return [np.zeros(l.shape, np.float32) if g is None else g.numpy() for g, l in zip(grads, leaves)]
    if BACKEND == "tensorflow":
        import tensorflow as tf

        full = list(args)
        with tf.GradientTape() as tape:
            watched = []
            for i in positions:
                full[i] = tf.convert_to_tensor(args[i])
                tape.watch(full[i])
                watched.append(full[i])
            outs = _outputs(fn(*full))
            total = tf.add_n([tf.reduce_sum(tf.cast(o, tf.float32) * w) for o, w in zip(outs, weights)])
        grads = tape.gradient(total, watched)
        return [np.zeros(w.shape, np.float32) if g is None else np.asarray(tf.convert_to_tensor(g))
                for g, w in zip(grads, watched)]
    raise RuntimeError(f"no autodiff on the {BACKEND} backend")


def finite_differences(fn, args, positions, eps):
    """Central differences of the same objective, on NumPy copies of the inputs."""
    base = [impl.core.convert_to_numpy(a) if i in positions else a for i, a in enumerate(args)]
    weights = _weights([impl.core.convert_to_numpy(o) for o in _outputs(fn(*args))])

    def objective(values):
        full = [impl.core.convert_to_tensor(v) if i in positions else v for i, v in enumerate(values)]
        outs = _outputs(fn(*full))
        return sum(float(np.sum(impl.core.convert_to_numpy(o).astype(np.float64) * w))
                   for o, w in zip(outs, weights))

    grads = []
    for i in positions:
        x = np.array(base[i], dtype=base[i].dtype)
        g = np.zeros(x.shape, np.float64)
        for idx in np.ndindex(x.shape):
            for sign in (1, -1):
                moved = x.copy()
                moved[idx] += sign * eps
                values = list(base)
                values[i] = moved
                g[idx] += sign * objective(values)
            g[idx] /= 2 * eps
        grads.append(g)
    return grads
