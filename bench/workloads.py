"""The five benchmark workloads, written once against the Keras API.

``build_model(keras, name)`` takes the ``keras`` module (``import lamina as keras``
or ``import keras``) and returns the compiled model; ``make_data(name, size)``
makes the seeded NumPy data that every implementation (lamina, Keras 3 and the
hand-written loops in ``raw_*.py``) trains on. All losses work on logits so the
raw loops compute exactly the same thing.

Example:
    >>> import lamina as keras
    >>> from workloads import build_model, make_data  # with bench/ on sys.path
    >>> (x, y), spec = make_data("tiny", "smoke")
    >>> model = build_model(keras, "tiny")
    >>> history = model.fit(x, y, batch_size=spec["batch_size"], verbose=0)
"""

import time

import numpy as np

LEARNING_RATE = 1e-3

# Sizes of the issue ("full"), a quick variant for development and a smoke variant for the tests.
WORKLOADS = {
    "mlp": {
        "title": "MLP 784-256-256-10, adam",
        "layers": ["Dense"],
        "batch_size": 128,
        "samples": {"full": 8192, "quick": 1024, "smoke": 256},
    },
    "cnn": {
        "title": "CNN: Conv2D 32, MaxPool, Conv2D 64, MaxPool, Flatten, Dense 10 on 28x28x1",
        "layers": ["Conv2D", "MaxPooling2D", "Flatten", "Dense"],
        "batch_size": 128,
        "samples": {"full": 4096, "quick": 512, "smoke": 256},
    },
    "lstm": {
        "title": "Embedding(10000, 64) + LSTM(64) + Dense(1), sequences of 100",
        "layers": ["Embedding", "LSTM", "Dense"],
        "batch_size": 64,
        "samples": {"full": 2048, "quick": 256, "smoke": 128},
    },
    "transformer": {
        "title": "Transformer encoder block (MultiHeadAttention 4 heads of 32, LayerNormalization, "
                 "feed-forward 256) on sequences of 64 by 128, mean-pooled, Dense 10",
        "layers": ["MultiHeadAttention", "LayerNormalization", "Dense", "Add", "GlobalAveragePooling1D"],
        "batch_size": 32,
        "samples": {"full": 1024, "quick": 128, "smoke": 64},
    },
    "tiny": {
        "title": "Per-step overhead: Dense(10) on 20 features",
        "layers": ["Dense"],
        "batch_size": 32,
        "samples": {"full": 16384, "quick": 2048, "smoke": 64},
    },
}

VOCAB, SEQ_LEN = 10000, 100
TOKENS, FEATURES = 64, 128


def clock():
    """Wall seconds and CPU seconds (all threads of this process), to time an epoch with ``since``."""
    return time.perf_counter(), time.process_time()


def since(start):
    """``(wall, cpu)`` seconds since ``start = clock()``.

    Example:
        >>> wall, cpu = since(clock())
    """
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def spec(name, size="full"):
    """The workload's settings for one size: ``samples``, ``batch_size``, ``title``, ``layers``.

    Example:
        >>> spec("mlp", "quick")["samples"]
        1024
    """
    if name not in WORKLOADS:
        raise ValueError(f"Unknown workload: expected one of {sorted(WORKLOADS)}, received {name!r}")
    if size not in WORKLOADS[name]["samples"]:
        raise ValueError(f"Unknown size for workload {name!r}: expected full, quick or smoke, "
                         f"received {size!r}")
    out = dict(WORKLOADS[name])
    out["samples"] = WORKLOADS[name]["samples"][size]
    return out


def make_data(name, size="full", seed=0):
    """Seeded inputs and targets (NumPy) for a workload, plus its settings.

    Example:
        >>> (x, y), settings = make_data("mlp", "smoke")
        >>> x.shape, y.dtype
        ((256, 784), dtype('int32'))
    """
    settings = spec(name, size)
    n = settings["samples"]
    rng = np.random.default_rng(seed)
    if name == "mlp":
        x = rng.random((n, 784), dtype=np.float32)
        y = rng.integers(0, 10, n).astype(np.int32)
    elif name == "cnn":
        x = rng.random((n, 28, 28, 1), dtype=np.float32)
        y = rng.integers(0, 10, n).astype(np.int32)
    elif name == "lstm":
        x = rng.integers(0, VOCAB, (n, SEQ_LEN)).astype(np.int32)
        y = rng.integers(0, 2, (n, 1)).astype(np.float32)
    elif name == "transformer":
        x = rng.standard_normal((n, TOKENS, FEATURES), dtype=np.float32)
        y = rng.integers(0, 10, n).astype(np.int32)
    else:
        x = rng.standard_normal((n, 20), dtype=np.float32)
        y = rng.integers(0, 10, n).astype(np.int32)
    return (x, y), settings


def missing_layers(keras, name):
    """Names of the layers a workload needs that ``keras.layers`` does not have.

    Example:
        >>> import lamina
        >>> missing_layers(lamina, "mlp")
        []
    """
    return [layer for layer in spec(name)["layers"] if not hasattr(keras.layers, layer)]


def _transformer(keras):
    layers = keras.layers
    inputs = keras.Input((TOKENS, FEATURES))
    attended = layers.MultiHeadAttention(num_heads=4, key_dim=32)(inputs, inputs)
    x = layers.LayerNormalization()(layers.Add()([inputs, attended]))
    ff = layers.Dense(256, activation="relu")(x)
    ff = layers.Dense(FEATURES)(ff)
    x = layers.LayerNormalization()(layers.Add()([x, ff]))
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, layers.Dense(10)(x))


def build_model(keras, name):
    """The workload's model, compiled with adam and a from-logits loss.

    Args:
        keras: the module with the Keras API (``lamina`` or ``keras``).
        name: one of ``mlp``, ``cnn``, ``lstm``, ``transformer``, ``tiny``.

    Example:
        >>> import lamina
        >>> build_model(lamina, "tiny").count_params()
        210
    """
    layers = keras.layers
    if name == "mlp":
        model = keras.Sequential([keras.Input((784,)), layers.Dense(256, activation="relu"),
                                  layers.Dense(256, activation="relu"), layers.Dense(10)])
    elif name == "cnn":
        model = keras.Sequential([
            keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten(),
            layers.Dense(10)])
    elif name == "lstm":
        model = keras.Sequential([keras.Input((SEQ_LEN,), dtype="int32"), layers.Embedding(VOCAB, 64),
                                  layers.LSTM(64), layers.Dense(1)])
    elif name == "transformer":
        model = _transformer(keras)
    elif name == "tiny":
        model = keras.Sequential([keras.Input((20,)), layers.Dense(10)])
    else:
        raise ValueError(f"Unknown workload: expected one of {sorted(WORKLOADS)}, received {name!r}")
    if name == "lstm":
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
    else:
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss=loss)
    return model
