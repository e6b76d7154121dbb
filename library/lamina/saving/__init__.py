"""``lamina.saving``: serialization of objects to configs and back.

Example:
    >>> config = lamina.saving.serialize_keras_object(lamina.initializers.Zeros())
    >>> lamina.saving.deserialize_keras_object(config)
"""

from lamina.saving.object_registry import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from lamina.saving.serialization import (  # noqa: F401
    SafeModeScope,
    deserialize_keras_object,
    serialize_keras_object,
)

from lamina.saving.saving_api import (  # noqa: F401
    load_model,
    load_weights,
    save_model,
    save_weights,
)
