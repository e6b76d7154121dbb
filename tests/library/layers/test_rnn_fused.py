"""The compiled LSTM/GRU paths that training runs, against Keras: on JAX the fused scan
with its hand-written backward pass (only used when traced), on TensorFlow the
``BlockLSTMV2`` kernel with ``BlockLSTMGradV2`` and the TensorArray loop, inside
``tf.function``. Outputs, final states and gradients over masks, ``go_backwards``,
initial states, ``zero_output_for_mask`` and non-default activations; which path ran."""

import numpy as np
import pytest

from lamina import layers, tree

from .harness import BACKEND
from .test_rnn import MASK_LEFT, MASK_MIXED, MASK_RIGHT, _assert_close, _x

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.backends("jax", "tensorflow")

UNITS = 5


def compiled_outputs_and_gradients(layer, flatten, x, call_kwargs, weights=None):
    """Outputs and gradients of ``sum_i sum(out_i * w_i)`` w.r.t. the inputs, the initial
    states and the weights, computed in one compiled function (jax.jit / tf.function)."""
    call_kwargs = dict(call_kwargs)
    initial = call_kwargs.pop("initial_state", None)
    if weights is None:
        shapes = [np.shape(o) for o in flatten(layer(x, initial_state=initial, **call_kwargs))]
        rng = np.random.default_rng(7)
        weights = [rng.normal(size=s).astype("float32") for s in shapes]
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        trainable = [v.value for v in layer.trainable_variables]
        non_trainable = [v.value for v in layer.non_trainable_variables]

        def loss(tv, xv, init):
            out, _ = layer.stateless_call(tv, non_trainable, xv, initial_state=init,
                                          **call_kwargs)
            leaves = jax.tree_util.tree_leaves(out)
            return sum(jnp.sum(o * w) for o, w in zip(leaves, weights)), leaves

        grad = jax.jit(jax.grad(loss, argnums=(0, 1, 2), has_aux=True))
        (g_weights, g_x, g_init), leaves = grad(trainable, jnp.asarray(x), initial)
        grads = [g_x] + list(g_init or []) + list(g_weights)
        return [np.asarray(o) for o in leaves], [np.asarray(g) for g in grads], weights
    import tensorflow as tf

    @tf.function
    def run(xv, init):
        with tf.GradientTape() as tape:
            tape.watch(xv)
            tape.watch(init)
            leaves = flatten(layer(xv, initial_state=init or None, **call_kwargs))
            total = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(leaves, weights)])
        variables = [v.value for v in layer.trainable_variables]
        return leaves, tape.gradient(total, [xv] + list(init) + variables)

    init = [tf.constant(s) for s in initial] if initial is not None else []
    leaves, grads = run(tf.constant(x), init)
    return [np.asarray(o) for o in leaves], [np.asarray(g) for g in grads], weights


def _pair(name, kwargs, zero_output_for_mask):
    ours = getattr(layers, name)(UNITS, **kwargs)
    theirs = getattr(keras.layers, name)(UNITS, **kwargs)
    ours.zero_output_for_mask = theirs.zero_output_for_mask = zero_output_for_mask
    x = _x()
    ours(x)
    theirs(x)
    theirs.set_weights(ours.get_weights())
    return ours, theirs, x


