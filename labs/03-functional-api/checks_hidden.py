"""Hidden checks of lab 3 (never released to learners; the grader copies this file when it grades)."""

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name):
    if name not in ns:
        raise CheckFailed(f"{name} is not defined")
    return ns[name]


@check("q1", points=0.5)
def encoder_is_residual(ns):
    keras = need(ns, "keras")
    encoder = keras.Model(inputs=need(ns, "left_input"), outputs=need(ns, "left_features"))
    kinds = [type(layer).__name__ for layer in encoder.layers]
    if kinds.count("Add") != 1 or kinds.count("Dense") != 2:
        raise CheckFailed("encode should be two Dense layers and one Add")
    t = np.random.default_rng(2).random((3, 64)).astype("float32")
    w1, b1 = [np.asarray(w, "float64") for w in need(ns, "encoder_dense").get_weights()]
    w2, b2 = [np.asarray(w, "float64") for w in need(ns, "residual_dense").get_weights()]
    h = np.maximum(t @ w1 + b1, 0)
    if not np.allclose(np.asarray(encoder.predict(t, verbose=0)), h + np.maximum(h @ w2 + b2, 0), atol=1e-4):
        raise CheckFailed("encode(t) should be h + residual_dense(h) with h = encoder_dense(t)")


@check("q2", points=0.5)
def total_head_reads_both_images(ns):
    model = need(ns, "model")
    rng = np.random.default_rng(1)
    left = rng.random((4, 64)).astype("float32")
    right_a = rng.random((4, 64)).astype("float32")
    right_b = rng.random((4, 64)).astype("float32")
    a = model.predict({"left": left, "right": right_a}, verbose=0)
    b = model.predict({"left": left, "right": right_b}, verbose=0)
    if np.allclose(a["total"], b["total"]) or not np.allclose(a["digit"], b["digit"], atol=1e-6):
        raise CheckFailed("the total head should read both images and the digit head only the left one")


@check("q3", points=0.5)
def adam(ns):
    if type(need(ns, "model").optimizer).__name__ != "Adam":
        raise CheckFailed("the optimizer should be Adam")


@check("q4", points=1)
def both_heads_learned(ns):
    h = need(ns, "history").history
    if not h["val_digit_accuracy"][-1] > 0.9 or not h["val_total_mae"][-1] < 2.0:
        raise CheckFailed("after 20 epochs both heads should do well on the validation pairs")
