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
# # Lesson 4: Custom layers and models
#
# When no built-in layer does what you need, you write your own. A layer is a small class:
# it creates its weights in `build`, computes in `call`, and describes itself in
# `get_config` so that it can be saved and loaded. A model can be written the same way.
#
# ## Learning goals
#
# By the end of this lesson you can:
#
# - write a layer with trainable weights, created in `build` from the input shape;
# - use the `training` argument for layers that behave differently while training;
# - keep state in non-trainable weights;
# - write a model by subclassing `keras.Model`;
# - make layers and models saveable with `get_config` and `register_keras_serializable`.

# %% [markdown]
# ## A layer with weights
#
# Subclass `keras.layers.Layer` and write three methods:
#
# - `__init__` stores the settings (the number of units, the activation) and calls
#   `super().__init__(**kwargs)`, which handles the common ones such as `name`;
# - `build(input_shape)` creates the weights with `self.add_weight`. It runs once, on the
#   first call, when the input's shape is known: the kernel's size depends on the number of
#   input features, which `__init__` cannot know;
# - `call(inputs)` computes the output with `lamina.ops`, so the layer runs on every backend.
#
# Here is our own `Dense`:

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import lamina as keras
from lamina import layers, ops


@keras.saving.register_keras_serializable(package="course")
class MyDense(keras.layers.Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)``."""

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                      name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.kernel) + self.bias)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=keras.activations.serialize(self.activation))
        return config


layer = MyDense(3, activation="relu")
print("before the first call:", layer.weights)
outputs = layer(np.ones((2, 4), dtype="float32"))
print("after:", [(w.path, tuple(w.shape)) for w in layer.weights])
print("output shape:", tuple(outputs.shape))

# %% [markdown]
# Is it right? A good habit is to compare a new layer with something you trust. We copy our
# weights into a built-in `Dense` and feed both the same input:

# %%
reference = layers.Dense(3, activation="relu")
reference.build((None, 4))
reference.set_weights(layer.get_weights())
x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
print("same outputs:", np.allclose(ops.convert_to_numpy(layer(x)), ops.convert_to_numpy(reference(x)), atol=1e-6))

# %% [markdown]
# ## Layers that behave differently while training
#
# Some layers should only act during training, like dropout (lesson 2). Give `call` a
# `training` argument: `fit` passes `training=True`, `predict` and `evaluate` pass
# `training=False`. To learn the pattern we write dropout ourselves: while training, each
# input is set to 0 with probability `rate`, and the others are scaled by `1 / (1 - rate)`
# so that the mean stays the same; `keras.random.dropout` does exactly that.
#
# Random numbers inside a layer come from a `keras.random.SeedGenerator`, created once in
# `__init__`. It is part of the layer's state, so every call draws new numbers, also inside
# compiled training steps.

# %%
@keras.saving.register_keras_serializable(package="course")
class MyDropout(keras.layers.Layer):
    """Sets a share ``rate`` of the inputs to 0 and rescales the rest, only when training."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        if not training:
            return inputs
        return keras.random.dropout(inputs, self.rate, seed=self.seed_generator)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


drop = MyDropout(0.25, seed=0)
ones = np.ones((2000, 64), dtype="float32")
print("training=False changes nothing:", np.array_equal(ops.convert_to_numpy(drop(ones)), ones))
dropped = ops.convert_to_numpy(drop(ones, training=True))
print("values:", np.unique(dropped).round(4))
print(f"share of zeros {(dropped == 0).mean():.2f}, mean {dropped.mean():.2f}")

# %% [markdown]
# ## State: non-trainable weights
#
# A weight created with `trainable=False` is not changed by the optimizer, but the layer can
# change it itself with `assign` or `assign_add`. `BatchNormalization` keeps its running
# averages this way. Our example counts the examples the layer has seen in training; it
# passes its input through unchanged.

# %%
@keras.saving.register_keras_serializable(package="course")
class ExampleCounter(keras.layers.Layer):
    """Counts the examples seen while training, in a non-trainable weight."""

    def build(self, input_shape):
        self.seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="seen")

    def call(self, inputs, training=False):
        if training:
            self.seen.assign_add(ops.cast(ops.shape(inputs)[0], self.seen.dtype))
        return inputs


# %% [markdown]
# Now the three layers in one model, trained on the digits:

# %%
x_all, y_all = load_digits(return_X_y=True)
x_all = (x_all / 16.0).astype("float32")
x_train, x_test, y_train, y_test = train_test_split(x_all, y_all, test_size=0.25, random_state=0, stratify=y_all)

keras.utils.set_random_seed(0)
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        ExampleCounter(name="counter"),
        MyDropout(0.1, seed=0, name="dropout"),
        MyDense(64, activation="relu", name="hidden"),
        MyDense(10, activation="softmax", name="digit"),
    ],
    name="custom_layers",
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()

# %% [markdown]
# The counter's weight shows up as non-trainable. Training runs exactly as with built-in
# layers:

# %% atol=0.04
history = model.fit(x_train, y_train, epochs=10, batch_size=64, verbose=0)
print(f"training accuracy after 10 epochs: {history.history['accuracy'][-1]:.3f}")
print(f"test accuracy: {model.evaluate(x_test, y_test, verbose=0)[1]:.3f}")

# %% [markdown]
# The counter saw each of the 1,347 training images once per epoch, and nothing during
# `evaluate` (where `training=False`):

# %%
print("examples seen:", int(ops.convert_to_numpy(model.get_layer("counter").seen)))

