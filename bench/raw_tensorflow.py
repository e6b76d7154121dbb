"""The five workloads as hand-written TensorFlow loops: ``tf.Variable``, ``tf.function``, GradientTape.

No tf.keras: layers are plain ops, the LSTM is TensorFlow's fused ``BlockLSTMV2``
kernel and Adam is ``ResourceApplyAdam`` (the fused kernel), both from
``tf.raw_ops``. The practical limit for a framework on top of TensorFlow
without XLA (Keras 3 does not use XLA on a CPU-only machine either).

Example:
    >>> from workloads import make_data
    >>> (x, y), settings = make_data("tiny", "smoke")
    >>> runner = Runner("tiny", x, y, settings)
    >>> times, losses = runner.train(2)
"""

import math

import numpy as np
import tensorflow as tf

import workloads

BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-7


def first_op():
    """The import plus one small op (what ``import_s`` measures)."""
    return (tf.ones(2) + 1.0).numpy()


class _Params:
    """Creates glorot-initialised variables and remembers them in order."""

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.variables = []

    def var(self, shape, fan_in=None, fan_out=None, value=None):
        if value is None:
            limit = math.sqrt(6.0 / (fan_in + fan_out))
            value = self.rng.uniform(-limit, limit, shape).astype(np.float32)
        variable = tf.Variable(np.broadcast_to(np.float32(value), shape))
        self.variables.append(variable)
        return variable

    def dense(self, n_in, n_out):
        return self.var((n_in, n_out), n_in, n_out), self.var((n_out,), value=0.0)


def _dense(p, x):
    return tf.matmul(x, p[0]) + p[1]


def _layer_norm(p, x):
    mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
    return (x - mean) * tf.math.rsqrt(var + 1e-3) * p[0] + p[1]


@tf.custom_gradient
def _block_lstm(x, w, b):
    """``h`` over time from ``BlockLSTMV2`` (gates i, f, c, o), with BlockLSTMGradV2 as its
    gradient: TensorFlow registers BlockLSTMGrad (V1, gates i, c, f, o) for BlockLSTMV2."""
    zeros, peep = tf.zeros((tf.shape(x)[1], 64)), tf.zeros(64)
    args = dict(seq_len_max=tf.cast(tf.shape(x)[0], tf.int64), x=x, cs_prev=zeros, h_prev=zeros, w=w,
                wci=peep, wcf=peep, wco=peep, b=b)
    i, cs, f, o, ci, co, h = tf.raw_ops.BlockLSTMV2(cell_clip=0.0, use_peephole=False, **args)

    def grad(d_h):
        grads = tf.raw_ops.BlockLSTMGradV2(i=i, cs=cs, f=f, o=o, ci=ci, co=co, h=h, cs_grad=tf.zeros_like(cs),
                                           h_grad=d_h, use_peephole=False, **args)
        return grads[0], grads[3], grads[7]

    return h, grad


