"""``lamina.utils``: datasets, progress bars, seeding, and other helpers.

Example:
    >>> lamina.utils.set_random_seed(42)
"""

from lamina.backend.common.dtypes import standardize_dtype  # noqa: F401
from lamina.backend.config import (  # noqa: F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from lamina.backend.common.global_state import clear_session  # noqa: F401
from lamina.backend.common.keras_tensor import is_keras_tensor  # noqa: F401
from lamina.saving.object_registry import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object  # noqa: F401
from lamina.trainers.data_adapters import pack_x_y_sample_weight, unpack_x_y_sample_weight  # noqa: F401
from lamina.utils.progbar import Progbar  # noqa: F401
from lamina.utils.py_dataset import PyDataset, Sequence  # noqa: F401
from lamina.utils.rng_utils import set_random_seed  # noqa: F401
from lamina.utils.config import Config  # noqa: F401
from lamina.utils.dataset_utils import split_dataset  # noqa: F401
from lamina.utils.directory_datasets import (  # noqa: F401
    image_dataset_from_directory, text_dataset_from_directory)
from lamina.utils.file_utils import get_file  # noqa: F401
from lamina.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from lamina.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from lamina.utils.node_utils import get_source_inputs  # noqa: F401
from lamina.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from lamina.utils.timeseries_dataset import timeseries_dataset_from_array  # noqa: F401
from lamina.utils.sequence_utils import pad_sequences  # noqa: F401
