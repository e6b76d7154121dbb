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
# # Lesson 1: Your first model
#
# Tensors and `lamina.ops`, then a small network that learns to read handwritten digits:
# build it, compile it, fit it, evaluate it, use it to predict, and plot how it learned.
#
# ## Learning goals
#
# By the end of this lesson you can:
#
# - create tensors and compute with them through `lamina.ops`, on any backend;
# - explain what a `Dense` layer computes and count its parameters;
# - build a `Sequential` model, then `compile`, `fit`, `evaluate` and `predict` with it;
# - read the `History` that `fit` returns and plot a learning curve.

# %% [markdown]
# ## Tensors and `lamina.ops`
#
# A neural network is a function that takes arrays of numbers and returns arrays of numbers.
# These arrays are called **tensors**: a vector is a 1-D tensor, a table of numbers a 2-D
# tensor, a batch of colour images a 4-D tensor. Every tensor has a **shape** (its size along
# each axis) and a **dtype** (the type of its numbers, usually `float32`).
#
# Lamina does not do the arithmetic itself. It hands it to a **backend**: JAX, PyTorch or
# TensorFlow. You choose the backend once, before importing lamina, with the environment
# variable `LAMINA_BACKEND`; the code you write stays the same. We import lamina under the name
# `keras`, so code written for Keras 3 runs unchanged.

# %%
import matplotlib.pyplot as plt
import numpy as np

import lamina as keras
from lamina import layers, ops

x = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
print("shape:", ops.shape(x), " dtype:", keras.backend.standardize_dtype(x.dtype))

# %% [markdown]
# `lamina.ops` holds the functions you compute with: NumPy's names (`ops.matmul`, `ops.mean`,
# `ops.exp`...) plus the ones neural networks need (`ops.relu`, `ops.softmax`...). Each takes
# and returns the backend's own tensors. Printing a tensor therefore shows the backend's own
# way of printing it; this is the first place where the backends look different, so the
# output below has one tab per backend.

# %% tags=["per-backend"]
y = ops.matmul(x, x)
print(y)

# %% [markdown]
# To get plain NumPy numbers back, whatever the backend, use `ops.convert_to_numpy`. Now the
# three backends print the same thing, so the output appears once (the build compares them):

# %%
print(ops.convert_to_numpy(y))
print("mean of each row:", ops.convert_to_numpy(ops.mean(x, axis=1)))
print("softmax of each row:", ops.convert_to_numpy(ops.softmax(x)).round(4))

# %% [markdown]
# Because the tensors are native, you can also call the framework directly. That code is, of
# course, different for each backend, so it is shown in tabs. You rarely need it: code written
# with `ops` runs everywhere.

# %% tags=["only-jax"]
import jax.numpy as jnp

print(jnp.sqrt(x))

# %% tags=["only-torch"]
import torch

print(torch.sqrt(x))

# %% tags=["only-tensorflow"]
import tensorflow as tf

print(tf.sqrt(x))

# %% [markdown]
# ## The data: handwritten digits
#
# scikit-learn ships a small data set of 1,797 handwritten digits, each an 8 by 8 grey image
# with pixel values from 0 to 16, and its label (0 to 9). We flatten each image into a vector
# of 64 numbers, scale the pixels to the range 0 to 1, and keep a quarter of the images aside
# as a **test set**: the model never sees them while it learns, so they tell us how well it
# does on digits it has never seen.

# %% alt="Eight handwritten digits from the training set, with their labels"
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()
x_all = (digits.data / 16.0).astype("float32")
y_all = digits.target
x_train, x_test, y_train, y_test = train_test_split(
    x_all, y_all, test_size=0.25, random_state=0, stratify=y_all
)
print("train:", x_train.shape, " test:", x_test.shape)

fig, axes = plt.subplots(1, 8, figsize=(8, 1.4))
for ax, image, label in zip(axes, x_train, y_train):
    ax.imshow(image.reshape(8, 8), cmap="gray_r")
    ax.set_title(str(label))
    ax.axis("off")
plt.show()

# %% [markdown]
# ## A `Dense` layer, and a `Sequential` model
#
# A **layer** is one step of the network. The most common is `Dense`: each of its outputs is a
# weighted sum of all its inputs plus a bias, passed through an **activation** function:
#
# $$ \text{output} = \text{activation}(x W + b) $$
#
# The numbers in the **kernel** $W$ (one per input and output) and in the **bias** $b$ (one per
# output) are the layer's **weights**; learning means finding good values for them. A `Dense`
# layer with 64 inputs and 64 outputs has $64 \times 64 + 64 = 4160$ weights.
#
# The activation `relu` keeps positive numbers and replaces negative ones by 0; without such
# a bend, stacking layers would only ever compute a linear function. The last layer has one
# output per class and the `softmax` activation, which turns its ten numbers into
# probabilities that add up to 1.
#
# A `Sequential` model is a stack of layers, each feeding the next. `keras.Input` declares
# the shape of one example (64 numbers; the batch size is left open), so the model can create
# its weights at once and `summary()` can show them.

# %%
keras.utils.set_random_seed(0)
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ],
    name="digits_mlp",
)
model.summary()