def build(name, params):
    """The workload's forward function (closing over its variables in ``params``)."""
    if name == "mlp":
        d1, d2, d3 = params.dense(784, 256), params.dense(256, 256), params.dense(256, 10)
        return lambda x: _dense(d3, tf.nn.relu(_dense(d2, tf.nn.relu(_dense(d1, x)))))
    if name == "cnn":
        k1 = params.var((3, 3, 1, 32), 9, 9 * 32), params.var((32,), value=0.0)
        k2 = params.var((3, 3, 32, 64), 9 * 32, 9 * 64), params.var((64,), value=0.0)
        d = params.dense(1600, 10)

        def cnn(x):
            for k, b in (k1, k2):
                x = tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, k, 1, "VALID") + b), 2, 2, "VALID")
            return _dense(d, tf.reshape(x, (-1, 1600)))

        return cnn
    if name == "lstm":
        emb = params.var((workloads.VOCAB, 64), value=params.rng.uniform(-0.05, 0.05, (workloads.VOCAB, 64)))
        w, b = params.var((128, 256), 128, 256), params.var((256,), value=0.0)
        d = params.dense(64, 1)

        def lstm(tokens):
            x = tf.transpose(tf.gather(emb, tokens), (1, 0, 2))
            return _dense(d, _block_lstm(x, w, b)[-1])

        return lstm
    if name == "transformer":
        f = workloads.FEATURES
        q, k, v, o = params.dense(f, 128), params.dense(f, 128), params.dense(f, 128), params.dense(128, f)
        n1 = params.var((f,), value=1.0), params.var((f,), value=0.0)
        n2 = params.var((f,), value=1.0), params.var((f,), value=0.0)
        ff1, ff2, head = params.dense(f, 256), params.dense(256, f), params.dense(f, 10)

        def encoder(x):
            shape = tf.shape(x)

            def split(z):
                return tf.reshape(z, (shape[0], shape[1], 4, 32))

            scores = tf.einsum("bqhd,bkhd->bhqk", split(_dense(q, x)), split(_dense(k, x))) / math.sqrt(32)
            att = tf.einsum("bhqk,bkhd->bqhd", tf.nn.softmax(scores, axis=-1), split(_dense(v, x)))
            h = _layer_norm(n1, x + _dense(o, tf.reshape(att, (shape[0], shape[1], 128))))
            h = _layer_norm(n2, h + _dense(ff2, tf.nn.relu(_dense(ff1, h))))
            return _dense(head, tf.reduce_mean(h, axis=1))

        return encoder
    d = params.dense(20, 10)
    return lambda x: _dense(d, x)


class Runner:
    """Trains and predicts one workload with a plain TensorFlow loop."""

    def __init__(self, name, x, y, settings):
        self.x, self.y = x, y
        self.batch_size = settings["batch_size"]
        params = _Params()
        self.forward = build(name, params)
        self.variables = params.variables
        self.slots = [(tf.Variable(tf.zeros_like(v)), tf.Variable(tf.zeros_like(v))) for v in self.variables]
        self.step_count = tf.Variable(0.0)
        binary = name == "lstm"

        def loss_fn(logits, labels):
            if binary:
                return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels, logits))
            return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(self.forward(x), y)
            grads = tape.gradient(loss, self.variables)
            t = self.step_count.assign_add(1.0)
            b1_power, b2_power = tf.pow(BETA1, t), tf.pow(BETA2, t)
            for var, (m, v), g in zip(self.variables, self.slots, grads):
                if isinstance(g, tf.IndexedSlices):
                    g = tf.convert_to_tensor(g)
                tf.raw_ops.ResourceApplyAdam(var=var.handle, m=m.handle, v=v.handle, beta1_power=b1_power,
                                             beta2_power=b2_power, lr=workloads.LEARNING_RATE, beta1=BETA1,
                                             beta2=BETA2, epsilon=EPSILON, grad=g)
            return loss

        self.train_step = train_step
        self.predict_step = tf.function(self.forward)
        self.rng = np.random.default_rng(0)

    def first_step(self):
        bs = self.batch_size
        return float(self.train_step(self.x[:bs], self.y[:bs]))

    def train(self, epochs):
        n, bs = len(self.x), self.batch_size
        times, losses = [], []
        for _ in range(epochs):
            start = workloads.clock()
            order = self.rng.permutation(n)
            xs, ys = self.x[order], self.y[order]
            step_losses = [self.train_step(xs[i:i + bs], ys[i:i + bs]) for i in range(0, n, bs)]
            losses.append(float(tf.reduce_mean(tf.stack(step_losses))))
            times.append(workloads.since(start))
        return times, losses

    def predict(self):
        bs = self.batch_size
        outs = [self.predict_step(self.x[i:i + bs]) for i in range(0, len(self.x), bs)]
        return np.concatenate([o.numpy() for o in outs])
