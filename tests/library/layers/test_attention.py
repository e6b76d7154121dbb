"""Attention, AdditiveAttention, MultiHeadAttention and GroupQueryAttention: the layer
harness (config, symbolic shapes, Keras, one training step, mixed precision), outputs,
attention scores and gradients against real Keras 3 with the same weights for a grid of
masks / causal / axes / output shapes, Keras masks propagated from the inputs, a NumPy
reference (all backends, numpy included), errors, and a transformer-encoder fit step."""

import re

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .harness import BACKEND
from .test_core_extra import check_layer

keras = pytest.importorskip("keras")
AUTODIFF = BACKEND in ("jax", "torch", "tensorflow")


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _np(x):
    return ops.convert_to_numpy(x)


def _keep(shape, seed=1, p=0.7):
    """A random boolean mask with at least one True per row (last axis)."""
    mask = np.random.default_rng(seed).random(shape) < p
    mask[..., 0] = True
    return mask


def _flat(outputs):
    return list(outputs) if isinstance(outputs, (tuple, list)) else [outputs]


def _randomize(ours, seed=3):
    rng = np.random.default_rng(seed)
    ours.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32")
                      for w in ours.get_weights()])


def gradients(layer, inputs, call, seeds=7):
    """Gradients of ``sum_i sum(out_i * r_i)`` (``r_i`` fixed random arrays) with
    respect to each input array and each trainable variable, with the backend's
    own autodiff. ``call(layer, *inputs)`` runs the layer; works for lamina and Keras."""
    probe = [_np(o) for o in _flat(call(layer, *inputs))]
    rng = np.random.default_rng(seeds)
    rs = [rng.normal(size=p.shape).astype("float32") for p in probe]
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        non_trainable = [v.value for v in layer.non_trainable_variables]

        def loss(tv, xs):
            def fn(*args, **kwargs):
                return layer.stateless_call(tv, non_trainable, *args, **kwargs)[0]
            proxy = _Proxy(layer, fn)
            return sum(jnp.sum(o * r) for o, r in zip(_flat(call(proxy, *xs)), rs))

        trainable = [v.value for v in layer.trainable_variables]
        # One compiled function: cheaper than compiling each op of an eager backward pass.
        gt, gx = jax.jit(jax.grad(loss, argnums=(0, 1)))(trainable,
                                                          [jnp.asarray(x) for x in inputs])
        return [np.asarray(g) for g in gx] + [np.asarray(g) for g in gt]
    if BACKEND == "torch":
        import torch

        xs = [torch.tensor(x, requires_grad=True) for x in inputs]
        params = [v.value for v in layer.trainable_variables]
        total = sum((o * torch.tensor(r)).sum() for o, r in zip(_flat(call(layer, *xs)), rs))
        grads = torch.autograd.grad(total, xs + params, allow_unused=True)
        return [np.zeros(tuple(p.shape)) if g is None else g.detach().cpu().numpy()
                for g, p in zip(grads, xs + params)]
    import tensorflow as tf

    xs = [tf.constant(x) for x in inputs]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        total = sum(tf.reduce_sum(o * r) for o, r in zip(_flat(call(layer, *xs)), rs))
    params = [v.value for v in layer.trainable_variables]
    return [np.asarray(g) for g in tape.gradient(total, xs + params)]


class _Proxy:
    """Stands in for a layer inside jax.grad: calling it runs ``fn`` (a stateless call)."""

    def __init__(self, layer, fn):
        self._layer, self._fn = layer, fn

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)


def _rel_path(variable):
    """``query/kernel`` from ``multi_head_attention_3/query/kernel`` (no counters)."""
    return re.sub(r"_\d+(?=/|$)", "", variable.path.split("/", 1)[1])


