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
# # Lesson 3: The functional API
#
# A `Sequential` model is a chain: one input, one output, each layer feeding the next. Many
# useful networks are not chains. The functional API builds a model as a graph of layers:
# several inputs, several outputs, layers used twice, shortcuts that skip layers.
#
# ## Learning goals
#
# By the end of this lesson you can:
#
# - build a model by calling layers on symbolic tensors, and wrap the graph in a `Model`;
# - give a model several inputs and several outputs, with one loss and metrics per output;
# - share a layer (or a whole model) between two branches;
# - add residual connections;
# - read a model's `summary()`, draw it with `plot_model`, and reuse part of its graph.

# %% [markdown]
# ## Symbolic tensors: a graph before any data
#
# `keras.Input(shape=...)` creates a **symbolic tensor**: a placeholder that has a shape and a
# dtype but no values. Calling a layer on it does not compute anything; it records the call
# and returns a new symbolic tensor with the output's shape. When you have the output you
# want, `keras.Model(inputs, outputs)` wraps everything in between into a model.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import lamina as keras
from lamina import layers

keras.utils.set_random_seed(0)  # the same initial weights on every run (of one backend)
inputs = keras.Input(shape=(64,), name="pixels")
hidden = layers.Dense(64, activation="relu", name="hidden")(inputs)
print(hidden)
outputs = layers.Dense(10, activation="softmax", name="digit")(hidden)
model = keras.Model(inputs, outputs, name="digits_functional")
model.summary()

# %% [markdown]
# This is the model of lesson 1 again, but written as a graph. The summary has one more
# column, **Connected to**: `hidden[0][0]` means "the first output of the first call of the
# layer `hidden`". Layers are not just listed, they are wired.
#
# We will use the digits again, with the same split as in lesson 1.

# %%
x_all, y_all = load_digits(return_X_y=True)
x_all = (x_all / 16.0).astype("float32")
x_train, x_test, y_train, y_test = train_test_split(x_all, y_all, test_size=0.25, random_state=0, stratify=y_all)

# %% [markdown]
# ## Several inputs and several outputs
#
# Suppose the left and right halves of each image came from two different cameras, and we
# want two answers: which digit it is, and whether it is even. Each half gets its own small
# branch; `Concatenate` joins the branches; two heads read the joined features.
#
# Inputs and outputs can be passed as dicts, keyed by name. The data then comes as dicts with
# the same keys, and `compile` takes one loss per output (and optionally `loss_weights` to
# say how much each counts in the total) and metrics per output.

# %%
def halves(x):
    images = x.reshape(-1, 8, 8)
    return {"left": images[:, :, :4].reshape(-1, 32), "right": images[:, :, 4:].reshape(-1, 32)}


def targets(y):
    return {"digit": y, "even": (y % 2 == 0).astype("float32")}


left = keras.Input(shape=(32,), name="left")
right = keras.Input(shape=(32,), name="right")
features = layers.Concatenate(name="join")([
    layers.Dense(32, activation="relu", name="left_branch")(left),
    layers.Dense(32, activation="relu", name="right_branch")(right),
])
digit = layers.Dense(10, activation="softmax", name="digit")(features)
even = layers.Dense(1, activation="sigmoid", name="even")(features)
two_heads = keras.Model({"left": left, "right": right}, {"digit": digit, "even": even}, name="two_heads")

two_heads.compile(
    optimizer=keras.optimizers.Adam(learning_rate=3e-3),
    loss={"digit": "sparse_categorical_crossentropy", "even": "binary_crossentropy"},
    loss_weights={"digit": 1.0, "even": 0.5},
    metrics={"digit": ["accuracy"], "even": ["accuracy"]},
)
two_heads.summary()

# %% [markdown]
# `plot_model` draws the same graph. In a notebook it returns the picture; `show_shapes=True`
# adds each layer's input and output shapes.

# %% alt="The graph of the two-input, two-output model"
keras.utils.plot_model(two_heads, "two_heads.png", show_shapes=True, show_layer_names=True, dpi=70)

# %% [markdown]
# Training logs one loss per output (`digit_loss`, `even_loss`), the weighted total (`loss`)
# and each output's metrics.

