"""RNN, SimpleRNN, LSTM and GRU (and their cells): the layer harness, outputs,
states and gradients against real Keras over a grid of options, the fused
LSTM/GRU paths against the stepped cell, a NumPy reference (the only check on the
numpy backend besides Keras's numpy backend), statefulness, custom cells, dropout
semantics and error messages."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops, tree

from .harness import BACKEND
from .test_core_extra import check_layer

keras = pytest.importorskip("keras")

MASK_RIGHT = np.array([[1, 1, 1, 0], [1, 1, 1, 1]], bool)
MASK_LEFT = np.array([[0, 0, 1, 1], [1, 1, 1, 1]], bool)
MASK_MIXED = np.array([[1, 0, 1, 0], [0, 1, 1, 1]], bool)


def _x(shape=(2, 4, 3), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _np(structure):
    return [ops.convert_to_numpy(t) for t in tree.flatten(structure)]


def _knp(structure):
    return [keras.ops.convert_to_numpy(t) for t in keras.tree.flatten(structure)]


def _assert_close(ours, theirs, what, rtol=1e-5, atol=1e-6):
    assert len(ours) == len(theirs), (what, len(ours), len(theirs))
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape, (what, a.shape, b.shape)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=what)


# -- gradients of (possibly tuple) outputs -------------------------------------------------
def structure_gradients(layer, x, call_kwargs=None, seed=7):
    """Gradients of ``sum_i sum(out_i * w_i)`` over all outputs w.r.t. ``x`` and
    the trainable variables, with the backend's autodiff (lamina or Keras layer)."""
    call_kwargs = dict(call_kwargs or {})
    shapes = [np.shape(o) for o in _np(layer(x, **call_kwargs))]
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype("float32") for s in shapes]
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        trainable = [v.value for v in layer.trainable_variables]
        non_trainable = [v.value for v in layer.non_trainable_variables]

        def loss(tv, xv):
            out, _ = layer.stateless_call(tv, non_trainable, xv, **call_kwargs)
            leaves = jax.tree_util.tree_leaves(out)
            return sum(jnp.sum(o * w) for o, w in zip(leaves, weights))

        # One compiled function: cheaper than compiling each op of the eager backward pass.
        gt, gx = jax.jit(jax.grad(loss, argnums=(0, 1)))(trainable, jnp.asarray(x))
        return [np.asarray(gx)] + [np.asarray(g) for g in gt]
    if BACKEND == "torch":
        import torch

        xt = torch.tensor(x, requires_grad=True)
        params = [v.value for v in layer.trainable_variables]
        leaves = [o for o in tree.flatten(layer(xt, **call_kwargs))]
        total = sum((o * torch.tensor(w)).sum() for o, w in zip(leaves, weights))
        grads = torch.autograd.grad(total, [xt] + params, allow_unused=True)
        return [np.zeros(p.shape) if g is None else g.detach().numpy()
                for g, p in zip(grads, [xt] + params)]
    if BACKEND == "tensorflow":
        import tensorflow as tf

        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            leaves = tree.flatten(layer(xt, **call_kwargs))
            total = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(leaves, weights)])
        variables = [v.value for v in layer.trainable_variables]
        grads = tape.gradient(total, [xt] + variables)
        return [np.zeros(v.shape) if g is None else np.asarray(g)
                for g, v in zip(grads, [xt] + variables)]
    pytest.skip(f"no autodiff on {BACKEND}")


SKIP_ON_JAX = "skip on jax"


def compare_with_keras(ours, theirs, x, call_kwargs=None, gradients=True, rtol=1e-5, atol=1e-6):
    """Same weights, same inputs: same outputs (and states), and gradients."""
    call_kwargs = dict(call_kwargs or {})
    out = ours(x, **call_kwargs)
    theirs(x, **call_kwargs)
    theirs.set_weights(ours.get_weights())
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    name = type(ours).__name__
    _assert_close(_np(out), _knp(theirs(x, **call_kwargs)), f"{name} outputs", rtol, atol)
    if gradients == SKIP_ON_JAX and BACKEND == "jax":
        gradients = False  # eager JAX compiles every scan: keep its share of the budget small
    if gradients and BACKEND in ("jax", "torch", "tensorflow"):
        _assert_close(structure_gradients(ours, x, call_kwargs),
                      structure_gradients(theirs, x, call_kwargs), f"{name} gradients",
                      rtol=1e-4, atol=1e-5)
    return out


# -- NumPy reference ---------------------------------------------------------------------------
def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_simple_rnn(weights):
    k, rk, b = weights

    def step(x, states):
        h = np.tanh(x @ k + states[0] @ rk + b)
        return h, [h]

    return step