def compare_with_keras(make, inputs, call, grads=True, rtol=1e-5, atol=1e-5, grad_rtol=1e-4):
    """Builds ``make(lamina)`` and ``make(keras)``, gives Keras lamina's (randomized)
    weights, and compares outputs (and scores) and, on training backends, gradients."""
    ours, theirs = make(lamina), make(keras)
    call(ours, *inputs)
    call(theirs, *inputs)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert [_rel_path(w) for w in ours.weights] == [_rel_path(w) for w in theirs.weights]
    _randomize(ours)
    theirs.set_weights(ours.get_weights())
    mine, expected = _flat(call(ours, *inputs)), _flat(call(theirs, *inputs))
    assert len(mine) == len(expected)
    for a, b in zip(mine, expected):
        np.testing.assert_allclose(_np(a), keras.ops.convert_to_numpy(b), rtol=rtol, atol=atol)
    if grads and AUTODIFF:
        g1, g2 = gradients(ours, inputs, call), gradients(theirs, inputs, call)
        assert len(g1) == len(g2)
        for a, b in zip(g1, g2):
            np.testing.assert_allclose(a, b, rtol=grad_rtol, atol=1e-5)
    return ours


# -- MultiHeadAttention against Keras ------------------------------------------------------
Q, V, K = _x((2, 4, 6), 1), _x((2, 5, 6), 2), _x((2, 5, 3), 3)
ATT_MASK = _keep((2, 4, 5), 4)
VALUE_MASK = _keep((2, 5), 5)

MHA_GRID = [
    # (layer kwargs, inputs, call kwargs)
    ({}, "self", {}),
    ({}, "cross", {"use_causal_mask": True}),
    ({}, "cross", {"use_causal_mask": True, "return_attention_scores": True}),
    ({}, "cross", {"attention_mask": ATT_MASK, "value_mask": VALUE_MASK}),
    ({"kernel_initializer": "he_normal"}, "cross",
     {"attention_mask": ATT_MASK, "return_attention_scores": True, "use_causal_mask": True}),
    ({"value_dim": 3, "output_shape": (7,)}, "key", {"return_attention_scores": True}),
    ({"output_shape": (2, 3), "use_bias": False, "use_gate": True, "sliding_window": 2}, "key",
     {"training": True, "return_attention_scores": True}),
]


def _mha_inputs(kind):
    return {"self": [Q, Q], "cross": [Q, V], "key": [Q, V, K]}[kind]


# Gradients are compared for the cases marked True (each costs a backward pass per library).
MHA_GRADS = (True, True, False, False, True, True, True)


@pytest.mark.parametrize("case", range(len(MHA_GRID)))
def test_multi_head_attention_matches_keras(case):
    kwargs, kind, call_kwargs = MHA_GRID[case]

    def make(lib):
        return lib.layers.MultiHeadAttention(num_heads=2, key_dim=3, **kwargs)

    ours = compare_with_keras(make, _mha_inputs(kind),
                              lambda layer, *xs: layer(*xs, **call_kwargs),
                              grads=MHA_GRADS[case])
    if call_kwargs.get("return_attention_scores"):
        scores = _np(ours(*_mha_inputs(kind), **call_kwargs)[1])
        assert scores.shape == (2, 2, 4, _mha_inputs(kind)[1].shape[1])
        np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("axes,shape", [((2,), (2, 3, 4, 6)), ((1, 2), (2, 3, 2, 6))])
def test_multi_head_attention_axes_match_keras(axes, shape):
    x = _x(shape, 8)

    def make(lib):
        return lib.layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=axes)

    ours = compare_with_keras(make, [x, x], lambda layer, a, b: layer(
        a, b, return_attention_scores=True), grads=False)
    _, scores = ours(x, x, return_attention_scores=True)
    spec = lamina.layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=axes)(
        lamina.KerasTensor((None,) + shape[1:]), lamina.KerasTensor((None,) + shape[1:]),
        return_attention_scores=True)
    assert spec[0].shape[1:] == shape[1:]
    assert spec[1].shape[1:] == tuple(scores.shape)[1:]


def test_multi_head_attention_harness():
    x = _x((2, 4, 6))
    check_layer(layers.MultiHeadAttention, {"num_heads": 2, "key_dim": 3}, input_data=x,
                call_kwargs={"value": x}, rtol=1e-5, atol=1e-5)


