"""STFTSpectrogram and MelSpectrogram against Keras 3 (same inputs and kernels -> same outputs)
and against a float64 NumPy FFT, on every backend."""

import itertools

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .harness import check_layer

keras = pytest.importorskip("keras")
BACKEND = lamina.backend.backend()
RNG = np.random.default_rng(0)
SIGNAL_CL = RNG.normal(size=(2, 200, 3)).astype("float32")  # (batch, time, channels)
SIGNAL_CF = np.ascontiguousarray(SIGNAL_CL.transpose(0, 2, 1))
AUDIO = RNG.normal(size=(3, 4000)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _knp(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


# -- STFTSpectrogram ---------------------------------------------------------------------------

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


@pytest.mark.parametrize("mode,padding,data_format",
                         list(itertools.product(MODES, ("valid", "same"), ("channels_last", "channels_first"))))
def test_stft_spectrogram_matches_keras(mode, padding, data_format):
    kwargs = dict(mode=mode, frame_length=32, frame_step=10, fft_length=64, padding=padding,
                  data_format=data_format, expand_dims=padding == "same", window="hamming", periodic=True)
    x = SIGNAL_CL if data_format == "channels_last" else SIGNAL_CF
    ours = layers.STFTSpectrogram(**kwargs)
    own_kernels = _np(ours(x))
    if BACKEND == "tensorflow" and data_format == "channels_first":
        # Keras's TensorFlow conv has no channels-first CPU kernel (without oneDNN): the
        # oracle is Keras channels_last, transposed.
        theirs = keras.layers.STFTSpectrogram(**{**kwargs, "data_format": "channels_last"})
        expected = _knp(theirs(SIGNAL_CL))
        expected = expected.transpose((0, 3, 1, 2) if kwargs["expand_dims"] else (0, 2, 1))
    else:
        theirs = keras.layers.STFTSpectrogram(**kwargs)
        expected = _knp(theirs(x))
    # Same kernels, same outputs. The log of a tiny magnitude turns the convolutions'
    # rounding into an absolute error, hence atol for "log" (it is a relative error).
    ours.set_weights(theirs.get_weights())
    out = _np(ours(x))
    assert out.shape == expected.shape == tuple(ours.compute_output_shape(x.shape))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=2e-4 if mode == "log" else 1e-5)
    # Lamina builds its DFT kernels in float64 (Keras in float32): close, and more exact.
    if mode != "angle":  # the phase of a near-zero bin may wrap by 2 pi
        peak = np.abs(expected).max()
        np.testing.assert_allclose(own_kernels, expected, atol=1e-4 * peak if mode != "log" else 1e-3)
    spec = layers.STFTSpectrogram(**kwargs)(lamina.KerasTensor((None,) + x.shape[1:]))
    assert spec.shape[1:] == out.shape[1:]


def _frames(x, frame_length, step):
    count = 1 + (x.shape[-1] - frame_length) // step
    return np.stack([x[..., i * step:i * step + frame_length] for i in range(count)], axis=-2)


@pytest.mark.parametrize("window,scaling,periodic", [("hann", "density", False), ("hamming", "spectrum", True),
                                                     (None, None, False), ("array", "density", False)])
def test_stft_spectrogram_is_the_windowed_fft(window, scaling, periodic):
    frame_length, step, fft_length = 24, 8, 32
    if window == "array":
        window = list(np.linspace(0.1, 1.0, frame_length))
    layer = layers.STFTSpectrogram(mode="stft", frame_length=frame_length, frame_step=step, fft_length=fft_length,
                                   window=window, scaling=scaling, periodic=periodic)
    x = SIGNAL_CL[:, :, :1].astype("float64")
    out = _np(layer(x.astype("float32")))
    if window is None:
        win = np.ones(frame_length)
    elif isinstance(window, list):
        win = np.asarray(window)
    else:
        import scipy.signal

        win = scipy.signal.get_window(window, frame_length, fftbins=periodic)
    scale = {"density": np.sqrt(np.sum(win ** 2)), "spectrum": np.sum(win), None: 1.0}[scaling]
    frames = _frames(x[:, :, 0], frame_length, step) * win / scale
    spectrum = np.fft.rfft(frames, n=fft_length, axis=-1)  # (batch, frames, bins)
    expected = np.concatenate([spectrum.real, spectrum.imag], axis=-1)
    np.testing.assert_allclose(out, expected, atol=2e-6 * np.abs(expected).max())


def test_stft_spectrogram_defaults_dtypes_and_config():
    layer = layers.STFTSpectrogram(frame_length=100)
    assert layer._frame_step == 50 and layer._fft_length == 128
    x = RNG.normal(size=(1, 400, 2))
    out = layer(x)
    assert tuple(out.shape) == (1, 7, 2 * 65)
    if BACKEND != "jax":  # jax computes in float32 unless x64 is enabled
        theirs = keras.layers.STFTSpectrogram(frame_length=100)
        theirs(x.astype("float32"))
        layer64 = layers.STFTSpectrogram(frame_length=100, dtype="float64")
        layer64(x)
        layer64.set_weights([w.astype("float64") for w in theirs.get_weights()])
        np.testing.assert_allclose(_np(layer64(x)), _knp(theirs(x.astype("float32"))), atol=1e-4)
    assert [w.name for w in layer.weights] == ["real_kernel", "imag_kernel"]
    for mode in ("real", "imag"):
        one_side = layers.STFTSpectrogram(mode=mode, frame_length=8)
        one_side(x[:, :32].astype("float32"))
        assert [w.name for w in one_side.weights] == [f"{mode}_kernel"]

    config = layers.STFTSpectrogram(mode="psd", frame_length=16, window=list(np.ones(16)), padding="same",
                                    data_format="channels_first", expand_dims=True).get_config()
    clone = layers.STFTSpectrogram.from_config(config)
    assert clone.get_config() == config
    rebuilt = layers.deserialize(layers.serialize(clone))
    assert type(rebuilt) is layers.STFTSpectrogram and rebuilt.get_config() == config
    keras_config = keras.layers.STFTSpectrogram(mode="psd", frame_length=16).get_config()
    assert set(keras_config) <= set(config) | {"autocast"}
    assert layers.STFTSpectrogram.from_config(keras_config).mode == "psd"


def test_stft_spectrogram_trains_and_saves(tmp_path):
    check_layer(layers.STFTSpectrogram, dict(mode="log", frame_length=16, frame_step=8, fft_length=16),
                input_shape=(2, 64, 2), rtol=1e-5, atol=2e-4)
    model = lamina.Sequential([lamina.Input((64, 1)), layers.STFTSpectrogram(mode="magnitude", frame_length=16,
                                                                              trainable=False)])
    model.save(tmp_path / "stft.keras")
    loaded = lamina.models.load_model(tmp_path / "stft.keras")
    x = SIGNAL_CL[:, :64, :1]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), _np(model(x)), atol=1e-5)  # compiled = eager
    assert not loaded.layers[0].trainable_weights


