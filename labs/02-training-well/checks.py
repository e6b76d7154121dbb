"""Public checks of lab 2 (released with the notebook; run them with grader.check("qN"))."""

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name, hint=None):
    """The notebook variable ``name``, or a failure that says which cell to run."""
    if name not in ns:
        raise CheckFailed(f"{name} is not defined: run the question's cell first", hint=hint)
    return ns[name]


def history_dict(ns, name):
    h = getattr(need(ns, name), "history", None)
    if not isinstance(h, dict) or "loss" not in h:
        raise CheckFailed(f"{name} should be what model.fit returns (a History), "
                          f"received {type(ns[name]).__name__}")
    return h


def layer_types(model):
    return [type(layer).__name__ for layer in getattr(model, "layers", [])]


# -- q1: validation data --------------------------------------------------------------------
@check("q1", points=0.5, hint="x[:300] and x[-400:]; slice y the same way.")
def small_and_validation_sets(ns):
    x, y = np.asarray(need(ns, "x")), np.asarray(need(ns, "y"))
    pairs = [("x_small", x[:300]), ("y_small", y[:300]), ("x_val", x[-400:]), ("y_val", y[-400:])]
    for name, expected in pairs:
        got = np.asarray(need(ns, name))
        if got.shape != expected.shape or not np.array_equal(got, expected):
            raise CheckFailed(f"{name} should be {'the first 300' if 'small' in name else 'the last 400'} "
                              f"samples, received an array of shape {got.shape}")


@check("q1", points=1, hint="big_model.fit(x_small, y_small, epochs=60, batch_size=32, "
                            "validation_data=(x_val, y_val))")
def sixty_epochs_with_validation(ns):
    h = history_dict(ns, "big_history")
    if "val_loss" not in h:
        raise CheckFailed("big_history has no val_loss: pass validation_data=(x_val, y_val) to fit")
    if len(h["loss"]) != 60:
        raise CheckFailed(f"big_model should train for 60 epochs, big_history has {len(h['loss'])}")


# -- q2: see the overfitting ----------------------------------------------------------------
@check("q2", points=0.5, hint="np.argmin(h['val_loss']) counts from 0; epochs count from 1.")
def best_epoch_is_the_lowest_validation_loss(ns):
    losses = list(history_dict(ns, "big_history")["val_loss"])
    expected = losses.index(min(losses)) + 1
    if need(ns, "best_epoch") != expected:
        raise CheckFailed(f"best_epoch should be {expected}, received {ns['best_epoch']!r}")


@check("q2", points=1, hint="Use the last element ([-1]) of each list.")
def gaps(ns):
    h = history_dict(ns, "big_history")
    expected = h["val_loss"][-1] - min(h["val_loss"])
    if abs(float(need(ns, "overfit_gap")) - expected) > 1e-6:
        raise CheckFailed(f"overfit_gap should be the last validation loss minus the lowest, {expected:.4f}; "
                          f"received {ns['overfit_gap']!r}")
    expected = h["accuracy"][-1] - h["val_accuracy"][-1]
    if abs(float(need(ns, "accuracy_gap")) - expected) > 1e-6:
        raise CheckFailed(f"accuracy_gap should be the last training accuracy minus the last validation "
                          f"accuracy, {expected:.4f}; received {ns['accuracy_gap']!r}")


# -- q3: early stopping ---------------------------------------------------------------------
@check("q3", points=1, hint='keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, '
                            'restore_best_weights=True)')
def early_stopping_settings(ns):
    es = need(ns, "early_stop")
    if type(es).__name__ != "EarlyStopping":
        raise CheckFailed(f"early_stop should be an EarlyStopping callback, received {type(es).__name__}")
    got = (es.monitor, es.patience, bool(es.restore_best_weights))
    if got != ("val_loss", 5, True):
        raise CheckFailed(f"early_stop should watch val_loss with patience 5 and restore the best weights; "
                          f"received monitor={got[0]!r}, patience={got[1]!r}, restore_best_weights={got[2]!r}")


