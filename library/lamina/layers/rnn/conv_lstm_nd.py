"""ConvLSTM1D, ConvLSTM2D and ConvLSTM3D: convolutional LSTMs over 1, 2 or 3 spatial axes."""

from lamina.layers.rnn.conv_lstm import ConvLSTM
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM over inputs of shape ``(batch, time, steps, channels)``
    (``data_format="channels_last"``) or ``(batch, time, channels, steps)``.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: an int or 1 ints.
        padding: ``"valid"`` or ``"same"`` (input convolution; the recurrent one
            is always "same").
        data_format: ``"channels_last"`` or ``"channels_first"``.
        the rest: as for :class:`lamina.layers.LSTM` (``return_sequences``,
            ``return_state``, ``go_backwards``, ``stateful``, dropouts, ...).

    Example:
        >>> layer = lamina.layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True)
        >>> layer(np.ones((2, 3, 6, 1), "float32")).shape
        (2, 3, 6, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs)


@keras_export("keras.layers")
class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM over inputs of shape ``(batch, time, rows, cols, channels)``
    (``data_format="channels_last"``) or ``(batch, time, channels, rows, cols)``.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: an int or 2 ints.
        padding: ``"valid"`` or ``"same"`` (input convolution; the recurrent one
            is always "same").
        data_format: ``"channels_last"`` or ``"channels_first"``.
        the rest: as for :class:`lamina.layers.LSTM` (``return_sequences``,
            ``return_state``, ``go_backwards``, ``stateful``, dropouts, ...).

    Example:
        >>> layer = lamina.layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True)
        >>> layer(np.ones((2, 3, 5, 5, 1), "float32")).shape
        (2, 3, 5, 5, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            rank=2, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs)


@keras_export("keras.layers")
class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM over inputs of shape ``(batch, time, depth, rows, cols, channels)``
    (``data_format="channels_last"``) or ``(batch, time, channels, depth, rows, cols)``.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: an int or 3 ints.
        padding: ``"valid"`` or ``"same"`` (input convolution; the recurrent one
            is always "same").
        data_format: ``"channels_last"`` or ``"channels_first"``.
        the rest: as for :class:`lamina.layers.LSTM` (``return_sequences``,
            ``return_state``, ``go_backwards``, ``stateful``, dropouts, ...).

    Example:
        >>> layer = lamina.layers.ConvLSTM3D(4, 3, padding="same", return_sequences=True)
        >>> layer(np.ones((2, 3, 4, 4, 4, 1), "float32")).shape
        (2, 3, 4, 4, 4, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs)