# %%
keras.utils.set_random_seed(0)
history = two_heads.fit(halves(x_train), targets(y_train), epochs=10, batch_size=64, verbose=0)
print(sorted(history.history))

# %% atol=0.05
results = two_heads.evaluate(halves(x_test), targets(y_test), verbose=0, return_dict=True)
print(f"digit accuracy {results['digit_accuracy']:.3f}, even accuracy {results['even_accuracy']:.3f}")

# %% [markdown]
# `predict` returns a dict too, one array per output:

# %%
predictions = two_heads.predict(halves(x_test[:3]), verbose=0)
print({name: value.shape for name, value in predictions.items()})

# %% [markdown]
# ## Shared layers
#
# A layer object owns its weights. Calling the **same** layer on two inputs applies the same
# weights to both, and training updates them from both. This is how you compare two things
# fairly: both go through exactly the same function.
#
# Our example: given two digit images, are they the same digit? A small `encoder` (itself a
# model: models are layers too) turns each image into 16 numbers; we take the squared
# difference of the two codes (`Subtract`, then `Multiply` of the difference with itself), so
# that the order of the two images does not matter, and let one `Dense` unit decide.

# %%
encoder = keras.Sequential(
    [keras.Input(shape=(64,)), layers.Dense(64, activation="relu"), layers.Dense(16)], name="encoder"
)
image_a = keras.Input(shape=(64,), name="image_a")
image_b = keras.Input(shape=(64,), name="image_b")
difference = layers.Subtract(name="difference")([encoder(image_a), encoder(image_b)])
squared = layers.Multiply(name="squared")([difference, difference])
same = layers.Dense(1, activation="sigmoid", name="same")(squared)
siamese = keras.Model([image_a, image_b], same, name="siamese")
siamese.summary()

# %% [markdown]
# The encoder appears once, with its 5,200 weights, although it is called twice: the model has
# 5,217 weights, not 10,417. In the drawing, both inputs flow into the one encoder box:

# %% alt="The graph of the siamese model: two inputs share one encoder"
keras.utils.plot_model(siamese, "siamese.png", show_layer_names=True, dpi=70)

# %% [markdown]
# Now we make pairs of images, half of them of the same digit:

# %%
def make_pairs(x, y, count, seed):
    rng = np.random.default_rng(seed)
    first = rng.integers(0, len(x), count)
    second = np.empty(count, dtype=int)
    for i, j in enumerate(first):
        pool = np.flatnonzero(y == y[j]) if i % 2 == 0 else np.flatnonzero(y != y[j])
        second[i] = rng.choice(pool)
    return [x[first], x[second]], (y[first] == y[second]).astype("float32")


pairs_train, same_train = make_pairs(x_train, y_train, 2000, seed=0)
pairs_test, same_test = make_pairs(x_test, y_test, 600, seed=1)
print("training pairs:", len(same_train), " share of 'same':", same_train.mean())

# %% atol=0.05
keras.utils.set_random_seed(0)
siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
siamese.fit(pairs_train, same_train, epochs=8, batch_size=100, verbose=0)
print(f"accuracy on test pairs: {siamese.evaluate(pairs_test, same_test, verbose=0)[1]:.3f}")

# %% [markdown]
# Guessing would get 50 %; the model does clearly better on pairs of images it has never
# seen, after a few seconds of training. (More epochs and a larger encoder do better still.)

# %% [markdown]
# ## Residual connections
#
# Deep networks are harder to train: the gradient that reaches the first layers has passed
# through every layer after them and can fade away. A **residual connection** adds a block's
# input to its output, `x + block(x)`, so that the block only has to learn a *correction* to
# its input, and the gradient has a direct path back through the addition. In the
# functional API a residual connection is just an `Add` layer that takes the block's input
# and output (their shapes must match).

# %%
def residual_block(x, name):
    y = layers.Dense(64, activation="relu", name=f"{name}_dense")(x)
    y = layers.Dense(64, name=f"{name}_out")(y)
    return layers.Activation("relu", name=f"{name}_relu")(layers.Add(name=f"{name}_add")([x, y]))