@check("q3", points=1, hint="Pass callbacks=[early_stop] to fit, with epochs=60.")
def training_stopped_early(ns):
    h = history_dict(ns, "es_history")
    if "val_loss" not in h:
        raise CheckFailed("es_history has no val_loss: pass validation_data=(x_val, y_val)")
    n = len(h["loss"])
    if n >= 60:
        raise CheckFailed("training ran all 60 epochs: is early_stop in callbacks=[...]?")
    losses = list(h["val_loss"])
    if n - 1 - losses.index(min(losses)) != 5:
        raise CheckFailed(f"with patience 5 training stops 5 epochs after the best one; here the best was "
                          f"epoch {losses.index(min(losses)) + 1} of {n}")


# -- q4: regularize -------------------------------------------------------------------------
def _regularized(ns):
    make = need(ns, "make_regularized_model")
    model = make()
    if getattr(model, "optimizer", None) is None:
        raise CheckFailed("make_regularized_model() should return a compiled model")
    return model


@check("q4", points=1, hint="Dense(256, relu, kernel_regularizer=...), Dropout(0.3), Dense(256, ...), "
                            "Dropout(0.3), Dense(10, softmax)")
def dropout_after_each_hidden_layer(ns):
    model = _regularized(ns)
    kinds = layer_types(model)
    if kinds != ["Dense", "Dropout", "Dense", "Dropout", "Dense"]:
        raise CheckFailed(f"the layers should be Dense, Dropout, Dense, Dropout, Dense; received {kinds}")
    rates = [layer.rate for layer in model.layers if type(layer).__name__ == "Dropout"]
    if any(abs(r - 0.3) > 1e-9 for r in rates):
        raise CheckFailed(f"the Dropout rates should be 0.3, received {rates}")


@check("q4", points=1, hint="kernel_regularizer=keras.regularizers.L2(1e-4) on both hidden Dense layers.")
def l2_on_hidden_kernels(ns):
    model = _regularized(ns)
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    for layer in dense[:-1]:
        reg = getattr(layer, "kernel_regularizer", None)
        config = reg.get_config() if reg is not None and hasattr(reg, "get_config") else {}
        if abs(float(config.get("l2", 0.0)) - 1e-4) > 1e-9 or float(config.get("l1", 0.0)) != 0.0:
            raise CheckFailed(f"layer {layer.name} should have kernel_regularizer L2(1e-4), "
                              f"received {type(reg).__name__ if reg is not None else None} {config}")


@check("q4", points=1, hint="keras.optimizers.Adam(keras.optimizers.schedules.ExponentialDecay(1e-3, "
                            "decay_steps=100, decay_rate=0.9))")
def adam_with_exponential_decay(ns):
    model = _regularized(ns)
    if type(model.optimizer).__name__ != "Adam":
        raise CheckFailed(f"the optimizer should be Adam, received {type(model.optimizer).__name__}")
    lr = model.optimizer.get_config().get("learning_rate")
    if not isinstance(lr, dict) or lr.get("class_name") != "ExponentialDecay":
        raise CheckFailed(f"the learning rate should be an ExponentialDecay schedule, received {lr!r}")
    got = {k: lr["config"].get(k) for k in ("initial_learning_rate", "decay_steps", "decay_rate")}
    if got != {"initial_learning_rate": 1e-3, "decay_steps": 100, "decay_rate": 0.9}:
        raise CheckFailed(f"the schedule should start at 1e-3 and decay by 0.9 every 100 steps, received {got}")


# -- q5: the final model --------------------------------------------------------------------
@check("q5", points=1, hint="final_history = final_model.fit(x, y, epochs=60, batch_size=32, "
                            "validation_split=0.2, callbacks=[...])")
def final_model_trained_on_all_data(ns):
    model = need(ns, "final_model")
    if layer_types(model).count("Dropout") != 2:
        raise CheckFailed("final_model should come from make_regularized_model()")
    h = history_dict(ns, "final_history")
    if "val_loss" not in h:
        raise CheckFailed("final_history has no val_loss: pass validation_split=0.2")
    if len(h["loss"]) >= 60:
        raise CheckFailed("training ran all 60 epochs: add an EarlyStopping callback")


@check("q5", points=1, hint="A regularized model on all the data should beat the big model of question 1.")
def final_model_is_good(ns):
    h = history_dict(ns, "final_history")
    best = max(h["val_accuracy"])
    if best < 0.95:
        raise CheckFailed(f"the best validation accuracy should be above 0.95, yours is {best:.3f}")
