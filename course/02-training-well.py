# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 2: Training well
#
# A model that does well on its training data can still do badly on new data. This lesson
# shows how to see that happen (validation), how to stop it (early stopping, dropout, weight
# penalties) and how to steer the optimizer with callbacks and learning-rate schedules.
#
# ## Learning goals
#
# By the end of this lesson you can:
#
# - keep separate training, validation and test data, and say what each is for;
# - recognise overfitting on a learning curve;
# - stop training at the right time with the `EarlyStopping` callback, and write a callback;
# - regularise a model with `Dropout` and an L2 weight penalty;
# - change the learning rate during training with a schedule or with `ReduceLROnPlateau`.

# %% [markdown]
# ## Three data sets, three jobs
#
# - The **training set** is what the optimizer learns from.
# - The **validation set** is what *you* learn from: you look at it to choose the number of
#   epochs, the size of the network, the learning rate. Because those choices are fitted to
#   it, it slowly stops being "new" data.
# - The **test set** is looked at once, at the very end, to report how well the final model
#   does on data nobody has tuned anything on.
#
# To make overfitting easy to see, we train on only 300 digits this time, and we give 20 % of
# them a random label. Real data sets have wrong labels too (a tired annotator, a blurry
# scan), and a large network will happily learn them by heart. The validation and test sets
# keep their true labels.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import lamina as keras
from lamina import layers, ops

x_all, y_all = load_digits(return_X_y=True)
x_all = (x_all / 16.0).astype("float32")
x_rest, x_test, y_rest, y_test = train_test_split(x_all, y_all, test_size=0.25, random_state=0, stratify=y_all)
x_train, x_val, y_train, y_val = train_test_split(x_rest, y_rest, train_size=300, test_size=400,
                                                  random_state=0, stratify=y_rest)
rng = np.random.default_rng(0)
relabel = rng.random(len(y_train)) < 0.2
y_noisy = np.where(relabel, rng.integers(0, 10, len(y_train)), y_train)
print("train", x_train.shape, " validation", x_val.shape, " test", x_test.shape)
print("wrong training labels:", int((y_noisy != y_train).sum()), "of", len(y_train))

# %% [markdown]
# `fit(..., validation_split=0.2)` (lesson 1) takes the *last* 20 % of the arrays, without
# shuffling; that is fine when the rows are in random order. Here we pass our own validation
# set with `validation_data=(x_val, y_val)`, and measure it in one batch of 400
# (`validation_batch_size`), which is quicker than the default of 32.
#
# ## Overfitting
#
# A network with many weights and few examples can learn the training examples by heart.
# We train a large one (two layers of 256 units, about 85,000 weights for 300 examples) for
# 30 epochs and record the loss and accuracy on both sets. `make_model` builds and compiles
# it; we will reuse it with regularisation and with other learning rates.

# %%
def make_model(dropout=0.0, l2=0.0, learning_rate=3e-3):
    regularizer = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(layers.Dense(256, activation="relu", kernel_regularizer=regularizer))
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def train(model, epochs, callbacks=()):
    return model.fit(x_train, y_noisy, validation_data=(x_val, y_val), epochs=epochs, batch_size=50,
                     validation_batch_size=400, callbacks=list(callbacks), verbose=0)


