"""MelSpectrogram: mel-scaled (and decibel) spectrograms of audio signals, as in Keras 3."""

import numpy as np

from lamina import ops
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export

# The HTK mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


@keras_export("keras.layers")
class MelSpectrogram(Layer):
    """Converts audio signals to mel spectrograms: STFT magnitude, mel filter bank, decibels.

    Inputs are one signal ``(samples,)`` or a batch ``(batch, samples)``; outputs are
    ``(num_mel_bins, frames)`` or ``(batch, num_mel_bins, frames)`` with ``frames = 1 +
    samples // sequence_stride`` (the signal is reflect-padded by ``fft_length // 2`` on
    both sides). The layer has no weights and computes with ``lamina.ops``, so it runs
    inside models on every backend.

    Args:
        fft_length: the FFT size.
        sequence_stride: the hop between frames, in samples.
        sequence_length: the window length (default ``fft_length``), at most ``fft_length``.
        window: ``"hann"``, ``"hamming"`` or None (rectangular).
        sampling_rate: the signal's sampling rate in Hz.
        num_mel_bins: the number of mel bands.
        min_freq: the lower edge of the lowest band, in Hz.
        max_freq: the upper edge of the highest band (default: ``sampling_rate / 2``).
        power_to_db: convert the power to decibels.
        top_db: clip decibels to at most ``top_db`` below the maximum (over the whole batch,
            as in Keras).
        mag_exp: the exponent of the magnitude (1 for magnitude, 2 for power).
        min_power: the floor of the power before the logarithm.
        ref_power: the power that maps to 0 dB.
        **kwargs: the base Layer arguments.

    Example:
        >>> layer = lamina.layers.MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=40)
        >>> layer(np.random.rand(2, 4000).astype("float32")).shape
        (2, 40, 32)
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None, window="hann",
                 sampling_rate=16000, num_mel_bins=128, min_freq=20.0, max_freq=None, power_to_db=True,
                 top_db=80.0, mag_exp=2.0, min_power=1e-10, ref_power=1.0, **kwargs):
        for arg, value in (("fft_length", fft_length), ("sequence_stride", sequence_stride),
                           ("num_mel_bins", num_mel_bins)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"MelSpectrogram: `{arg}` must be a positive integer. "
                                 f"Received: {arg}={value!r}")
        self.fft_length = int(fft_length)
        self.sequence_stride = int(sequence_stride)
        self.sequence_length = sequence_length or self.fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("MelSpectrogram: `fft_length` must be at least `sequence_length`. "
                             f"Received: sequence_length={self.sequence_length}, "
                             f"fft_length={self.fft_length}")
        if window not in (None, "hann", "hamming") and isinstance(window, str):
            raise ValueError("MelSpectrogram: `window` must be 'hann', 'hamming' or None. "
                             f"Received: window={window!r}")
        if sampling_rate is None or sampling_rate <= 0:
            raise ValueError("MelSpectrogram: `sampling_rate` must be positive. "
                             f"Received: sampling_rate={sampling_rate!r}")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = int(num_mel_bins)
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        if not self.min_freq < self.max_freq:
            raise ValueError("MelSpectrogram: `min_freq` must be below `max_freq`. "
                             f"Received: min_freq={min_freq}, max_freq={self.max_freq}")
        self.power_to_db, self.top_db = power_to_db, top_db
        self.mag_exp, self.min_power, self.ref_power = mag_exp, min_power, ref_power
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        # The FFTs of jax and TensorFlow work in float32 or float64 only.
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        inputs = ops.convert_to_tensor(inputs, dtype=dtype)
        rank = len(ops.shape(inputs))
        if rank not in (1, 2):
            raise ValueError("MelSpectrogram: inputs must have shape (samples,) or (batch, samples). "
                             f"Received: shape {tuple(ops.shape(inputs))}")
        outputs = self._spectrogram(inputs)
        outputs = ops.tensordot(outputs, self.linear_to_mel_weight_matrix(
            num_mel_bins=self.num_mel_bins, num_spectrogram_bins=ops.shape(outputs)[-1],
            sampling_rate=self.sampling_rate, lower_edge_hertz=self.min_freq,
            upper_edge_hertz=self.max_freq, dtype=dtype), axes=1)
        if self.power_to_db:
            outputs = self._dbscale(outputs)
        outputs = ops.swapaxes(outputs, -1, -2)  # (..., num_mel_bins, frames)
        return ops.cast(outputs, self.compute_dtype)

    def _spectrogram(self, inputs):
        real, imag = ops.stft(inputs, sequence_length=self.sequence_length,
                              sequence_stride=self.sequence_stride, fft_length=self.fft_length,
                              window=self.window, center=True)
        return ops.power(ops.sqrt(ops.add(ops.square(real), ops.square(imag))), self.mag_exp)

    def _dbscale(self, inputs):
        log_spec = 10.0 * ops.log10(ops.maximum(inputs, self.min_power))
        ref_value = ops.abs(ops.convert_to_tensor(self.ref_power))
        log_spec = log_spec - 10.0 * ops.log10(ops.maximum(ref_value, self.min_power))
        return ops.maximum(log_spec, ops.max(log_spec) - self.top_db)

    @staticmethod
    def _hertz_to_mel(frequencies_hertz):
        return _MEL_HIGH_FREQUENCY_Q * ops.log(1.0 + frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ)

    def linear_to_mel_weight_matrix(self, num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000,
                                    lower_edge_hertz=125.0, upper_edge_hertz=3800.0, dtype="float32"):
        """The ``(num_spectrogram_bins, num_mel_bins)`` matrix of triangular mel filters (HTK).

        Each band's triangle peaks at 1.0; the DC bin gets no weight. Right-multiplying a
        linear spectrogram ``(..., num_spectrogram_bins)`` by it gives the mel spectrogram.

        Example:
            >>> layer = lamina.layers.MelSpectrogram()
            >>> layer.linear_to_mel_weight_matrix(20, 129, 8000).shape
            (129, 20)
        """
        sampling_rate = ops.cast(sampling_rate, dtype)
        lower_edge_hertz = ops.convert_to_tensor(lower_edge_hertz, dtype)
        upper_edge_hertz = ops.convert_to_tensor(upper_edge_hertz, dtype)
        zero = ops.convert_to_tensor(0.0, dtype)
        bands_to_zero = 1  # HTK leaves out the DC bin
        nyquist_hertz = sampling_rate / 2.0
        linear_frequencies = ops.linspace(zero, nyquist_hertz, num_spectrogram_bins)[bands_to_zero:]
        spectrogram_bins_mel = ops.expand_dims(self._hertz_to_mel(linear_frequencies), 1)
        # num_mel_bins + 2 edges: each band's (lower, center, upper) triple.
        band_edges_mel = ops.extract_sequences(
            ops.linspace(self._hertz_to_mel(lower_edge_hertz), self._hertz_to_mel(upper_edge_hertz),
                         num_mel_bins + 2),
            sequence_length=3, sequence_stride=1)
        lower_edge_mel, center_mel, upper_edge_mel = (
            ops.reshape(t, (1, num_mel_bins)) for t in ops.split(band_edges_mel, 3, axis=1))
        lower_slopes = (spectrogram_bins_mel - lower_edge_mel) / (center_mel - lower_edge_mel)
        upper_slopes = (upper_edge_mel - spectrogram_bins_mel) / (upper_edge_mel - center_mel)
        weights = ops.maximum(zero, ops.minimum(lower_slopes, upper_slopes))
        return ops.pad(weights, ((bands_to_zero, 0), (0, 0)))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) not in (1, 2):
            raise ValueError("MelSpectrogram: inputs must have shape (samples,) or (batch, samples). "
                             f"Received: input_shape={input_shape}")
        samples = input_shape[-1]
        pad = self.fft_length // 2
        frames = None if samples is None else 1 + (samples + 2 * pad - self.fft_length) // self.sequence_stride
        return input_shape[:-1] + (self.num_mel_bins, frames)

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride, "sequence_length": self.sequence_length,
                "window": self.window, "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins, "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db, "mag_exp": self.mag_exp,
                "min_power": self.min_power, "ref_power": self.ref_power}