def np_lstm(weights):
    k, rk, b = weights
    u = rk.shape[0]

    def step(x, states):
        h, c = states
        z = x @ k + h @ rk + b
        i, f, g, o = (z[:, j * u:(j + 1) * u] for j in range(4))
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        return h, [h, c]

    return step


def np_gru(weights, reset_after=True):
    k, rk, b = weights
    u = rk.shape[0]
    b_in, b_rec = (b[0], b[1]) if reset_after else (b, np.zeros_like(b))

    def step(x, states):
        h = states[0]
        xz = x @ k + b_in
        z = _sigmoid(xz[:, :u] + h @ rk[:, :u] + b_rec[:u])
        r = _sigmoid(xz[:, u:2 * u] + h @ rk[:, u:2 * u] + b_rec[u:2 * u])
        if reset_after:
            hh = np.tanh(xz[:, 2 * u:] + r * (h @ rk[:, 2 * u:] + b_rec[2 * u:]))
        else:
            hh = np.tanh(xz[:, 2 * u:] + (r * h) @ rk[:, 2 * u:])
        h = z * h + (1 - z) * hh
        return h, [h]

    return step


def np_rnn(step, x, states, mask=None, go_backwards=False, zero_output_for_mask=False,
           return_sequences=False):
    """The reference loop: masked steps keep the states and repeat the previous
    output (zeros before the first step), or output zeros."""
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, prev = [], None
    for t in order:
        out, new = step(x[:, t], states)
        if mask is not None:
            m = mask[:, t][:, None]
            keep = np.zeros_like(out) if zero_output_for_mask or prev is None else prev
            out = np.where(m, out, keep)
            new = [np.where(m, n, s) for n, s in zip(new, states)]
        outputs.append(out)
        prev, states = out, new
    return (np.stack(outputs, 1) if return_sequences else prev), states


CELL_REFERENCES = {"SimpleRNN": np_simple_rnn, "LSTM": np_lstm, "GRU": np_gru}
UNITS = 3


def _reference(name, kwargs, mask=None):
    def ref(x, weights):
        step = CELL_REFERENCES[name](weights, **({"reset_after": kwargs["reset_after"]}
                                               if "reset_after" in kwargs else {}))
        states = [np.zeros((x.shape[0], UNITS), "float32")] * (2 if name == "LSTM" else 1)
        out, _ = np_rnn(step, x, states, mask, kwargs.get("go_backwards", False),
                        kwargs.get("zero_output_for_mask", False),
                        kwargs.get("return_sequences", False))
        return out

    return ref


# -- the harness ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name,kwargs", [
    ("SimpleRNN", {"units": UNITS}),
    ("LSTM", {"units": UNITS, "return_sequences": True}),
    ("GRU", {"units": UNITS, "go_backwards": True, "return_sequences": True}),
    ("GRU", {"units": UNITS, "reset_after": False}),
])
def test_layer_harness(name, kwargs):
    check_layer(getattr(layers, name), kwargs, (2, 4, 3),
                reference=_reference(name, kwargs), rtol=1e-5, atol=1e-5)


def test_rnn_with_cell_through_harness():
    cell = layers.LSTMCell(UNITS)
    check_layer(layers.RNN, {"cell": cell, "return_sequences": True}, (2, 4, 3),
                keras_name="NotInKeras", mixed_precision=False,
                reference=_reference("LSTM", {"return_sequences": True}))


# -- against Keras: a grid of options --------------------------------------------------------
GRID = [  # (layer options, mask, compare gradients too)
    ({}, None, False),
    ({"return_sequences": True, "return_state": True}, None, True),
    ({"go_backwards": True, "return_sequences": True}, None, False),
    ({"unroll": True, "return_sequences": True, "return_state": True}, None, SKIP_ON_JAX),
    ({"return_sequences": True}, MASK_RIGHT, False),
    ({"return_sequences": True, "return_state": True}, MASK_LEFT, True),
    ({"go_backwards": True, "return_sequences": True}, MASK_MIXED, SKIP_ON_JAX),
    ({"unroll": True, "return_sequences": True}, MASK_RIGHT, False),
    ({"use_bias": False, "activation": "relu", "return_state": True}, None, False),
]


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs,mask,gradients", GRID)
def test_matches_keras(name, kwargs, mask, gradients):
    call = {} if mask is None else {"mask": mask}
    compare_with_keras(getattr(layers, name)(UNITS, **kwargs),
                       getattr(keras.layers, name)(UNITS, **kwargs), _x(), call,
                       gradients=gradients)


