"""Hidden checks of lab 2 (never released to learners; the grader copies this file when it grades)."""

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name):
    if name not in ns:
        raise CheckFailed(f"{name} is not defined")
    return ns[name]


@check("q1", points=0.5)
def big_model_overfits(ns):
    h = need(ns, "big_history").history
    if not h["loss"][-1] < 0.05 or not h["val_loss"][-1] > min(h["val_loss"]):
        raise CheckFailed("big_model should fit its training data almost perfectly and its validation loss "
                          "should rise again")


@check("q2", points=0.5)
def gaps_are_positive(ns):
    if not float(need(ns, "overfit_gap")) > 0 or not float(need(ns, "accuracy_gap")) > 0:
        raise CheckFailed("both gaps should be positive for an overfitting model")


@check("q3", points=1)
def best_weights_restored(ns):
    model, h = need(ns, "es_model"), need(ns, "es_history").history
    loss = model.evaluate(need(ns, "x_val"), need(ns, "y_val"), verbose=0)
    loss = float(loss[0] if isinstance(loss, (list, tuple)) else loss)
    if abs(loss - min(h["val_loss"])) > 1e-3 * max(1.0, loss):
        raise CheckFailed("es_model should end with the weights of its best epoch")


@check("q4", points=1)
def dropout_only_in_training(ns):
    model = need(ns, "make_regularized_model")()
    ops = need(ns, "keras").ops
    x = ops.convert_to_tensor(np.asarray(need(ns, "x"))[:16])
    a = ops.convert_to_numpy(model(x, training=False))
    b = np.asarray(model.predict(ops.convert_to_numpy(x), verbose=0))
    c = ops.convert_to_numpy(model(x, training=True))
    if not np.allclose(a, b, atol=1e-5) or np.allclose(a, c, atol=1e-5):
        raise CheckFailed("the model should drop units in training only")
    if not any(float(ops.convert_to_numpy(loss)) > 0 for loss in model.losses):
        raise CheckFailed("the regularization penalties should be in model.losses")


@check("q5", points=1)
def final_run_stopped_at_its_best(ns):
    h = need(ns, "final_history").history
    losses = list(h["val_loss"])
    if len(losses) - 1 - losses.index(min(losses)) != 5:
        raise CheckFailed("the final run should use EarlyStopping with patience 5")