def plot_curves(histories, metrics, title):
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for name, history in histories.items():
            epochs = np.arange(1, len(history.history[metric]) + 1)
            line, = ax.plot(epochs, history.history[metric], linestyle="--", label=f"{name}: training")
            ax.plot(epochs, history.history["val_" + metric], color=line.get_color(), label=f"{name}: validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()


keras.utils.set_random_seed(0)
plain_model = make_model()
print("weights:", plain_model.count_params())
plain = train(plain_model, epochs=30)

# %% alt="Loss and accuracy of the large model: the validation loss turns up, the training accuracy reaches 1"
plot_curves({"large model": plain}, ["loss", "accuracy"], "Overfitting")

# %% [markdown]
# The training loss keeps falling and the training accuracy climbs towards 100 %: the model
# has learned even the wrong labels. The validation loss reaches its lowest point early and
# then climbs, and the validation accuracy drops back a little: from there on the model gets
# better at its training examples and *worse* at new ones. That is **overfitting**.

# %% tags=["per-backend"]
val_loss = np.array(plain.history["val_loss"])
best = int(val_loss.argmin())
print(f"lowest validation loss {val_loss[best]:.3f} at epoch {best + 1}; at epoch 30: {val_loss[-1]:.3f}")
print(f"at epoch 30: training accuracy {plain.history['accuracy'][-1]:.3f}, "
      f"validation accuracy {plain.history['val_accuracy'][-1]:.3f}")

# %% [markdown]
# ## Callbacks, and stopping early
#
# A **callback** is an object whose methods `fit` calls at fixed moments: `on_train_begin`,
# `on_epoch_end`, `on_train_batch_end`... Callbacks can watch training, change it, or stop
# it. `EarlyStopping` watches one logged value and stops when it has not improved for
# `patience` epochs; with `restore_best_weights=True` it puts back the weights of the best
# epoch.
#
# Writing your own callback takes a few lines: subclass `keras.callbacks.Callback` and
# override the moments you care about. `self.model` is the model being trained, and `logs`
# holds this epoch's values.

# %%
class Announce(keras.callbacks.Callback):
    """Prints the validation loss every `every` epochs."""

    def __init__(self, every):
        super().__init__()
        self.every = every

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            print(f"epoch {epoch + 1}: val_loss={logs['val_loss']:.3f}")


# %% tags=["per-backend"]
keras.utils.set_random_seed(0)
model = make_model()
stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
early = train(model, epochs=30, callbacks=[stopper, Announce(every=5)])
print("stopped after", len(early.history["loss"]), "epochs; best epoch:", stopper.best_epoch + 1)
print(f"validation loss of the restored weights: {model.evaluate(x_val, y_val, verbose=0)[0]:.3f}")

# %% [markdown]
# ## Regularisation: dropout and weight penalties
#
# Instead of stopping early we can make memorising harder.
#
# - **Dropout** (`layers.Dropout(rate)`) sets a random share `rate` of its inputs to zero at
#   every training step, and scales the others up by `1 / (1 - rate)`. No unit can rely on one
#   particular other unit, so the network learns redundant, more general features. Dropout is
#   only active while training: `fit` calls the model with `training=True`, `predict` and
#   `evaluate` with `training=False`, where the layer passes its input through unchanged.
# - An **L2 penalty** (`kernel_regularizer=keras.regularizers.L2(factor)`) adds
#   $\text{factor} \times \sum w^2$ to the loss, so that large weights cost something. The
#   model's `losses` attribute holds these extra terms.
#
# Here is dropout in action: the same input, once as in training and once as in inference.
# Where the zeros fall is random, and each backend draws its own, hence the tabs.

# %% tags=["per-backend"]
drop = layers.Dropout(0.5, seed=1)
ones = np.ones((1, 8), dtype="float32")
print("training=True: ", ops.convert_to_numpy(drop(ones, training=True)))
print("training=False:", ops.convert_to_numpy(drop(ones, training=False)))

# %% [markdown]
# What does not depend on the draw is the same everywhere: every value is 0 or 2, about
# half are 0, and the mean stays close to 1.

# %%
dropped = ops.convert_to_numpy(drop(np.ones((1000, 100), dtype="float32"), training=True))
print("values:", np.unique(dropped))
print("share of zeros within 0.01 of 0.5:", abs((dropped == 0).mean() - 0.5) < 0.01)

# %% [markdown]
# Now the large model again, with dropout (0.5) after each hidden layer and an L2 penalty:

# %%
keras.utils.set_random_seed(0)
regularised_model = make_model(dropout=0.5, l2=1e-3)
regularised = train(regularised_model, epochs=30)
print("penalty terms in model.losses:", len(regularised_model.losses))

# %% alt="Training and validation accuracy with and without regularisation"
plot_curves({"large model": plain, "dropout + L2": regularised}, ["accuracy"], "Regularisation")

# %% [markdown]
# The regularised model cannot learn the wrong labels: its training accuracy stays near 80 %,
# about the share of correct labels, and its validation accuracy ends higher. Its losses are
# higher too, because it is less sure of itself (and the L2 penalty is part of the training
# loss): when loss and accuracy disagree, judge by the number you actually care about.

# %% tags=["per-backend"]
for name, history in {"large model": plain, "dropout + L2": regularised}.items():
    print(f"{name:>12}: training accuracy {history.history['accuracy'][-1]:.3f}, "
          f"validation accuracy {history.history['val_accuracy'][-1]:.3f}")

# %% [markdown]
# ## Learning-rate schedules
#
# The learning rate is the size of the optimizer's steps. Large steps make fast progress at
# the start but bounce around a minimum at the end; small steps settle but are slow. A
# **schedule** starts large and shrinks. It is a function from the step number to a rate,
# passed to the optimizer in place of a number. `CosineDecay` follows half a cosine wave
# from `initial_learning_rate` down to `alpha` times that value over `decay_steps` steps;
# `ExponentialDecay` multiplies the rate by `decay_rate` every `decay_steps` steps.

# %% alt="The cosine and the exponential decay schedules over 15 epochs"
steps_per_epoch = int(np.ceil(len(x_train) / 50))
total_steps = 15 * steps_per_epoch
cosine = keras.optimizers.schedules.CosineDecay(3e-3, decay_steps=total_steps, alpha=0.05)
exponential = keras.optimizers.schedules.ExponentialDecay(3e-3, decay_steps=steps_per_epoch, decay_rate=0.85)


def rate(schedule, step):
    return float(ops.convert_to_numpy(schedule(step)))


steps = np.arange(total_steps)
fig, ax = plt.subplots(figsize=(6, 2.8))
ax.plot(steps, [rate(cosine, s) for s in steps], label="CosineDecay")
ax.plot(steps, [rate(exponential, s) for s in steps], label="ExponentialDecay")
ax.set_xlabel("optimizer step")
ax.set_ylabel("learning rate")
ax.legend()
fig.tight_layout()
plt.show()
print(f"cosine: {rate(cosine, 0):.5f} at step 0, {rate(cosine, total_steps):.5f} at step {total_steps}")

# %% [markdown]
# A callback can also change the rate while training runs: `ReduceLROnPlateau` divides it by
# a factor whenever the monitored value has stopped improving for `patience` epochs. Below we
# train with the cosine schedule, with a small callback of our own that records the rate the
# optimizer reached at the end of each epoch (`optimizer.learning_rate` reads the schedule
# at the current step).

# %%
class RecordRate(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.rates = []

    def on_epoch_end(self, epoch, logs=None):
        self.rates.append(float(ops.convert_to_numpy(self.model.optimizer.learning_rate)))


keras.utils.set_random_seed(0)
model = make_model(dropout=0.5, l2=1e-3, learning_rate=cosine)
recorder = RecordRate()
scheduled = train(model, epochs=15, callbacks=[recorder])
print("rate after epochs 1, 8, 15:", [round(recorder.rates[i], 5) for i in (0, 7, 14)])

# %% [markdown]
# The rates are the same on every backend, because they depend only on the step count. The
# accuracies are each backend's own:

# %% tags=["per-backend"]
print(f"after 15 epochs: validation accuracy {scheduled.history['val_accuracy'][-1]:.3f}")

# %% [markdown]
# ## The test set, once
#
# We pick the model we would ship: the regularised one. Only now do we look at the test set.
# The build checks that the three backends agree within 0.05.

# %% atol=0.05
loss, accuracy = regularised_model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy of the regularised model: {accuracy:.3f}")

# %% [markdown]
# ## Summary
#
# - Training data to learn, validation data to make choices, test data to report, once.
# - Overfitting shows as a validation loss that turns up while the training loss keeps
#   falling.
# - `EarlyStopping(patience=..., restore_best_weights=True)` stops at the right time; a
#   callback is a class with `on_epoch_end` and friends.
# - `Dropout` and L2 penalties make memorising harder; dropout only acts when `training=True`.
# - A schedule (`CosineDecay`, `ExponentialDecay`...) or `ReduceLROnPlateau` lowers the
#   learning rate as training goes on.
#
# ## Self-check
#
# **1.** The training loss keeps falling but the validation loss has risen for ten epochs.
#    What is happening, and name two remedies.
#
# ??? success "Answer"
#     Overfitting. Stop earlier (`EarlyStopping`), add dropout or an L2 penalty, use a
#     smaller network, or get more training data.
#
# **2.** Why is the test accuracy of a model tuned on the validation set a fairer number
#    than its validation accuracy?
#
# ??? success "Answer"
#     The choices (epochs, size, rates) were fitted to the validation set, so its accuracy is
#     optimistic; the test set played no part in any choice.
#
# **3.** A `Dropout(0.25)` layer receives the value 2.0. What can it output during training,
#    and during `predict`?
#
# ??? success "Answer"
#     During training 0.0 (with probability 0.25) or $2.0 / 0.75 \approx 2.67$; during
#     `predict` always 2.0.
#
# **4.** Which callback method would you override to log something after every batch?
#
# ??? success "Answer"
#     `on_train_batch_end(self, batch, logs=None)` (`on_batch_end` is its older alias).
#
# **5.** What does `restore_best_weights=True` change in `EarlyStopping`?
#
# ??? success "Answer"
#     Without it, the model keeps the weights of the last epoch, which are `patience` epochs
#     past the best one; with it, the weights of the best epoch are put back at the end.
#
# ## Your lab
#
# In [Lab 2: training well](../labs/02-training-well.md) you get a model that overfits
# and make it generalise; the grader measures it on held-out data.
