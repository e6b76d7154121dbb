"""Hidden checks of lab 1 (never released to learners; the grader copies this file when it grades)."""

import math

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name):
    if name not in ns:
        raise CheckFailed(f"{name} is not defined")
    return ns[name]


@check("q1", points=0.5)
def train_and_test_do_not_overlap(ns):
    x, x_train = np.asarray(need(ns, "x")), np.asarray(need(ns, "x_train"))
    if not np.array_equal(x_train, x[:-300]) or not np.array_equal(np.asarray(need(ns, "y_train")),
                                                                   np.asarray(need(ns, "y"))[:-300]):
        raise CheckFailed("x_train, y_train should be all samples but the last 300, in order")


@check("q2", points=0.5)
def outputs_are_probabilities(ns):
    model = need(ns, "model")
    x = np.asarray(need(ns, "x"))[:8]
    p = np.asarray(model.predict(x, verbose=0), dtype="float64")
    if p.shape != (8, 10):
        raise CheckFailed(f"model should output 10 numbers per sample, output shape {p.shape}")
    sums = [sum(row) for row in p.tolist()]
    if any(abs(s - 1.0) > 1e-4 for s in sums) or p.min() < 0:
        raise CheckFailed("each output row should be probabilities that add up to 1 (softmax)")


@check("q3", points=0.5)
def default_learning_rate(ns):
    lr = float(np.asarray(need(ns, "model").optimizer.learning_rate))
    if abs(lr - 0.001) > 1e-6:
        raise CheckFailed("the optimizer should keep Adam's default learning rate")


@check("q4", points=1)
def training_went_well(ns):
    history = need(ns, "history")
    if getattr(need(ns, "model"), "history", None) is not history:
        raise CheckFailed("history should come from model.fit")
    h = history.history
    if not h["accuracy"][-1] > 0.95 or not h["loss"][-1] < h["loss"][0]:
        raise CheckFailed("after 20 epochs the training accuracy should be high and the loss lower than at first")


@check("q5", points=1)
def test_loss_is_the_crossentropy(ns):
    model = need(ns, "model")
    p = np.asarray(model.predict(need(ns, "x_test"), verbose=0), dtype="float64").tolist()
    labels = np.asarray(need(ns, "y_test")).tolist()
    expected = -sum(math.log(max(min(row[int(t)], 1 - 1e-7), 1e-7)) for row, t in zip(p, labels)) / len(labels)
    if abs(float(need(ns, "test_loss")) - expected) > 1e-3:
        raise CheckFailed("test_loss should be the cross-entropy of the model on the test set")