@pytest.mark.parametrize("kwargs,error,pattern", [
    (dict(mode="power"), ValueError, r"STFTSpectrogram.*mode.*Received: mode='power'"),
    (dict(frame_length=16, frame_step=20), ValueError, r"STFTSpectrogram.*frame_step.*Received: frame_step=20"),
    (dict(frame_length=16, fft_length=8), ValueError, r"STFTSpectrogram.*fft_length.*Received: fft_length=8"),
    (dict(padding="causal"), ValueError, r"STFTSpectrogram.*padding.*Received: padding='causal'"),
    (dict(scaling="l2"), ValueError, r"STFTSpectrogram.*scaling.*Received: scaling='l2'"),
    (dict(window="no-such-window"), ValueError, r"STFTSpectrogram.*window.*Received: window='no-such-window'"),
    (dict(frame_length=4, window=[1.0, 1.0]), ValueError, r"STFTSpectrogram.*shape \(4,\).*Received: shape \(2,\)"),
    (dict(frame_length=0), ValueError, r"STFTSpectrogram.*frame_length.*Received: frame_length=0"),
])
def test_stft_spectrogram_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        layers.STFTSpectrogram(**kwargs)


def test_stft_spectrogram_bad_inputs():
    with pytest.warns(UserWarning, match="power of two"):
        layers.STFTSpectrogram(frame_length=8, fft_length=12)
    with pytest.raises(TypeError, match=r"STFTSpectrogram.*float16, float32 or float64.*Received: dtype=int32"):
        layers.STFTSpectrogram(frame_length=8)(np.ones((1, 32, 1), "int32"))
    with pytest.raises(ValueError, match="ndim|rank"):
        layers.STFTSpectrogram(frame_length=8)(np.ones((1, 32), "float32"))


# -- MelSpectrogram ----------------------------------------------------------------------------

MEL_CASES = [
    dict(),
    dict(fft_length=512, sequence_stride=128, num_mel_bins=40, sampling_rate=8000),
    dict(fft_length=256, sequence_length=200, sequence_stride=100, window="hamming", power_to_db=False, mag_exp=1.0),
    dict(fft_length=256, sequence_stride=64, window=None, num_mel_bins=32, min_freq=100.0, max_freq=3000.0, top_db=40.0,
         ref_power=2.0, min_power=1e-6),
]


