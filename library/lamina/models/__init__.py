"""``lamina.models``: Model, Sequential and model-level functions.

Example:
    >>> model = lamina.models.Sequential([lamina.layers.Dense(1)])
"""

from lamina.models.functional import Functional  # noqa: F401
from lamina.models.model import Model  # noqa: F401
from lamina.models.sequential import Sequential  # noqa: F401
from lamina.models.cloning import clone_model  # noqa: F401,E402
from lamina.saving.saving_api import load_model, model_from_json, save_model  # noqa: F401,E402