@pytest.mark.parametrize("kwargs,mask", [({"return_sequences": True}, None),
                                         ({"return_state": True}, MASK_RIGHT),
                                         ({"go_backwards": True}, MASK_LEFT)])
def test_gru_reset_before_matches_keras(kwargs, mask):
    call = {} if mask is None else {"mask": mask}
    compare_with_keras(layers.GRU(UNITS, reset_after=False, **kwargs),
                       keras.layers.GRU(UNITS, reset_after=False, **kwargs), _x(), call,
                       gradients=SKIP_ON_JAX if mask is not None else False)


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
def test_initial_state_matches_keras(name):
    count = 2 if name == "LSTM" else 1
    states = [_x((2, UNITS), seed=5 + i) for i in range(count)]
    compare_with_keras(getattr(layers, name)(UNITS, return_state=True, return_sequences=True),
                       getattr(keras.layers, name)(UNITS, return_state=True,
                                                   return_sequences=True),
                       _x(), {"initial_state": states, "mask": MASK_RIGHT})


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_weights_have_keras_names_shapes_and_initial_values(name):
    ours, theirs = getattr(layers, name)(4), getattr(keras.layers, name)(4)
    ours.build((None, 5, 3))
    theirs.build((None, 5, 3))
    assert [w.path for w in ours.weights] == [w.path.replace(theirs.name, ours.name)
                                              for w in theirs.weights]
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    bias = ours.get_weights()[2]
    if name == "LSTM":  # unit_forget_bias: ones for the forget gate only
        np.testing.assert_array_equal(bias, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])
    else:
        assert bias.shape == (2, 12)
    recurrent = ours.get_weights()[1]
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(4), atol=1e-5)  # orthogonal


# -- fused and stepped paths ------------------------------------------------------------------
@pytest.mark.parametrize("name,kwargs,mask", [
    ("LSTM", {"return_sequences": True, "return_state": True}, None),
    ("LSTM", {"go_backwards": True}, MASK_MIXED),
    ("GRU", {"return_sequences": True, "return_state": True}, None),
    ("GRU", {"go_backwards": True, "return_sequences": True}, MASK_LEFT),
    ("GRU", {"reset_after": False, "return_state": True}, None),
])
def test_fused_path_matches_stepped_cell(name, kwargs, mask):
    fused = getattr(layers, name)(UNITS, **kwargs)
    stepped = getattr(layers, name)(UNITS, use_cudnn=False, **kwargs)
    x = _x()
    call = {} if mask is None else {"mask": mask}
    fused(x)
    stepped(x)
    stepped.set_weights(fused.get_weights())
    _assert_close(_np(fused(x, **call)), _np(stepped(x, **call)), "fused vs stepped")
    if BACKEND in ("jax", "torch", "tensorflow"):
        _assert_close(structure_gradients(fused, x, call), structure_gradients(stepped, x, call),
                      "fused vs stepped gradients", rtol=1e-4, atol=1e-5)


@pytest.mark.backends("torch")
@pytest.mark.parametrize("name,kernel", [("LSTM", "lstm"), ("GRU", "gru")])
def test_torch_runs_the_torch_kernel(monkeypatch, name, kernel):
    import torch

    from lamina.backend.torch import rnn as torch_rnn

    calls = []
    original = getattr(torch, kernel)

    def spy(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(torch_rnn.torch, kernel, spy)
    layer = getattr(layers, name)(UNITS)
    layer(_x())
    assert calls, f"{name} did not use torch.{kernel}"
    calls.clear()
    layer(_x(), mask=MASK_RIGHT)  # masks take the projected loop
    assert not calls


def test_use_cudnn_true_without_fused_path_raises():
    layer = layers.LSTM(UNITS, recurrent_dropout=0.5, use_cudnn=True)
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layer(_x(), training=True)
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.GRU(UNITS, use_cudnn="yes")


# -- NumPy reference (all backends; the numpy backend's own check) ----------------------------
@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs,mask", [
    ({"return_sequences": True}, MASK_MIXED),
    ({"return_sequences": True, "zero_output_for_mask": True, "go_backwards": True}, MASK_LEFT),
    ({"return_sequences": True, "zero_output_for_mask": True, "unroll": True}, MASK_RIGHT),
])
def test_matches_numpy_reference(name, kwargs, mask):
    cls = getattr(layers, name)
    rnn_kwargs = {k: v for k, v in kwargs.items() if k == "zero_output_for_mask"}
    cell_kwargs = {k: v for k, v in kwargs.items() if k != "zero_output_for_mask"}
    layer = cls(UNITS, **cell_kwargs)
    layer.zero_output_for_mask = rnn_kwargs.get("zero_output_for_mask", False)
    x = _x()
    out = ops.convert_to_numpy(layer(x, mask=mask))
    expected = _reference(name, kwargs, mask)(x, layer.get_weights())
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