def test_multi_head_attention_dropout_only_in_training():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=1)
    theirs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=1)
    theirs(Q, V)
    layer(Q, V)
    theirs.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(layer(Q, V, training=False)),
                               keras.ops.convert_to_numpy(theirs(Q, V, training=False)),
                               rtol=1e-5, atol=1e-5)
    _, train_scores = layer(Q, V, training=True, return_attention_scores=True)
    a, b = _np(layer(Q, V, training=True)), _np(layer(Q, V, training=False))
    assert not np.allclose(a, b)
    # The returned scores are the weights before dropout: rows still sum to 1.
    np.testing.assert_allclose(_np(train_scores).sum(-1), 1.0, rtol=1e-5)


def _masked_model(lib, layer_fn):
    ids = lib.Input((5,), dtype="int32")
    x = lib.layers.Embedding(10, 6, mask_zero=True,
                             embeddings_initializer=lib.initializers.RandomNormal(seed=1))(ids)
    y = layer_fn(lib, x)
    pooled = lib.layers.GlobalAveragePooling1D()(y)  # uses the propagated mask
    return lib.Model(ids, pooled)


IDS = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2], [5, 0, 0, 0, 0]], "int32")


@pytest.mark.parametrize("which", ["mha", "mha_causal", "attention", "gqa"])
def test_keras_masks_propagate_from_inputs_like_keras(which):
    def layer_fn(lib, x):
        if which == "attention":
            return lib.layers.Attention(use_scale=True)([x, x])
        if which == "gqa":
            return lib.layers.GroupQueryAttention(head_dim=3, num_query_heads=2,
                                                  num_key_value_heads=1)(x, x)
        mha = lib.layers.MultiHeadAttention(num_heads=2, key_dim=3)
        return mha(x, x, use_causal_mask=which == "mha_causal")

    ours, theirs = _masked_model(lamina, layer_fn), _masked_model(keras, layer_fn)
    _randomize(ours)
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(_np(ours(IDS)), keras.ops.convert_to_numpy(theirs(IDS)),
                               rtol=1e-5, atol=1e-5)
    # The same numbers as passing the masks by hand: padding takes no part.
    emb = ours.layers[1]
    x = emb(IDS)
    mask = IDS != 0
    attention = ours.layers[2]
    if which == "attention":
        by_hand = attention([x, x], mask=[mask, mask])
    elif which == "gqa":
        by_hand = attention(x, x, query_mask=mask, value_mask=mask)
    else:
        by_hand = attention(x, x, query_mask=mask, value_mask=mask,
                            use_causal_mask=which == "mha_causal")
    weights = mask[..., None].astype("float32")
    pooled = (_np(by_hand) * weights).sum(1) / weights.sum(1)
    np.testing.assert_allclose(_np(ours(IDS)), pooled, rtol=1e-5, atol=1e-5)


def test_multi_head_attention_output_carries_the_query_mask():
    from lamina.backend.common.masking import get_keras_mask

    x = layers.Embedding(10, 4, mask_zero=True)(IDS)
    out = layers.MultiHeadAttention(num_heads=1, key_dim=2)(x, x)
    np.testing.assert_array_equal(_np(get_keras_mask(out)), IDS != 0)
    spec = lamina.Input((5,), dtype="int32")
    out = layers.MultiHeadAttention(num_heads=1, key_dim=2)(
        layers.Embedding(10, 4, mask_zero=True)(spec), layers.Embedding(10, 4)(spec))
    assert out._keras_mask is not None and out._keras_mask.shape == (None, 5)


# -- NumPy reference (every backend) ---------------------------------------------------------
def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _mha_reference(q, v, weights, key_dim, mask=None):
    wq, bq, wk, bk, wv, bv, wo, bo = [np.asarray(w, "float64") for w in weights]
    qh = np.einsum("btd,dnh->btnh", q, wq) + bq
    kh = np.einsum("bsd,dnh->bsnh", v, wk) + bk
    vh = np.einsum("bsd,dnh->bsnh", v, wv) + bv
    logits = np.einsum("btnh,bsnh->bnts", qh, kh) / np.sqrt(key_dim)
    if mask is not None:
        logits = np.where(mask[:, None], logits, -1e9)
    probs = _softmax(logits)
    heads = np.einsum("bnts,bsnh->btnh", probs, vh)
    return np.einsum("btnh,nhd->btd", heads, wo) + bo, probs


@pytest.mark.parametrize("call_kwargs", [{}, {"use_causal_mask": True},
                                         {"attention_mask": ATT_MASK,
                                          "return_attention_scores": True}])