CASES = [  # (layer options, zero_output_for_mask, mask, initial states)
    ({}, False, None, False),
    ({"return_sequences": True, "return_state": True}, False, None, True),
    ({"go_backwards": True, "return_sequences": True}, False, None, False),
    ({"return_sequences": True, "return_state": True}, False, MASK_RIGHT, True),
    ({"return_sequences": True}, False, MASK_LEFT, False),
    ({"go_backwards": True, "return_sequences": True, "return_state": True}, False,
     MASK_MIXED, False),
    ({"return_sequences": True}, True, MASK_MIXED, False),
    ({"use_bias": False, "activation": "relu", "return_state": True}, False, None, True),
    ({"recurrent_activation": "hard_sigmoid", "return_sequences": True}, False, MASK_RIGHT,
     False),
]


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
@pytest.mark.parametrize("kwargs,zero_output,mask,with_initial_state", CASES)
def test_compiled_path_matches_keras(name, kwargs, zero_output, mask, with_initial_state):
    ours, theirs, x = _pair(name, kwargs, zero_output)
    call = {} if mask is None else {"mask": mask}
    if with_initial_state:
        count = 2 if name == "LSTM" else 1
        call["initial_state"] = [_x((2, UNITS), seed=5 + i) for i in range(count)]
    out, grads, weights = compiled_outputs_and_gradients(ours, tree.flatten, x, call)
    k_out, k_grads, _ = compiled_outputs_and_gradients(theirs, keras.tree.flatten, x, call,
                                                       weights)
    _assert_close(out, k_out, f"{name} compiled outputs")
    _assert_close(grads, k_grads, f"{name} compiled gradients", rtol=1e-4, atol=1e-5)


def test_large_cell_states_are_not_clipped():
    ours = layers.LSTM(UNITS, return_state=True)
    theirs = keras.layers.LSTM(UNITS, return_state=True)
    x = _x((2, 8, 3))
    ours(x)
    theirs(x)
    kernel, recurrent, _ = ours.get_weights()
    # Input and forget gates open, candidate near 1: c grows by about 1 a step.
    bias = np.repeat(np.array([4.0, 6.0, 4.0, 0.0], "float32"), UNITS)
    ours.set_weights([kernel * 0.1, recurrent * 0.1, bias])
    theirs.set_weights(ours.get_weights())
    out, grads, weights = compiled_outputs_and_gradients(ours, tree.flatten, x, {})
    k_out, k_grads, _ = compiled_outputs_and_gradients(theirs, keras.tree.flatten, x, {},
                                                       weights)
    assert np.abs(out[2]).min() > 5  # above BlockLSTM's clip of 3 had it been on
    _assert_close(out, k_out, "outputs")
    _assert_close(grads, k_grads, "gradients", rtol=1e-4, atol=1e-5)


def _spy(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


@pytest.mark.backends("jax")
@pytest.mark.parametrize("name,kwargs,fused", [("LSTM", {}, True), ("GRU", {}, True),
                                               ("GRU", {"reset_after": False}, False),
                                               ("LSTM", {"unroll": True}, False)])
def test_jax_traced_calls_run_the_fused_scan(monkeypatch, name, kwargs, fused):
    from lamina.backend.jax import rnn_fused

    calls = _spy(monkeypatch, rnn_fused, name.lower())
    layer = getattr(layers, name)(UNITS, **kwargs)
    layer(_x())  # eager: the Python loop
    assert not calls
    compiled_outputs_and_gradients(layer, tree.flatten, _x(), {})
    assert bool(calls) == fused


@pytest.mark.backends("tensorflow")
@pytest.mark.parametrize("kwargs,mask,block", [({}, None, True),
                                               ({"go_backwards": True}, None, True),
                                               ({}, MASK_RIGHT, False),
                                               ({"activation": "relu"}, None, False)])
def test_tensorflow_runs_block_lstm_where_it_applies(monkeypatch, kwargs, mask, block):
    import tensorflow as tf

    calls = _spy(monkeypatch, tf.raw_ops, "BlockLSTMV2")
    layer = layers.LSTM(UNITS, **kwargs)
    layer(_x(), mask=mask)
    assert bool(calls) == block


@pytest.mark.backends("tensorflow")
def test_tensorflow_xla_training_keeps_to_the_loop():
    import lamina

    model = lamina.Sequential([lamina.Input((4, 3)), layers.LSTM(UNITS), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", jit_compile=True)
    history = model.fit(_x((8, 4, 3)), np.ones((8, 1), "float32"), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