# -- stateful --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_stateful_carries_states_like_keras(name):
    ours = getattr(layers, name)(UNITS, stateful=True, return_state=True)
    theirs = getattr(keras.layers, name)(UNITS, stateful=True, return_state=True)
    x1, x2 = _x(seed=1), _x(seed=2)
    ours(x1)
    theirs(x1)
    theirs.set_weights(ours.get_weights())
    ours.reset_state()
    theirs.reset_state()
    for x in (x1, x2):
        _assert_close(_np(ours(x)), _knp(theirs(x)), "stateful step")
    assert len(ours.get_weights()) == 3  # states are not weights, as in Keras
    fresh = ours.__class__.from_config({**ours.get_config(), "stateful": False})
    fresh(x1)
    fresh.set_weights(ours.get_weights())
    assert not np.allclose(_np(ours(x1))[0], _np(fresh(x1))[0])
    ours.reset_state()
    _assert_close(_np(ours(x1)), _np(fresh(x1)), "after reset_state")
    values = [np.full((2, UNITS), 0.5, "float32")] * len(ours.states)
    ours.reset_state(values)
    _assert_close(_np(ours(x1)), _np(fresh(x1, initial_state=values)), "reset_state(states)")


def test_stateful_errors_name_the_layer():
    layer = layers.SimpleRNN(UNITS, stateful=True, name="keeper")
    with pytest.raises(ValueError, match="keeper.*fixed batch size"):
        layer(lamina.Input((4, 3)))
    layer = layers.SimpleRNN(UNITS, stateful=True, name="keeper2")
    layer(_x())
    with pytest.raises(ValueError, match="keeper2.*batch size 2.*\\(3, 4, 3\\)"):
        layer(_x((3, 4, 3)))


# -- custom cells, nested states, stacking ------------------------------------------------------
class MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]


class NestedCell(layers.Layer):
    """Two states of different sizes; no get_initial_state, no output_size."""

    state_size = [3, 2]

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 3), name="w")

    def call(self, inputs, states):
        a, b = states
        a = a * 0.5 + ops.matmul(inputs, self.w)
        b = b + ops.sum(a, axis=-1, keepdims=True)
        return a, [a, b]


def test_custom_cell_matches_numpy():
    layer = layers.RNN(MinimalRNNCell(UNITS), return_sequences=True, go_backwards=True)
    x = _x()
    out = ops.convert_to_numpy(layer(x, mask=MASK_MIXED))
    k, rk = layer.get_weights()

    def step(xt, s):
        h = xt @ k + s[0] @ rk
        return h, [h]

    expected, _ = np_rnn(step, x, [np.zeros((2, UNITS), "float32")], MASK_MIXED, True,
                         return_sequences=True)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_nested_state_sizes_and_symbolic_shapes():
    layer = layers.RNN(NestedCell(), return_state=True)
    out, a, b = layer(_x())
    assert tuple(out.shape) == (2, 3) and tuple(b.shape) == (2, 2)
    expected_b = np.zeros((2, 2), "float32")
    w = layer.get_weights()[0]
    a_ref = np.zeros((2, 3), "float32")
    for t in range(4):
        a_ref = a_ref * 0.5 + _x()[:, t] @ w
        expected_b = expected_b + a_ref.sum(-1, keepdims=True)
    np.testing.assert_allclose(ops.convert_to_numpy(b), expected_b, rtol=1e-5, atol=1e-5)
    specs = layers.RNN(NestedCell(), return_state=True)(lamina.Input((None, 3)))
    assert [tuple(s.shape) for s in specs] == [(None, 3), (None, 3), (None, 2)]


def test_stacked_cells_match_keras_with_states():
    def cells(lib):
        return [lib.layers.LSTMCell(4), lib.layers.GRUCell(3), lib.layers.SimpleRNNCell(2)]

    ours = layers.RNN(cells(lamina), return_sequences=True, return_state=True)
    theirs = keras.layers.RNN(cells(keras), return_sequences=True, return_state=True)
    out = compare_with_keras(ours, theirs, _x(), {"mask": MASK_RIGHT})
    assert len(out) == 4 and len(out[1]) == 2  # output, [h, c], [h], [h]
    assert isinstance(ours.cell, layers.StackedRNNCells)
    config = layers.serialize(ours)
    rebuilt = layers.deserialize(config)
    assert rebuilt.get_config() == ours.get_config()


