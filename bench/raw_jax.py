"""The five workloads as hand-written JAX loops: pure functions, ``jax.jit``, Adam written here.

The practical limit for a framework on top of JAX: one jitted step with donated
state, NumPy batches fed straight in, per-step losses kept on the device and
read once per epoch.

Example:
    >>> from workloads import make_data
    >>> (x, y), settings = make_data("tiny", "smoke")
    >>> runner = Runner("tiny", x, y, settings)
    >>> times, losses = runner.train(2)
"""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

import workloads

BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-7


def first_op():
    """The import plus one small op (what ``import_s`` measures)."""
    return np.asarray(jnp.ones(2) + 1.0)


def _glorot(key, shape, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return jax.random.uniform(key, shape, jnp.float32, -limit, limit)


def _dense(key, n_in, n_out):
    return {"w": _glorot(key, (n_in, n_out), n_in, n_out), "b": jnp.zeros(n_out)}


def _apply_dense(p, x):
    return x @ p["w"] + p["b"]


def _conv(key, k, c_in, c_out):
    return {"w": _glorot(key, (k, k, c_in, c_out), k * k * c_in, k * k * c_out), "b": jnp.zeros(c_out)}


def _apply_conv(p, x):
    y = jax.lax.conv_general_dilated(x, p["w"], (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return y + p["b"]


def _max_pool(x):
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def _layer_norm(p, x):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + 1e-3) * p["gamma"] + p["beta"]


def _lstm(p, x):
    # x: (batch, time, features); gates in Keras order i, f, c, o. The input projection stays inside
    # the step: hoisting it out of the scan measured 2x slower on XLA:CPU.
    zeros = jnp.zeros((x.shape[0], p["u"].shape[0]))

    def cell(carry, x_t):
        h, c = carry
        z = x_t @ p["w"] + h @ p["u"] + p["b"]
        i, f, g, o = jnp.split(z, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h, c), None

    (h, _), _ = jax.lax.scan(cell, (zeros, zeros), jnp.swapaxes(x, 0, 1))
    return h


def _attention(p, x, heads=4, key_dim=32):
    b, t, _ = x.shape

    def split(z):
        return z.reshape(b, t, heads, key_dim)

    q, k, v = (split(_apply_dense(p[n], x)) for n in ("query", "key", "value"))
    scores = jnp.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(key_dim)
    att = jnp.einsum("bhqk,bkhd->bqhd", jax.nn.softmax(scores, axis=-1), v)
    return _apply_dense(p["out"], att.reshape(b, t, heads * key_dim))


def init(name, key):
    """The workload's parameters as a pytree."""
    keys = iter(jax.random.split(key, 16))
    if name == "mlp":
        return {"d1": _dense(next(keys), 784, 256), "d2": _dense(next(keys), 256, 256),
                "d3": _dense(next(keys), 256, 10)}
    if name == "cnn":
        return {"c1": _conv(next(keys), 3, 1, 32), "c2": _conv(next(keys), 3, 32, 64),
                "d": _dense(next(keys), 1600, 10)}
    if name == "lstm":
        return {"emb": jax.random.uniform(next(keys), (workloads.VOCAB, 64), jnp.float32, -0.05, 0.05),
                "lstm": {"w": _glorot(next(keys), (64, 256), 64, 256),
                         "u": _glorot(next(keys), (64, 256), 64, 256), "b": jnp.zeros(256)},
                "d": _dense(next(keys), 64, 1)}
    if name == "transformer":
        f = workloads.FEATURES

        def norm():
            return {"gamma": jnp.ones(f), "beta": jnp.zeros(f)}

        return {"att": {n: _dense(next(keys), f, 128) for n in ("query", "key", "value")}
                | {"out": _dense(next(keys), 128, f)},
                "n1": norm(), "n2": norm(), "ff1": _dense(next(keys), f, 256),
                "ff2": _dense(next(keys), 256, f), "head": _dense(next(keys), f, 10)}
    return {"d": _dense(next(keys), 20, 10)}


def forward(name, p, x):
    """Logits of the workload's model."""
    if name == "mlp":
        h = jax.nn.relu(_apply_dense(p["d1"], x))
        return _apply_dense(p["d3"], jax.nn.relu(_apply_dense(p["d2"], h)))
    if name == "cnn":
        h = _max_pool(jax.nn.relu(_apply_conv(p["c1"], x)))
        h = _max_pool(jax.nn.relu(_apply_conv(p["c2"], h)))
        return _apply_dense(p["d"], h.reshape(h.shape[0], -1))
    if name == "lstm":
        return _apply_dense(p["d"], _lstm(p["lstm"], p["emb"][x]))
    if name == "transformer":
        h = _layer_norm(p["n1"], x + _attention(p["att"], x))
        ff = _apply_dense(p["ff2"], jax.nn.relu(_apply_dense(p["ff1"], h)))
        h = _layer_norm(p["n2"], h + ff)
        return _apply_dense(p["head"], h.mean(axis=1))
    return _apply_dense(p["d"], x)


def loss_fn(name, p, x, y):
    """Mean from-logits cross-entropy (binary for the LSTM workload)."""
    logits = forward(name, p, x)
    if name == "lstm":
        return jnp.mean(jnp.maximum(logits, 0) - logits * y + jnp.log1p(jnp.exp(-jnp.abs(logits))))
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))


@functools.partial(jax.jit, static_argnums=0, donate_argnums=1)
def train_step(name, state, x, y):
    """One Adam step; ``state`` is ``(params, m, v, t)``."""
    params, m, v, t = state
    loss, grads = jax.value_and_grad(functools.partial(loss_fn, name))(params, x, y)
    t = t + 1
    lr = workloads.LEARNING_RATE * jnp.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)
    m = jax.tree.map(lambda m_, g: BETA1 * m_ + (1 - BETA1) * g, m, grads)
    v = jax.tree.map(lambda v_, g: BETA2 * v_ + (1 - BETA2) * g * g, v, grads)
    params = jax.tree.map(lambda p_, m_, v_: p_ - lr * m_ / (jnp.sqrt(v_) + EPSILON), params, m, v)
    return (params, m, v, t), loss


predict_step = jax.jit(forward, static_argnums=0)


class Runner:
    """Trains and predicts one workload with a plain JAX loop."""

    def __init__(self, name, x, y, settings):
        self.name, self.x, self.y = name, x, y
        self.batch_size = settings["batch_size"]
        params = init(name, jax.random.PRNGKey(0))
        zeros = jax.tree.map(jnp.zeros_like, params)
        self.state = (params, zeros, jax.tree.map(jnp.zeros_like, params), jnp.zeros((), jnp.float32))
        self.rng = np.random.default_rng(0)

    def first_step(self):
        bs = self.batch_size
        self.state, loss = train_step(self.name, self.state, self.x[:bs], self.y[:bs])
        return float(loss)

    def train(self, epochs):
        n, bs = len(self.x), self.batch_size
        times, losses = [], []
        for _ in range(epochs):
            start = workloads.clock()
            order = self.rng.permutation(n)
            xs, ys = self.x[order], self.y[order]
            step_losses = []
            for i in range(0, n, bs):
                self.state, loss = train_step(self.name, self.state, xs[i:i + bs], ys[i:i + bs])
                step_losses.append(loss)
            losses.append(float(jnp.mean(jnp.stack(step_losses))))
            times.append(workloads.since(start))
        return times, losses

    def predict(self):
        bs, params = self.batch_size, self.state[0]
        outs = [predict_step(self.name, params, self.x[i:i + bs]) for i in range(0, len(self.x), bs)]
        return np.concatenate([np.asarray(o) for o in outs])
