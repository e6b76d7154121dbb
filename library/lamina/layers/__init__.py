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
from lamina.layers.core.einsum_dense import EinsumDense  # noqa: F401
from lamina.layers.core.embedding import Embedding  # noqa: F401
from lamina.layers.core.reversible_embedding import ReversibleEmbedding  # noqa: F401
from lamina.layers.core.lambda_layer import Lambda  # noqa: F401
from lamina.layers.core.masking import Masking  # noqa: F401
from lamina.layers.core.wrapper import Wrapper  # noqa: F401
from lamina.layers.core.torch_module_wrapper import TorchModuleWrapper  # noqa: F401
from lamina.layers.core.jax_layer import JaxLayer  # noqa: F401
from lamina.layers.activations.elu import ELU  # noqa: F401
from lamina.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from lamina.layers.activations.prelu import PReLU  # noqa: F401
from lamina.layers.activations.relu import ReLU  # noqa: F401
from lamina.layers.activations.softmax import Softmax  # noqa: F401
from lamina.layers.normalization.batch_normalization import BatchNormalization  # noqa: F401
from lamina.layers.normalization.group_normalization import GroupNormalization  # noqa: F401
from lamina.layers.normalization.layer_normalization import LayerNormalization  # noqa: F401
from lamina.layers.normalization.rms_normalization import RMSNormalization  # noqa: F401
from lamina.layers.normalization.spectral_normalization import SpectralNormalization  # noqa: F401
from lamina.layers.normalization.unit_normalization import UnitNormalization  # noqa: F401
from lamina.layers.regularization.activity_regularization import ActivityRegularization  # noqa: F401
from lamina.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from lamina.layers.regularization.gaussian_noise import GaussianDropout, GaussianNoise  # noqa: F401
from lamina.layers.regularization.spatial_dropout import (  # noqa: F401
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)
from lamina.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from lamina.layers.merging.dot import Dot, dot  # noqa: F401
from lamina.layers.merging.elementwise import (  # noqa: F401
    Add, Average, Maximum, Minimum, Multiply, Subtract, add, average, maximum, minimum, multiply,
    subtract)
from lamina.layers.convolutional.conv import (  # noqa: F401
    Conv1D, Conv2D, Conv3D, Convolution1D, Convolution2D, Convolution3D)
from lamina.layers.convolutional.conv_transpose import (  # noqa: F401
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, Convolution1DTranspose,
    Convolution2DTranspose, Convolution3DTranspose)
from lamina.layers.convolutional.depthwise_conv import (  # noqa: F401
    DepthwiseConv1D, DepthwiseConv2D)
from lamina.layers.convolutional.separable_conv import (  # noqa: F401
    SeparableConv1D, SeparableConv2D, SeparableConvolution1D, SeparableConvolution2D)
from lamina.layers.pooling.pooling import (  # noqa: F401
    AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D, AvgPool2D, AvgPool3D,
    MaxPool1D, MaxPool2D, MaxPool3D, MaxPooling1D, MaxPooling2D, MaxPooling3D)
from lamina.layers.pooling.global_pooling import (  # noqa: F401
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalAvgPool1D,
    GlobalAvgPool2D, GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
from lamina.layers.pooling.adaptive_pooling import (  # noqa: F401
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D)
from lamina.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D  # noqa: F401
from lamina.layers.reshaping.permute import Permute  # noqa: F401
from lamina.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from lamina.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D  # noqa: F401
from lamina.layers.reshaping.zero_padding import (  # noqa: F401
    ZeroPadding1D, ZeroPadding2D, ZeroPadding3D)
from lamina.layers.attention.attention import Attention  # noqa: F401
from lamina.layers.attention.additive_attention import AdditiveAttention  # noqa: F401
from lamina.layers.attention.multi_head_attention import MultiHeadAttention  # noqa: F401
from lamina.layers.attention.grouped_query_attention import (  # noqa: F401
    GroupedQueryAttention as GroupQueryAttention)
from lamina.layers.rnn.time_distributed import TimeDistributed  # noqa: F401
from lamina.layers.rnn.rnn import RNN  # noqa: F401
from lamina.layers.rnn.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from lamina.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell  # noqa: F401
from lamina.layers.rnn.lstm import LSTM, LSTMCell  # noqa: F401
from lamina.layers.rnn.gru import GRU, GRUCell  # noqa: F401
from lamina.layers.rnn.bidirectional import Bidirectional  # noqa: F401
from lamina.layers.rnn.conv_lstm_nd import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D  # noqa: F401
from lamina.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from lamina.layers.preprocessing.cropping import CenterCrop, RandomCrop  # noqa: F401
from lamina.layers.preprocessing.discretization import Discretization  # noqa: F401
from lamina.layers.preprocessing.hashing import Hashing  # noqa: F401
from lamina.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from lamina.layers.preprocessing.mel_spectrogram import MelSpectrogram  # noqa: F401
from lamina.layers.preprocessing.stft_spectrogram import STFTSpectrogram  # noqa: F401
from lamina.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from lamina.layers.preprocessing.normalization import Normalization  # noqa: F401
from lamina.layers.preprocessing.random_brightness import RandomBrightness  # noqa: F401
from lamina.layers.preprocessing.random_contrast import RandomContrast  # noqa: F401
from lamina.layers.preprocessing.random_flip import RandomFlip  # noqa: F401
from lamina.layers.preprocessing.random_rotation import RandomRotation  # noqa: F401
from lamina.layers.preprocessing.random_translation import RandomTranslation  # noqa: F401
from lamina.layers.preprocessing.random_zoom import RandomZoom  # noqa: F401
from lamina.layers.preprocessing.resizing import Rescaling, Resizing  # noqa: F401
from lamina.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from lamina.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401
from lamina.layers.preprocessing.image_color import (  # noqa: F401
    RandomColorDegeneration, RandomColorJitter, RandomGrayscale, RandomHue, RandomSaturation)
from lamina.layers.preprocessing.image_tone import (  # noqa: F401
    AutoContrast, Equalization, RandomGaussianBlur, RandomInvert, RandomPosterization, RandomSharpness,
    Solarization)
from lamina.layers.preprocessing.image_mixing import CutMix, MixUp, RandomErasing  # noqa: F401
from lamina.layers.preprocessing.image_geometry import RandomPerspective, RandomShear  # noqa: F401
from lamina.layers.preprocessing.pipeline import Pipeline  # noqa: F401
from lamina.layers.preprocessing.image_policies import AugMix, RandAugment  # noqa: F401


def serialize(layer):
    """The Keras-format config of a layer.

    Example:
        >>> config = lamina.layers.serialize(lamina.layers.Dense(2))
    """
    from lamina.saving.serialization import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Builds a layer from :func:`serialize`'s output.

    Example:
        >>> layer = lamina.layers.deserialize(lamina.layers.serialize(lamina.layers.Dense(2)))
    """
    from lamina.saving.serialization import deserialize_keras_object

    # safe_mode=None: safe unless the caller's load or enable_unsafe_deserialization() says not.
    return deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=None)
