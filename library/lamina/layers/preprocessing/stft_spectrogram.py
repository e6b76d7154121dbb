"""STFTSpectrogram: spectrograms of 1D signals by convolution with DFT kernels, as in Keras 3."""

import math
import warnings

import numpy as np

from lamina import initializers, ops
from lamina.backend.common import conv_utils, dtypes
from lamina.backend.config import epsilon, standardize_data_format
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


@keras_export("keras.layers")
class STFTSpectrogram(Layer):
    """Short-time Fourier transform of 1D signals, computed by strided 1D convolutions.

    The kernels (``real_kernel`` and ``imag_kernel``, shape ``(frame_length, 1,
    fft_length // 2 + 1)``) are the windowed DFT matrices of
    :class:`lamina.initializers.STFT`; they are ordinary weights, so the layer can be
    fine-tuned (pass ``trainable=False`` for fixed preprocessing). Each input channel is
    transformed on its own.

    Args:
        mode: the output: ``"log"`` (log magnitude), ``"magnitude"``, ``"psd"`` (power
            spectral density), ``"real"``, ``"imag"``, ``"angle"`` (phase) or ``"stft"``
            (real and imaginary parts concatenated along the frequency axis).
        frame_length: the window length in samples.
        frame_step: the hop between frames (default ``frame_length // 2``); at most
            ``frame_length``.
        fft_length: the FFT size, at least ``frame_length`` (default: the next power of two).
        window: ``"hann"``, ``"hamming"``, another ``scipy.signal`` window name, an array
            of ``frame_length`` values, or None (rectangular).
        periodic: use the periodic (rather than symmetric) window.
        scaling: ``"density"`` (divide by the window's L2 norm), ``"spectrum"`` (by its
            sum) or None.
        padding: ``"valid"`` or ``"same"``.
        expand_dims: give frequencies and channels separate axes (an image-like output).
        data_format: ``"channels_last"`` (inputs ``(batch, time, channels)``) or
            ``"channels_first"`` (``(batch, channels, time)``).
        **kwargs: the base Layer arguments (``trainable``, ``dtype``, ``name``...).

    Output shape:
        ``(batch, frames, channels * bins)`` (channels_last) or ``(batch, channels * bins,
        frames)``; with ``expand_dims``, ``(batch, frames, bins, channels)`` or ``(batch,
        channels, frames, bins)``. ``bins`` is ``fft_length // 2 + 1`` (twice that for
        ``"stft"``).

    Example:
        >>> layer = lamina.layers.STFTSpectrogram(frame_length=64, frame_step=32, fft_length=64)
        >>> layer(np.random.rand(2, 1000, 1).astype("float32")).shape
        (2, 30, 33)
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann",
                 periodic=False, scaling="density", padding="valid", expand_dims=False, data_format=None,
                 **kwargs):
        if mode not in MODES:
            raise ValueError(f"STFTSpectrogram: `mode` must be one of {', '.join(MODES)}. "
                             f"Received: mode={mode!r}")
        if not isinstance(frame_length, (int, np.integer)) or frame_length < 1:
            raise ValueError("STFTSpectrogram: `frame_length` must be a positive integer. "
                             f"Received: frame_length={frame_length!r}")
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError("STFTSpectrogram: `frame_step` must be a positive integer not greater than "
                             f"`frame_length`. Received: frame_step={frame_step}, "
                             f"frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("STFTSpectrogram: `fft_length` must be at least `frame_length`. "
                             f"Received: fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(f"STFTSpectrogram: `fft_length` is best a power of two. "
                          f"Received: fft_length={fft_length}", stacklevel=2)
        if scaling not in (None, "density", "spectrum"):
            raise ValueError("STFTSpectrogram: `scaling` must be None, 'density' or 'spectrum'. "
                             f"Received: scaling={scaling!r}")
        if padding not in ("valid", "same"):
            raise ValueError("STFTSpectrogram: `padding` must be 'valid' or 'same'. "
                             f"Received: padding={padding!r}")
        if isinstance(window, str):
            _check_window(window)
        elif window is not None and np.shape(window) != (frame_length,):
            raise ValueError(f"STFTSpectrogram: an array `window` must have shape ({frame_length},). "
                             f"Received: shape {np.shape(window)}")
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = int(frame_length)
        self.frame_step = frame_step
        self._frame_step = frame_step or self.frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window if window is None or isinstance(window, str) else np.asarray(window).tolist()
        self.periodic, self.scaling, self.padding = periodic, scaling, padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape,
                initializer=initializers.STFT("real", self.window, self.scaling, self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape,
                initializer=initializers.STFT("imag", self.window, self.scaling, self.periodic))

    def _apply_conv(self, inputs, kernel):
        # Every channel becomes its own signal: (batch * channels, time, 1) or (.., 1, time).
        if self.data_format == "channels_last":
            _, time, channels = ops.shape(inputs)
            inputs = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = ops.shape(inputs)
            inputs = ops.reshape(inputs, (-1, 1, time))
        outputs = ops.conv(inputs, ops.cast(kernel, inputs.dtype), strides=self._frame_step,
                           padding=self.padding, data_format=self.data_format)
        if self.data_format == "channels_last":
            _, frames, bins = ops.shape(outputs)
            outputs = ops.transpose(outputs, (0, 2, 1))
        else:
            _, bins, frames = ops.shape(outputs)
        return ops.reshape(outputs, (-1, channels, bins, frames))  # (batch, channels, bins, frames)

    def _adjust_shapes(self, outputs):
        _, channels, bins, frames = ops.shape(outputs)
        if self.data_format == "channels_last":
            if self.expand_dims:
                return ops.transpose(outputs, (0, 3, 2, 1))
            return ops.transpose(ops.reshape(outputs, (-1, channels * bins, frames)), (0, 2, 1))
        if self.expand_dims:
            return ops.transpose(outputs, (0, 1, 3, 2))
        return ops.reshape(outputs, (-1, channels * bins, frames))

    def call(self, inputs):
        dtype = dtypes.standardize_dtype(inputs.dtype)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError("STFTSpectrogram: inputs must be float16, float32 or float64. "
                            f"Received: dtype={dtype}")
        real = self._apply_conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._apply_conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._adjust_shapes(real)
        if self.mode == "imag":
            return self._adjust_shapes(imag)
        if self.mode == "angle":
            return self._adjust_shapes(ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._adjust_shapes(ops.concatenate([real, imag], axis=2))
        power = ops.square(real) + ops.square(imag)
        if self.mode == "psd":
            # One-sided density: every bin but DC and Nyquist counts twice.
            return self._adjust_shapes(power + ops.pad(power[:, :, 1:-1, :], ((0, 0), (0, 0), (1, 1), (0, 0))))
        magnitude = self._adjust_shapes(ops.sqrt(ops.maximum(power, epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, epsilon()))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("STFTSpectrogram: expected inputs of rank 3 (batch, time, channels). "
                             f"Received: input_shape={input_shape}")
        if self.data_format == "channels_last":
            batch, time, channels = input_shape
        else:
            batch, channels, time = input_shape
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = conv_utils.conv_output_size(time, self.frame_length, self._frame_step, self.padding)
        if self.expand_dims:
            if self.data_format == "channels_last":
                return (batch, frames, bins, channels)
            return (batch, channels, frames, bins)
        features = None if channels is None else channels * bins
        if self.data_format == "channels_last":
            return (batch, frames, features)
        return (batch, features, frames)

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length, "window": self.window,
                "periodic": self.periodic, "scaling": self.scaling, "padding": self.padding,
                "data_format": self.data_format, "expand_dims": self.expand_dims}


def _check_window(name):
    """Raises a ValueError naming the layer when ``name`` is not a known window."""
    try:
        initializers.STFT("real", name)((1, 1, 2), dtype="float32")
    except Exception as error:
        raise ValueError(f"STFTSpectrogram: unknown `window`. Received: window={name!r} "
                         f"({error})") from None