@pytest.mark.parametrize("kwargs", MEL_CASES)
def test_mel_spectrogram_matches_keras(kwargs):
    ours, theirs = layers.MelSpectrogram(**kwargs), keras.layers.MelSpectrogram(**kwargs)
    for x in (AUDIO, AUDIO[0]):
        out, expected = _np(ours(x)), _knp(theirs(x))
        assert out.shape == expected.shape == tuple(ours.compute_output_shape(x.shape))
        assert out.dtype == expected.dtype == np.float32
        # torch: torch.linspace (Keras) and lamina's linspace differ by one float32 ulp,
        # which the narrow mel triangles magnify to ~4e-5 relative.
        np.testing.assert_allclose(out, expected, rtol=1e-4 if BACKEND == "torch" else 1e-5, atol=1e-4)
    spec = ours(lamina.KerasTensor((None, AUDIO.shape[1])))
    assert spec.shape == (None,) + out.shape


def test_mel_weight_matrix_matches_keras():
    ours, theirs = layers.MelSpectrogram(), keras.layers.MelSpectrogram()
    args = dict(num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000, lower_edge_hertz=125.0,
                upper_edge_hertz=3800.0)
    matrix = _np(ours.linear_to_mel_weight_matrix(**args))
    assert matrix.shape == (129, 20) and np.all(matrix[0] == 0) and np.isclose(matrix.max(), 1.0, atol=0.05)
    np.testing.assert_allclose(matrix, _knp(theirs.linear_to_mel_weight_matrix(**args)), atol=1e-5)


def test_mel_spectrogram_in_a_model_and_config(tmp_path):
    kwargs = MEL_CASES[1]
    inputs = lamina.Input((AUDIO.shape[1],))
    model = lamina.Model(inputs, layers.MelSpectrogram(**kwargs)(inputs))
    expected = _knp(keras.layers.MelSpectrogram(**kwargs)(AUDIO[:1]))
    np.testing.assert_allclose(model.predict(AUDIO[:1], verbose=0), expected, rtol=1e-5, atol=1e-4)
    model.save(tmp_path / "mel.keras")
    loaded = lamina.models.load_model(tmp_path / "mel.keras")
    np.testing.assert_allclose(loaded.predict(AUDIO[:1], verbose=0), expected, rtol=1e-5, atol=1e-4)

    layer = layers.MelSpectrogram(**MEL_CASES[3])
    config = layer.get_config()
    assert layers.MelSpectrogram.from_config(config).get_config() == config
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert type(rebuilt) is layers.MelSpectrogram and rebuilt.get_config() == config
    keras_config = keras.layers.MelSpectrogram(**MEL_CASES[3]).get_config()
    same = set(keras_config) & set(config) - {"dtype", "name"}
    assert len(same) >= 13 and all(keras_config[k] == config[k] for k in same)
    from_keras = layers.MelSpectrogram.from_config(keras_config).get_config()
    assert all(from_keras[k] == config[k] for k in set(config) - {"name"})
    assert layers.MelSpectrogram(sampling_rate=22050).max_freq == 11025
    mixed = layers.MelSpectrogram(**kwargs, dtype="mixed_float16")(AUDIO[:1])
    assert lamina.backend.standardize_dtype(mixed.dtype) == "float16"


@pytest.mark.parametrize("kwargs,pattern", [
    (dict(fft_length=256, sequence_length=512), r"MelSpectrogram.*fft_length.*Received: sequence_length=512"),
    (dict(fft_length=0), r"MelSpectrogram.*fft_length.*positive.*Received: fft_length=0"),
    (dict(sequence_stride=1.5), r"MelSpectrogram.*sequence_stride.*Received: sequence_stride=1.5"),
    (dict(window="blackman"), r"MelSpectrogram.*window.*Received: window='blackman'"),
    (dict(sampling_rate=0), r"MelSpectrogram.*sampling_rate.*Received: sampling_rate=0"),
    (dict(min_freq=9000.0), r"MelSpectrogram.*min_freq.*Received: min_freq=9000.0, max_freq=8000"),
])
def test_mel_spectrogram_bad_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        layers.MelSpectrogram(**kwargs)


def test_mel_spectrogram_bad_inputs():
    with pytest.raises(ValueError, match=r"MelSpectrogram.*\(samples,\) or \(batch, samples\).*Received"):
        layers.MelSpectrogram(fft_length=64, sequence_stride=32)(np.ones((1, 2, 256), "float32"))
