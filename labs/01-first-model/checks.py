"""Public checks of lab 1 (released with the notebook; run them with grader.check("qN"))."""

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name, hint=None):
    """The notebook variable ``name``, or a failure that says which cell to run."""
    if name not in ns:
        raise CheckFailed(f"{name} is not defined: run the question's cell first", hint=hint)
    return ns[name]


def python_accuracy(probabilities, labels):
    """Accuracy computed with plain Python (a patched NumPy cannot change it)."""
    rows = np.asarray(probabilities).tolist()
    labels = np.asarray(labels).reshape(-1).tolist()
    hits = sum(1 for row, label in zip(rows, labels) if row.index(max(row)) == int(label))
    return hits / len(labels)


def dense_layers(model):
    return [layer for layer in getattr(model, "layers", []) if type(layer).__name__ == "Dense"]


def activation_name(layer):
    act = getattr(layer, "activation", None)
    return getattr(act, "__name__", str(act))


# -- q1: the data ---------------------------------------------------------------------------
@check("q1", points=0.5, hint="Use x.shape[1] and the number of distinct labels in y (np.unique).")
def features_and_classes(ns):
    if need(ns, "n_features") != 64:
        raise CheckFailed(f"n_features should be the number of columns of x, received {ns['n_features']!r}")
    if need(ns, "n_classes") != 10:
        raise CheckFailed(f"n_classes should be the number of distinct labels, received {ns['n_classes']!r}")


@check("q1", points=0.5, hint="x[-300:] are the last 300 rows; x[:-300] all the others.")
def test_set_is_the_last_300_samples(ns):
    x_train, x_test = need(ns, "x_train"), need(ns, "x_test")
    y_train, y_test = need(ns, "y_train"), need(ns, "y_test")
    if np.shape(x_test) != (300, 64) or np.shape(y_test) != (300,):
        raise CheckFailed(f"x_test, y_test should have shapes (300, 64) and (300,), "
                          f"received {np.shape(x_test)} and {np.shape(y_test)}")
    if np.shape(x_train) != (1047, 64) or np.shape(y_train) != (1047,):
        raise CheckFailed(f"x_train, y_train should have shapes (1047, 64) and (1047,), "
                          f"received {np.shape(x_train)} and {np.shape(y_train)}")


@check("q1", points=0.5, hint="Split x and y with the same slices, so that each label stays with its image.")
def labels_follow_their_images(ns):
    x, y = ns.get("x"), ns.get("y")
    if x is None or y is None:
        raise CheckFailed("x and y (from grader.load_lab_data) are not defined")
    if not np.array_equal(np.asarray(need(ns, "y_test")), np.asarray(y)[-300:]):
        raise CheckFailed("y_test is not the last 300 labels of y")


# -- q2: the model --------------------------------------------------------------------------
@check("q2", points=1, hint="keras.Sequential([keras.Input(shape=(n_features,)), layers.Dense(...), ...])")
def two_dense_layers(ns):
    model = need(ns, "model")
    dense = dense_layers(model)
    if len(dense) != 2:
        raise CheckFailed(f"model should have 2 Dense layers, it has {len(dense)}")
    got = [(d.units, activation_name(d)) for d in dense]
    if got != [(64, "relu"), (10, "softmax")]:
        raise CheckFailed(f"the Dense layers should be (64 units, relu) then (10 units, softmax), received {got}")


@check("q2", points=0.5, hint="n_params = model.count_params(); 64*64 + 64 + 64*10 + 10.")
def parameter_count(ns):
    model, n_params = need(ns, "model"), need(ns, "n_params")
    if model.count_params() != 4810:
        raise CheckFailed(f"model should have 4810 parameters, it has {model.count_params()}")
    if n_params != 4810:
        raise CheckFailed(f"n_params should be model.count_params(), received {n_params!r}")


# -- q3: compile ----------------------------------------------------------------------------
@check("q3", points=0.5, hint='model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", '
                            'metrics=["accuracy"])')
def compiled_with_adam_crossentropy_accuracy(ns):
    model = need(ns, "model")
    if getattr(model, "optimizer", None) is None:
        raise CheckFailed("model is not compiled yet: call model.compile(...)")
    config = model.get_compile_config() or {}
    opt = type(model.optimizer).__name__
    if opt != "Adam":
        raise CheckFailed(f"the optimizer should be Adam, received {opt}")
    if config.get("loss") != "sparse_categorical_crossentropy":
        raise CheckFailed(f"the loss should be 'sparse_categorical_crossentropy', received {config.get('loss')!r}")
    if config.get("metrics") not in (["accuracy"], ("accuracy",), "accuracy"):
        raise CheckFailed(f"the metrics should be ['accuracy'], received {config.get('metrics')!r}")


# -- q4: train ------------------------------------------------------------------------------
def fit_history(ns):
    """``history.history``, when ``history`` is what ``model.fit`` returned."""
    history = need(ns, "history")
    h = getattr(history, "history", None)
    if not isinstance(h, dict):
        raise CheckFailed(f"history should be what model.fit returns, received {type(history).__name__}")
    if getattr(need(ns, "model"), "history", None) is not history:
        raise CheckFailed("history should be what model.fit returned when you trained model")
    return h


@check("q4", points=1, hint="history = model.fit(x_train, y_train, epochs=20, batch_size=32, validation_split=0.2)")
def history_has_20_epochs_with_validation(ns):
    h = fit_history(ns)
    missing = [k for k in ("loss", "accuracy", "val_loss", "val_accuracy") if k not in h]
    if missing:
        raise CheckFailed(f"history.history has no {missing}: did you pass validation_split=0.2?")
    if len(h["loss"]) != 20:
        raise CheckFailed(f"the model should train for 20 epochs, history has {len(h['loss'])}")


@check("q4", points=1, hint='history.history["val_loss"] is a list; np.argmin gives the index from 0.')
def read_the_history(ns):
    h = fit_history(ns)
    final = need(ns, "final_val_accuracy")
    if abs(float(final) - h["val_accuracy"][-1]) > 1e-6:
        raise CheckFailed(f"final_val_accuracy should be the last validation accuracy "
                          f"{h['val_accuracy'][-1]:.4f}, received {final!r}")
    losses = list(h["val_loss"])
    expected = losses.index(min(losses)) + 1
    if need(ns, "best_epoch") != expected:
        raise CheckFailed(f"best_epoch should be {expected} (epochs count from 1), received {ns['best_epoch']!r}")


# -- q5: evaluate ---------------------------------------------------------------------------
@check("q5", points=1, hint="test_loss, test_accuracy = model.evaluate(x_test, y_test)")
def test_accuracy_is_measured_on_x_test(ns):
    model, x_test, y_test = need(ns, "model"), need(ns, "x_test"), need(ns, "y_test")
    acc = need(ns, "test_accuracy")
    expected = python_accuracy(model.predict(x_test, verbose=0), y_test)
    if not isinstance(acc, (int, float, np.floating)) or abs(float(acc) - expected) > 1e-4:
        raise CheckFailed(f"test_accuracy should be the model's accuracy on x_test ({expected:.4f}), "
                          f"received {acc!r}")
    need(ns, "test_loss")


@check("q5", points=1, hint="Train the model (question 4) before you evaluate it.")
def model_is_trained(ns):
    model, x_test, y_test = need(ns, "model"), need(ns, "x_test"), need(ns, "y_test")
    acc = python_accuracy(model.predict(x_test, verbose=0), y_test)
    if acc < 0.9:
        raise CheckFailed(f"a trained model gets more than 0.9 test accuracy, yours gets {acc:.3f}")