# %% [markdown]
# ## A model of your own
#
# Subclassing `keras.Model` works like subclassing `Layer`: create the layers in `__init__`,
# wire them in `call`. The result has everything a model has: `compile`, `fit`, `evaluate`,
# `predict`, `save`. Python code in `call` (loops, `if`s) decides the wiring, which makes
# subclassed models the most flexible kind. The price: the model is a black box until it is
# called, so `summary()` cannot show output shapes and `plot_model` draws a single box.
#
# Our model is a residual network (lesson 3) with a configurable depth:

# %%
@keras.saving.register_keras_serializable(package="course")
class ResidualMLP(keras.Model):
    """``depth`` residual blocks of width ``width``, then a softmax over ``classes``."""

    def __init__(self, width=64, depth=2, classes=10, dropout=0.2, **kwargs):
        super().__init__(**kwargs)
        self.width, self.depth, self.classes, self.dropout = width, depth, classes, dropout
        self.stem = layers.Dense(width, activation="relu")
        self.blocks = [layers.Dense(width, activation="relu") for _ in range(depth)]
        self.drop = layers.Dropout(dropout)
        self.head = layers.Dense(classes, activation="softmax")

    def call(self, inputs, training=False):
        x = self.stem(inputs)
        for block in self.blocks:
            x = x + block(x)
        return self.head(self.drop(x, training=training))

    def get_config(self):
        return {**super().get_config(), "width": self.width, "depth": self.depth,
                "classes": self.classes, "dropout": self.dropout}


keras.utils.set_random_seed(0)
resmlp = ResidualMLP(width=64, depth=2, name="resmlp")
resmlp.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = resmlp.fit(x_train, y_train, epochs=10, batch_size=64, validation_split=0.2, verbose=0)
resmlp.summary()

# %% alt="Training and validation accuracy of the subclassed residual model"
fig, ax = plt.subplots(figsize=(5, 3))
epochs = np.arange(1, 11)
ax.plot(epochs, history.history["accuracy"], label="training")
ax.plot(epochs, history.history["val_accuracy"], label="validation")
ax.set_xlabel("epoch")
ax.set_ylabel("accuracy")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Config and saving
#
# `model.save("file.keras")` writes the architecture as JSON (each layer's class and its
# `get_config()`) and the weights. `load_model` rebuilds each layer with
# `cls(**config)` and puts the weights back. For that to work with your classes:
#
# 1. `get_config` returns every argument of `__init__` (plus `super().get_config()`, which
#    adds `name`, `trainable` and `dtype`);
# 2. the class is registered with `@keras.saving.register_keras_serializable(package=...)`,
#    so that the loader can find it by name. Lamina never imports code named inside a file,
#    so a class it does not know cannot be loaded.
#
# Here is what our layer writes:

# %%
print(model.get_layer("dropout").get_config())
print(keras.saving.get_registered_name(MyDense))

# %% [markdown]
# Saving and loading both models gives back the same predictions:

# %%
for original in (model, resmlp):
    original.save(f"{original.name}.keras")
    restored = keras.models.load_model(f"{original.name}.keras")
    same = np.allclose(original.predict(x_test, verbose=0), restored.predict(x_test, verbose=0), atol=1e-6)
    print(f"{original.name}: restored as {type(restored).__name__}, same predictions: {same}")

# %% [markdown]
# A class that was never registered cannot be loaded; the error names it and says what to do:

# %% tags=["raises-exception"]
class Doubler(keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


keras.Sequential([keras.Input(shape=(4,)), Doubler()]).save("doubler.keras")
keras.models.load_model("doubler.keras")

# %% [markdown]
# Passing it explicitly works: `load_model("doubler.keras", custom_objects={"Doubler": Doubler})`.
#
# ## Summary
#
# - A layer: `__init__` stores settings, `build(input_shape)` creates weights with
#   `add_weight`, `call` computes with `lamina.ops`.
# - A `training` argument in `call` lets a layer act only while training; random numbers
#   come from a `SeedGenerator` made in `__init__`.
# - Non-trainable weights hold state the layer updates itself with `assign`.
# - A subclassed `Model` creates layers in `__init__` and wires them in `call`.
# - `get_config` + `register_keras_serializable` make custom classes saveable.
#
# ## Self-check
#
# **1.** Why are the weights created in `build` and not in `__init__`?
#
# ??? success "Answer"
#     Their shapes depend on the input (the kernel of a dense layer has one row per input
#     feature), which is only known at the first call.
#
# **2.** A layer adds noise to its inputs when `training` is true. What does it do inside
#    `predict`, and why?
#
# ??? success "Answer"
#     Nothing: `predict` (and `evaluate`) call the model with `training=False`. Noise helps
#     against overfitting while learning but would only blur real predictions.
#
# **3.** Your layer's `__init__` takes `units` and `alpha`, but `get_config` returns only
#    `units`. What goes wrong?
#
# ??? success "Answer"
#     Saving works, but loading calls `cls(**config)` without `alpha`, so the layer comes
#     back with the default `alpha` (or fails if `alpha` has no default).
#
# **4.** When should a weight be created with `trainable=False`?
#
# ??? success "Answer"
#     When it holds state that the layer computes itself (counts, running averages) rather
#     than a parameter the optimizer should learn.
#
# **5.** What does a subclassed model cost you compared with a functional one?
#
# ??? success "Answer"
#     Its graph is only known by running `call`, so `summary()` shows less, `plot_model`
#     cannot draw the inside, and you must write `get_config` to save it.
#
# ## Your lab
#
# In [Lab 4: custom layers and models](../labs/04-custom-layers.md) you write your own
# layer and model, check them against the built-in ones, and save a model the grader can
# load.