pixels = keras.Input(shape=(64,), name="pixels")
x = layers.Dense(64, activation="relu", name="stem")(pixels)
for i in range(3):
    x = residual_block(x, name=f"block{i + 1}")
scores = layers.Dense(10, activation="softmax", name="digit")(x)
resnet = keras.Model(pixels, scores, name="residual_mlp")
resnet.summary()

# %% [markdown]
# In the **Connected to** column, each `Add` has two inputs: the block's last `Dense`, and
# the tensor that entered the block, which jumps over it.

# %% atol=0.04
keras.utils.set_random_seed(0)
resnet.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = resnet.fit(x_train, y_train, epochs=8, batch_size=64, validation_split=0.2, verbose=0)
print(f"validation accuracy after 8 epochs: {history.history['val_accuracy'][-1]:.3f}")

# %% [markdown]
# ## Reusing part of a graph
#
# Every layer of a functional model remembers its `input` and `output` symbolic tensors, and
# `get_layer(name)` finds a layer by name. So a new `Model` between the original input and any
# inner tensor gives you the features the network computes there, sharing its trained
# weights. Here we look at the 64 features of the last residual block for a few test images.

# %%
features = keras.Model(resnet.input, resnet.get_layer("block3_relu").output, name="features")
codes = features.predict(x_test[:200], verbose=0)
print("features:", codes.shape)

# %% alt="The first two principal components of the learned features, coloured by digit"
centred = codes - codes.mean(axis=0)
_, _, components = np.linalg.svd(centred, full_matrices=False)
projected = centred @ components[:2].T
fig, ax = plt.subplots(figsize=(4.5, 3.6))
points = ax.scatter(projected[:, 0], projected[:, 1], c=y_test[:200], cmap="tab10", s=12)
fig.colorbar(points, ax=ax, label="digit")
ax.set_title("Learned features (2 principal components)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Images of the same digit land near each other: the network has learned features in which
# the digits are easy to tell apart. The pictures differ between backends because each one
# trained from its own random start.
#
# ## Summary
#
# - `keras.Input` makes a symbolic tensor; calling layers on it builds a graph;
#   `keras.Model(inputs, outputs)` turns the graph into a model.
# - Inputs, outputs, losses, loss weights and metrics can be dicts keyed by name.
# - Calling one layer (or model) twice shares its weights.
# - A residual connection is `Add()([x, block(x)])`.
# - `summary()` lists layers and their connections; `plot_model` draws the graph;
#   `Model(model.input, model.get_layer(name).output)` reuses part of it.
#
# ## Self-check
#
# **1.** What does `layers.Dense(8)(keras.Input(shape=(3,)))` compute?
#
# ??? success "Answer"
#     Nothing yet: it returns a symbolic tensor of shape `(None, 8)` and records the call.
#     Values are computed only when a model built from the graph is called on data.
#
# **2.** A model has outputs named `"price"` (regression) and `"sold"` (yes or no). Write
#    its `loss` argument for `compile`.
#
# ??? success "Answer"
#     `loss={"price": "mse", "sold": "binary_crossentropy"}`, optionally with
#     `loss_weights={"price": ..., "sold": ...}`.
#
# **3.** You call `dense = layers.Dense(16)` on two inputs of 32 features each. How many
#    weights does `dense` add to the model?
#
# ??? success "Answer"
#     $32 \times 16 + 16 = 528$, once: both calls use the same kernel and bias.
#
# **4.** Why must the two inputs of the `Add` in a residual block have the same shape, and
#    what do you do when they do not?
#
# ??? success "Answer"
#     `Add` sums elementwise. When the block changes the width, pass the shortcut through a
#     `Dense` (a projection) to the new width before adding.
#
# **5.** How do you get a model that outputs the activations of the layer named `"hidden"`?
#
# ??? success "Answer"
#     `keras.Model(model.input, model.get_layer("hidden").output)`.
#
# ## Your lab
#
# In [Lab 3: the functional API](../labs/03-functional-api.md) you build a model with
# several inputs and outputs and a shared layer; the grader checks its structure and
# measures it on held-out data.