def test_multi_head_attention_against_numpy(call_kwargs):
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=3)
    layer(Q, V)
    _randomize(layer)
    outputs = _flat(layer(Q, V, **call_kwargs))
    mask = call_kwargs.get("attention_mask")
    if call_kwargs.get("use_causal_mask"):
        mask = np.tril(np.ones((4, 5), bool))[None].repeat(2, 0)
    expected, probs = _mha_reference(Q.astype("float64"), V.astype("float64"),
                                     layer.get_weights(), 3, mask)
    np.testing.assert_allclose(_np(outputs[0]), expected, rtol=1e-4, atol=1e-5)
    if len(outputs) > 1:
        np.testing.assert_allclose(_np(outputs[1]), probs, rtol=1e-4, atol=1e-6)


def _attention_reference(q, v, mask_q=None, mask_v=None, causal=False, scale=1.0):
    scores = scale * np.einsum("btd,bsd->bts", q, v)
    keep = np.ones(scores.shape, bool)
    if mask_v is not None:
        keep &= mask_v[:, None, :]
    if causal:
        keep &= np.tril(np.ones(scores.shape[1:], bool))[None]
    probs = _softmax(np.where(keep, scores, scores - 1e9))
    out = probs @ v
    if mask_q is not None:
        out = np.where(mask_q[..., None], out, 0.0)
    return out, probs


def test_attention_against_numpy():
    q, v = _x((2, 4, 3), 1), _x((2, 5, 3), 2)
    mq, mv = _keep((2, 4), 6), _keep((2, 5), 7)
    out, probs = layers.Attention()([q, v], mask=[mq, mv], use_causal_mask=True,
                                    return_attention_scores=True)
    ref_out, ref_probs = _attention_reference(q.astype("float64"), v.astype("float64"), mq, mv,
                                              causal=True)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(probs), ref_probs, rtol=1e-5, atol=1e-6)


# -- Attention and AdditiveAttention -----------------------------------------------------------
QA, VA, KA = _x((2, 4, 3), 11), _x((2, 5, 3), 12), _x((2, 5, 3), 13)
MQ, MV = _keep((2, 4), 14), _keep((2, 5), 15)

ATTENTION_GRID = [
    ("Attention", {"use_scale": True}, [QA, VA, KA], {"return_attention_scores": True}),
    ("Attention", {"score_mode": "concat"}, [QA, VA], {"mask": [MQ, MV]}),
    ("Attention", {"score_mode": "concat", "use_scale": True, "dropout": 0.0}, [QA, VA],
     {"mask": [None, MV], "use_causal_mask": True, "return_attention_scores": True,
      "training": True}),
    ("AdditiveAttention", {}, [QA, VA, KA], {"mask": [MQ, MV], "return_attention_scores": True}),
    ("AdditiveAttention", {"use_scale": False}, [QA, VA], {"use_causal_mask": True}),
]


@pytest.mark.parametrize("case", range(len(ATTENTION_GRID)))
def test_attention_layers_match_keras(case):
    name, kwargs, inputs, call_kwargs = ATTENTION_GRID[case]

    def make(lib):
        return getattr(lib.layers, name)(**kwargs)

    compare_with_keras(make, inputs, lambda layer, *xs: layer(list(xs), **call_kwargs),
                       grads=case in (0, 2, 3))


@pytest.mark.parametrize("name,kwargs", [("Attention", {"use_scale": True}),
                                         ("Attention", {"score_mode": "concat"}),
                                         ("AdditiveAttention", {})])
def test_attention_layers_harness(name, kwargs):
    cls = getattr(layers, name)
    q, v = _x((2, 4, 3), 1), _x((2, 4, 3), 2)
    check_layer(cls, kwargs, input_data=[q, v], symbolic=False, train=False)
    specs = [lamina.KerasTensor((None, 4, 3)), lamina.KerasTensor((None, 6, 5)),
             lamina.KerasTensor((None, 6, 3))]
    spec = cls(**kwargs)(specs, return_attention_scores=True)
    assert [s.shape for s in spec] == [(None, 4, 5), (None, 4, 6)]
    out = cls(**kwargs)([_x((2, 4, 3)), _x((2, 6, 5)), _x((2, 6, 3))])
    assert tuple(out.shape) == (2, 4, 5)
    assert cls(**kwargs).compute_output_shape([s.shape for s in specs]) == (None, 4, 5)