def test_stacked_rnn_cells_accept_flat_initial_states():
    layer = layers.RNN([layers.LSTMCell(2), layers.SimpleRNNCell(2)], return_state=True)
    x = _x()
    zeros = [np.zeros((2, 2), "float32")] * 3
    _assert_close(_np(layer(x, initial_state=zeros)), _np(layer(x)), "flat initial states")


# -- dropout -------------------------------------------------------------------------------------
def test_dropout_masks_are_shared_by_all_timesteps():
    layer = layers.SimpleRNN(6, activation=None, use_bias=False, kernel_initializer="identity",
                             recurrent_initializer="zeros", dropout=0.5, return_sequences=True,
                             seed=3)
    x = np.ones((2, 4, 6), "float32")
    out = ops.convert_to_numpy(layer(x, training=True))
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < (out == 0).sum() < out.size
    np.testing.assert_array_equal(out, np.repeat(out[:, :1], 4, axis=1))
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), np.ones_like(out))
    assert layer.cell._dropout_mask is None  # masks live for one call


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_recurrent_dropout_runs_and_is_off_in_inference(name):
    layer = getattr(layers, name)(UNITS, dropout=0.3, recurrent_dropout=0.3, seed=1)
    plain = getattr(layers, name)(UNITS)
    x = _x()
    train_out = ops.convert_to_numpy(layer(x, training=True))
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), ops.convert_to_numpy(plain(x)),
                               rtol=1e-5, atol=1e-6)
    assert not np.allclose(train_out, ops.convert_to_numpy(plain(x)))
    assert layer.cell.implementation == 1 and layer.cell.dropout_mask_count == \
        (4 if name == "LSTM" else 3)


# -- masks through a model, errors ---------------------------------------------------------------
def test_embedding_mask_flows_through_functional_model():
    inputs = lamina.Input((5,), dtype="int32")
    h = layers.Embedding(10, 3, mask_zero=True)(inputs)
    seq = layers.LSTM(UNITS, return_sequences=True)(h)
    out = layers.GRU(2)(seq)
    model = lamina.Model(inputs, out)
    tokens = np.array([[4, 2, 7, 0, 0], [1, 2, 3, 4, 5]], "int32")
    trimmed = np.array([[4, 2, 7, 7, 7], [1, 2, 3, 4, 5]], "int32")
    a = ops.convert_to_numpy(model(tokens))
    embedded = ops.convert_to_numpy(model.layers[1](tokens))
    lstm, gru = model.layers[2], model.layers[3]
    ref = ops.convert_to_numpy(gru(lstm(embedded, mask=tokens != 0), mask=tokens != 0))
    np.testing.assert_allclose(a, ref, rtol=1e-5, atol=1e-6)
    # padding at the end is ignored: same result as a sequence without it
    b = ops.convert_to_numpy(gru(lstm(ops.convert_to_numpy(model.layers[1](trimmed))[:, :3])))
    np.testing.assert_allclose(a[0], b[0], rtol=1e-5, atol=1e-6)


def test_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match='"lstm_x".*ndim=3.*ndim=2'):
        layers.LSTM(2, name="lstm_x")(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="rnn_y.*at least 3 dimensions.*\\(2, 5\\)"):
        layers.RNN(layers.SimpleRNNCell(2), name="rnn_y")(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="gru_z.*mask.*\\(2, 4\\).*\\(2, 3\\)"):
        layers.GRU(2, name="gru_z")(_x(), mask=np.ones((2, 3), bool))
    with pytest.raises(ValueError, match="gru_w.*expects 1 initial state.*received 2"):
        layers.GRU(2, name="gru_w")(_x(), initial_state=[np.zeros((2, 2))] * 2)
    with pytest.raises(ValueError, match="units must be a positive integer"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))


@pytest.mark.training
def test_lstm_model_trains_compiled():
    lamina.utils.set_random_seed(0)
    x = _x((8, 5, 3))
    y = x.sum(axis=(1, 2))[:, None] * 0.1
    model = lamina.Sequential([lamina.Input((5, 3)), layers.LSTM(4), layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, y, epochs=8, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


@pytest.mark.backends("tensorflow")
def test_lstm_and_gru_train_under_xla_on_tensorflow():
    # The while loop needs maximum_iterations for XLA to compile its gradient.
    x = _x((4, 5, 3))
    model = lamina.Sequential([lamina.Input((5, 3)), layers.LSTM(3, return_sequences=True),
                               layers.GRU(2), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    history = model.fit(x, np.ones((4, 1)), epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
