"""The backend layer: selection, configuration and backend-free building blocks.

Only ``lamina/backend/<name>/`` imports a framework. Everything else reaches the
active backend through :mod:`lamina.backend.impl`, lazily.

Example:
    >>> lamina.backend.backend()
    'jax'
"""

from lamina.backend.common.dtypes import (
    is_float_dtype,
    is_int_dtype,
    result_type,
    standardize_dtype,
)
from lamina.backend.common.global_state import clear_session, get_uid
from lamina.backend.common.keras_tensor import KerasTensor, is_keras_tensor
from lamina.backend.common.scopes import StatelessScope, SymbolicScope, name_scope
from lamina.backend.common.variables import Variable
from lamina.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