def test_attention_dropout_only_in_training():
    layer = layers.Attention(dropout=0.5, seed=2)
    a = _np(layer([QA, VA], training=True))
    b = _np(layer([QA, VA], training=False))
    assert not np.allclose(a, b)
    np.testing.assert_allclose(b, _attention_reference(QA, VA)[0], rtol=1e-5, atol=1e-6)


# -- GroupQueryAttention ------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,call_kwargs", [
    ({"num_query_heads": 4, "num_key_value_heads": 2}, {}),
    ({"num_query_heads": 4, "num_key_value_heads": 1}, {"return_attention_scores": True,
                                                        "use_causal_mask": True}),
    ({"num_query_heads": 2, "num_key_value_heads": 2, "use_bias": False},
     {"attention_mask": ATT_MASK}),
])
def test_group_query_attention_matches_keras(kwargs, call_kwargs):
    def make(lib):
        return lib.layers.GroupQueryAttention(head_dim=3, **kwargs)

    compare_with_keras(make, [Q, V], lambda layer, *xs: layer(*xs, **call_kwargs),
                       grads=kwargs["num_key_value_heads"] == 1)


def test_group_query_attention_name_and_harness():
    # Keras 3 exports (and saves) only the short name; files with the class's long name load.
    assert not hasattr(layers, "GroupedQueryAttention")
    from lamina.saving.object_registry import find_builtin

    assert find_builtin("GroupedQueryAttention", "keras.layers") is layers.GroupQueryAttention
    assert lamina.layers.serialize(layers.GroupQueryAttention(2, 2, 1))["class_name"] == \
        keras.layers.serialize(keras.layers.GroupQueryAttention(2, 2, 1))["class_name"]
    x = _x((2, 4, 6))
    check_layer(layers.GroupQueryAttention,
                {"head_dim": 3, "num_query_heads": 2, "num_key_value_heads": 1},
                input_data=x, call_kwargs={"value": x}, rtol=1e-5, atol=1e-5)


# -- errors --------------------------------------------------------------------------------
def test_errors_name_the_layer_what_was_expected_and_received():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")
    with pytest.raises(ValueError, match=r"'mha'.*rank >= 3.*\(2, 6\)"):
        mha(_x((2, 6)), _x((2, 6)))
    mha(Q, V)
    with pytest.raises(ValueError, match=r"'mha'.*`query` must have 6 features.*\(2, 4, 5\)"):
        mha(_x((2, 4, 5)), V)
    with pytest.raises(ValueError, match=r"'mha'.*`value_mask` must have shape \(2, 5\).*\(2, 4\)"):
        mha(Q, V, value_mask=np.ones((2, 4), bool))
    with pytest.raises(ValueError, match=r"'mha'.*`attention_mask`.*\(2, 4, 5\).*\(2, 5, 4\)"):
        mha(Q, V, attention_mask=np.ones((2, 5, 4), bool))
    with pytest.raises(ValueError, match=r"'mha'.*value.*key.*\(2, 5, 6\).*\(2, 3, 6\)"):
        mha(Q, V, _x((2, 3, 6)))
    with pytest.raises(ValueError, match=r"num_heads.*positive integer.*0"):
        layers.MultiHeadAttention(num_heads=0, key_dim=3)
    with pytest.raises(ValueError, match=r"'mha2' needs a `value`"):
        layers.MultiHeadAttention(num_heads=1, key_dim=3, name="mha2")(Q)
    att = layers.Attention(name="att")
    with pytest.raises(ValueError, match=r"'att'.*list of inputs"):
        att(QA)
    with pytest.raises(ValueError, match=r"'att'.*last dimension of query and key.*\(2, 4, 3\)"
                                         r".*\(2, 5, 2\)"):
        att([QA, _x((2, 5, 2))])
    with pytest.raises(ValueError, match=r"'att'.*same number of time steps"):
        att([QA, VA, _x((2, 6, 3))])
    with pytest.raises(ValueError, match=r"'att'.*value_mask must have shape \(2, 5\).*\(2, 4\)"):
        att([QA, VA], mask=[None, np.ones((2, 4), bool)])
    with pytest.raises(ValueError, match=r"score_mode.*'dot', 'concat'.*'cosine'"):
        layers.Attention(score_mode="cosine")
    with pytest.raises(ValueError, match=r"'gqa'.*divisible.*3 and 2"):
        layers.GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=2,
                                   name="gqa")
    gqa = layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1,
                                     name="gqa")
    with pytest.raises(ValueError, match=r"'gqa'.*last dimension of `query` and `value`"):
        gqa(Q, _x((2, 5, 4)))


