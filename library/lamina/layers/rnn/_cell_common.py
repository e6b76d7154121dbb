"""Helpers shared by the built-in cells (SimpleRNN, LSTM, GRU, ConvLSTM) and their layers."""

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.random.seed_generator import SeedGenerator

WEIGHT_ARGS = ("kernel_initializer", "recurrent_initializer", "bias_initializer",
               "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
               "kernel_constraint", "recurrent_constraint", "bias_constraint")
_CATALOG = {"initializer": initializers, "regularizer": regularizers, "constraint": constraints}


def check_units(cls_name, name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{cls_name}: {name} must be a positive integer, received {value!r}.")


def init_cell(cell, activation, use_bias, dropout, recurrent_dropout, seed, weight_args,
              recurrent_activation=None):
    """Sets the attributes every built-in cell has."""
    cell.activation = activations.get(activation)
    if recurrent_activation is not None:
        cell.recurrent_activation = activations.get(recurrent_activation)
    cell.use_bias = use_bias
    for name in WEIGHT_ARGS:
        catalog = _CATALOG[name.rsplit("_", 1)[1]]
        setattr(cell, name, catalog.get(weight_args[name]))
    cell.dropout = min(1.0, max(0.0, float(dropout)))
    cell.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
    cell.seed = seed
    cell.seed_generator = SeedGenerator(seed=seed)


def cell_config(cell, recurrent_activation=True):
    """The config entries every built-in cell (and its layer) has."""
    config = {"activation": activations.serialize(cell.activation), "use_bias": cell.use_bias,
              "dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout,
              "seed": cell.seed}
    if recurrent_activation:
        config["recurrent_activation"] = activations.serialize(cell.recurrent_activation)
    for name in WEIGHT_ARGS:
        catalog = _CATALOG[name.rsplit("_", 1)[1]]
        config[name] = catalog.serialize(getattr(cell, name))
    return config


def add_cell_weights(cell, kernel_shape, recurrent_shape, bias_shape, bias_initializer=None):
    """Creates ``kernel``, ``recurrent_kernel`` and (with ``use_bias``) ``bias``."""
    cell.kernel = cell.add_weight(shape=kernel_shape, name="kernel",
                                  initializer=cell.kernel_initializer,
                                  regularizer=cell.kernel_regularizer,
                                  constraint=cell.kernel_constraint)
    cell.recurrent_kernel = cell.add_weight(shape=recurrent_shape, name="recurrent_kernel",
                                            initializer=cell.recurrent_initializer,
                                            regularizer=cell.recurrent_regularizer,
                                            constraint=cell.recurrent_constraint)
    cell.bias = None
    if cell.use_bias:
        cell.bias = cell.add_weight(shape=bias_shape, name="bias",
                                    initializer=bias_initializer or cell.bias_initializer,
                                    regularizer=cell.bias_regularizer,
                                    constraint=cell.bias_constraint)


def forget_bias_initializer(cell, units):
    """The LSTM bias initializer with ``unit_forget_bias``: ones for the forget gate."""
    def init(shape, dtype=None):
        return ops.concatenate([cell.bias_initializer((units,), dtype=dtype),
                                initializers.get("ones")((units,), dtype=dtype),
                                cell.bias_initializer((units * 2,), dtype=dtype)])

    return init


def forward_to_cell(cls, names):
    """Adds read-only properties on a layer class that return its cell's attributes."""
    for name in names:
        setattr(cls, name, property(lambda self, n=name: getattr(self.cell, n)))
    return cls


def layer_config(layer, base_config, recurrent_activation=True, extra=()):
    """A recurrent layer's config: the RNN options plus the cell's arguments."""
    config = {**base_config, **cell_config(layer.cell, recurrent_activation)}
    del config["cell"]
    config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    for name in extra:
        config[name] = getattr(layer.cell, name)
    return config


def standard_activations(cell):
    """True when the cell uses tanh and sigmoid (what fused kernels implement)."""
    return cell.activation is activations.tanh and \
        getattr(cell, "recurrent_activation", None) is activations.sigmoid
