"""``lamina.layers``: the building blocks of models.

Example:
    >>> model = lamina.Sequential([lamina.layers.Dense(64, activation="relu"),
    ...                            lamina.layers.Dense(10, activation="softmax")])
"""

from lamina.layers.core.activation import Activation  # noqa: F401
from lamina.layers.core.dense import Dense  # noqa: F401
from lamina.layers.core.identity import Identity  # noqa: F401
from lamina.layers.core.input_layer import Input, InputLayer  # noqa: F401
from lamina.layers.input_spec import InputSpec  # noqa: F401
from lamina.layers.layer import Layer  # noqa: F401
from lamina.layers.regularization.dropout import Dropout  # noqa: F401
from lamina.layers.reshaping.flatten import Flatten  # noqa: F401
from lamina.layers.reshaping.reshape import Reshape  # noqa: F401