# -- training: a transformer-encoder block ---------------------------------------------------
def encoder_block(lib, seq=8, dim=16, heads=4, key_dim=4, ff=32):
    """The bench's transformer encoder block, small: self-attention and a feed-forward
    net, each with a residual connection and layer normalization."""
    inputs = lib.Input((seq, dim))
    attn = lib.layers.MultiHeadAttention(num_heads=heads, key_dim=key_dim)(inputs, inputs)
    x = lib.layers.LayerNormalization()(lib.layers.Add()([inputs, attn]))
    h = lib.layers.Dense(ff, activation="relu")(x)
    h = lib.layers.Dense(dim)(h)
    x = lib.layers.LayerNormalization()(lib.layers.Add()([x, h]))
    outputs = lib.layers.Dense(1)(lib.layers.GlobalAveragePooling1D()(x))
    return lib.Model(inputs, outputs)


@pytest.mark.training
def test_transformer_encoder_fit_matches_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 8, 16)).astype("float32")
    y = x.mean(axis=(1, 2))[:, None].astype("float32") * 3
    lamina.utils.set_random_seed(1)
    ours, theirs = encoder_block(lamina), encoder_block(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(optimizer=lamina.optimizers.Adam(1e-3), loss="mse")
    theirs.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    h1 = ours.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history["loss"]
    h2 = theirs.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(h1, h2, rtol=1e-4)
    assert h1[-1] < h1[0]
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, _np(b), rtol=1e-3, atol=1e-4)  # Adam: tiny weights


# -- saving: lamina round trip and Keras 3 files both ways ------------------------------------
def _attention_model(lib):
    ids = lib.Input((5,), dtype="int32")
    x = lib.layers.Embedding(10, 6, mask_zero=True)(ids)
    x = lib.layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(x, x)
    x = lib.layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1,
                                       name="gqa")(x, x)
    x = lib.layers.Attention(use_scale=True, name="att")([x, x])
    x = lib.layers.AdditiveAttention(name="add_att")([x, x])
    x = lib.layers.TimeDistributed(lib.layers.Dense(3), name="td")(x)
    return lib.Model(ids, lib.layers.GlobalAveragePooling1D()(x))


@pytest.mark.parametrize("direction", ["keras_to_lamina", "lamina_to_keras"])
def test_attention_models_save_and_load_across_libraries(direction, tmp_path):
    from tests.library.saving.helpers import h5_layout

    source, target = (keras, lamina) if direction == "keras_to_lamina" else (lamina, keras)
    model = _attention_model(source)
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(scale=0.5, size=tuple(w.shape)).astype("float32")
                       for w in model.get_weights()])
    path = tmp_path / "m.keras"
    model.save(path)
    restored = target.models.load_model(path)
    np.testing.assert_allclose(_np(restored.predict(IDS, verbose=0)),
                               _np(model.predict(IDS, verbose=0)), rtol=1e-5, atol=1e-6)
    again = tmp_path / "again.keras"
    restored.save(again)
    assert h5_layout(again)[0] == h5_layout(path)[0]
    # Saved again by lamina, the file still loads and predicts the same.
    if target is lamina:
        reloaded = lamina.models.load_model(again)
        np.testing.assert_allclose(_np(reloaded.predict(IDS, verbose=0)),
                                   _np(model.predict(IDS, verbose=0)), rtol=1e-5, atol=1e-6)
        assert reloaded.get_layer("mha").get_build_config() == \
            model.get_layer("mha").get_build_config()