# %% [markdown]
# The weights start as small random numbers. `set_random_seed(0)` makes them the same on every
# run, but each backend has its own random number generator, so they are not the same on
# JAX, PyTorch and TensorFlow. That is why the training results further down differ a
# little between backends.
#
# ## `compile`: how the model will learn
#
# Before training we choose three things:
#
# - the **loss**: one number that says how wrong the predictions are.
#   `sparse_categorical_crossentropy` is $-\log(p)$, where $p$ is the probability the model
#   gives to the correct class ("sparse" because the labels are plain integers 0 to 9);
# - the **optimizer**: how the weights change to lower the loss. Adam is a good default;
# - the **metrics**: numbers we want to watch, here the accuracy (the share of correct answers).

# %%
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

# %% [markdown]
# ## `fit`: training
#
# `fit` shows the training data to the model in small **batches** (32 examples by default).
# For each batch it computes the loss, the gradient of the loss with respect to every weight,
# and lets the optimizer take a small step downhill. One pass over the whole training set is an
# **epoch**. With `validation_split=0.2`, the last 20 % of the training data are kept aside and
# measured at the end of every epoch, to see how the model does on data it does not train on.
#
# `verbose=0` keeps `fit` quiet; instead we print the `History` it returns, whose `history`
# attribute is a dict of lists with one value per epoch.

# %% tags=["per-backend"]
history = model.fit(x_train, y_train, epochs=15, batch_size=32, validation_split=0.2, verbose=0)
for epoch in range(0, 15, 2):
    values = {name: round(v[epoch], 3) for name, v in history.history.items()}
    print(f"epoch {epoch + 1:2d}", values)

# %% [markdown]
# The loss falls and the accuracy rises on both the training and the validation data: the
# model is learning something that carries over to examples it did not train on.
#
# ## `evaluate` and `predict`
#
# `evaluate` measures the loss and the metrics on data we give it; here the test set, which
# nothing so far has looked at. The three backends started from different random weights, so
# their accuracies differ a little; the build checks that they agree within 0.03.

# %% atol=0.03
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {test_accuracy:.3f}")

# %% [markdown]
# `predict` returns the model's outputs as a NumPy array: for each image, ten probabilities.
# The predicted class is the one with the largest probability, `argmax`.

# %%
probabilities = model.predict(x_test, verbose=0)
print("shape:", probabilities.shape)
print("each row sums to 1:", np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5))

# %% tags=["per-backend"]
predicted = probabilities.argmax(axis=1)
print("predicted:", predicted[:12])
print("true:     ", y_test[:12])
print("probability of the predicted class:", probabilities[:4].max(axis=1).round(3))

# %% [markdown]
# ## The learning curve
#
# Plotting the `History` is the first thing to do after training. The two curves should fall
# together; when the validation loss stops falling while the training loss keeps going down,
# the model has started to memorise the training data (lesson 2 is about exactly this).

# %% alt="Training and validation loss and accuracy per epoch"
epochs = np.arange(1, 16)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.2))
ax_loss.plot(epochs, history.history["loss"], label="training")
ax_loss.plot(epochs, history.history["val_loss"], label="validation")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("loss")
ax_loss.legend()
ax_acc.plot(epochs, history.history["accuracy"], label="training")
ax_acc.plot(epochs, history.history["val_accuracy"], label="validation")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("accuracy")
ax_acc.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Summary
#
# - Tensors have a shape and a dtype; `lamina.ops` computes with them on any backend, and
#   `ops.convert_to_numpy` brings them back to NumPy.
# - `Dense(units, activation)` computes `activation(x W + b)` and has `inputs × units + units`
#   weights.
# - The workflow is always the same: build the model, `compile` (loss, optimizer, metrics),
#   `fit` (with a validation split), `evaluate` on a held-out test set, `predict`.
# - `fit` returns a `History`; plot it.
#
# ## Self-check
#
# **1.** A `Dense(32)` layer receives vectors of 100 numbers. How many weights does it have?
#
# ??? success "Answer"
#     $100 \times 32 + 32 = 3232$: one kernel entry per input and output, plus one bias per
#     output.
#
# **2.** Why keep a test set aside instead of measuring the accuracy on the training data?
#
# ??? success "Answer"
#     The model has seen the training data and can partly memorise it; only data it never saw
#     tells how well it will do on new examples.
#
# **3.** The last layer of a 10-class classifier uses `softmax`. What do its outputs add up
#    to, and how do you get the predicted class?
#
# ??? success "Answer"
#     They add up to 1 (they are probabilities); the predicted class is the index of the
#     largest one, `probabilities.argmax(axis=1)`.
#
# **4.** Your labels are one-hot vectors instead of integers. Which loss do you use?
#
# ??? success "Answer"
#     `categorical_crossentropy`; the `sparse_` version expects integer labels.
#
# **5.** Why do the JAX, PyTorch and TensorFlow results differ slightly, even with
#    `set_random_seed(0)`?
#
# ??? success "Answer"
#     Each backend has its own random number generator, so the initial weights (and the
#     shuffling of the batches) differ; training then ends at slightly different weights.
#
# ## Your lab
#
# In [Lab 1: your first model](../labs/01-first-model.md) you train a classifier of your
# own, save it, and the grader measures it on data you never see.
