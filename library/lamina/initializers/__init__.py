"""``lamina.initializers``: how weights get their first values.

Unseeded random initializers draw a seed when they are created, from Python's
``random`` module, which ``lamina.utils.set_random_seed`` seeds; a seeded one
gives the same values on every call, as in Keras.

Example:
    >>> init = lamina.initializers.GlorotUniform(seed=1)
    >>> init((3, 4)).shape
    (3, 4)
"""

import math
import random as _py_random

import numpy as np

from lamina import ops
from lamina import random as lrandom
from lamina.backend.common import dtypes
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.initializers"


@keras_export(_MODULE)
class Initializer:
    """Base class: ``initializer(shape, dtype)`` returns a tensor.

    Example:
        >>> class Halves(lamina.initializers.Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return lamina.ops.full(shape, 0.5, dtype=dtype)
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(shape, dtype).")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())


@keras_export(_MODULE, "constant")
class Constant(Initializer):
    """Fills with ``value``.

    Example:
        >>> lamina.initializers.Constant(3.0)((2,))  # [3., 3.]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        return ops.cast(ops.broadcast_to(ops.convert_to_tensor(self.value, dtype=dtype), shape), dtype)

    def get_config(self):
        value = self.value
        if hasattr(value, "tolist"):
            value = np.asarray(value).tolist()
        return {"value": value}


@keras_export(_MODULE, "zeros")
class Zeros(Initializer):
    """Fills with 0.

    Example:
        >>> lamina.initializers.Zeros()((2, 2))
    """

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


@keras_export(_MODULE, "ones")
class Ones(Initializer):
    """Fills with 1.

    Example:
        >>> lamina.initializers.Ones()((2,))
    """

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=dtypes.standardize_dtype(dtype))


def _make_seed(seed):
    if seed is None:
        return _py_random.randint(1, int(1e9))
    if isinstance(seed, int) and not isinstance(seed, bool):
        return seed
    if isinstance(seed, lrandom.SeedGenerator):
        return seed
    raise ValueError(
        f"Initializer seed must be None, an int or a lamina.random.SeedGenerator, received {seed!r}."
    )


class RandomInitializer(Initializer):
    """Base class of initializers that draw random numbers from ``seed``."""

    def __init__(self, seed=None):
        self._init_seed = seed
        self.seed = _make_seed(seed)

    def get_config(self):
        seed = self._init_seed
        if isinstance(seed, lrandom.SeedGenerator):
            seed = serialize_keras_object(seed)
        return {"seed": seed}


@keras_export(_MODULE, "random_normal")
class RandomNormal(RandomInitializer):
    """Normal distribution with ``mean`` and ``stddev``.

    Example:
        >>> lamina.initializers.RandomNormal(stddev=0.01, seed=0)((3, 3))
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return lrandom.normal(shape, mean=self.mean, stddev=self.stddev, seed=self.seed,
                              dtype=dtypes.standardize_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@keras_export(_MODULE, "random_uniform")
class RandomUniform(RandomInitializer):
    """Uniform distribution on ``[minval, maxval)``.

    Example:
        >>> lamina.initializers.RandomUniform(-0.1, 0.1, seed=0)((3,))
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return lrandom.uniform(shape, minval=self.minval, maxval=self.maxval, seed=self.seed,
                               dtype=dtypes.standardize_dtype(dtype))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


@keras_export(_MODULE, "truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Normal distribution cut at two standard deviations (redrawn beyond).

    Example:
        >>> lamina.initializers.TruncatedNormal(stddev=0.02, seed=0)((4,))
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return lrandom.truncated_normal(shape, mean=self.mean, stddev=self.stddev, seed=self.seed,
                                        dtype=dtypes.standardize_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


def compute_fans(shape, input_axes=None, output_axes=None):
    """``(fan_in, fan_out)`` of a weight shape (conv kernels: receptive field included).

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (int(np.prod([shape[a] for a in input_axes])),
                int(np.prod([shape[a] for a in output_axes])))
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform", "normal")


@keras_export(_MODULE, "variance_scaling")
class VarianceScaling(RandomInitializer):
    """Scales the spread of the draws to the weight's fan-in, fan-out or their average.

    Args:
        scale: the variance scale.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"``, ``"untruncated_normal"`` or ``"uniform"``.
        seed: an int, a SeedGenerator or None.

    Example:
        >>> lamina.initializers.VarianceScaling(2.0, "fan_in", "truncated_normal", seed=0)((8, 4))
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"VarianceScaling: scale must be positive, received {scale}.")
        if mode not in _MODES:
            raise ValueError(f"VarianceScaling: mode must be one of {_MODES}, received {mode!r}.")
        distribution = distribution.lower()
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"VarianceScaling: distribution must be one of {_DISTRIBUTIONS}, "
                f"received {distribution!r}."
            )
        if distribution == "normal":
            distribution = "truncated_normal"
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / 0.87962566103423978
            return lrandom.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return lrandom.normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return lrandom.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config(), "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def _variance_family(name, alias, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self):
        return {"seed": self._init_seed if not isinstance(self._init_seed, lrandom.SeedGenerator)
                else serialize_keras_object(self._init_seed),
                "input_axes": self.input_axes, "output_axes": self.output_axes}

    cls = type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                          "__doc__": doc, "__module__": __name__})
    return keras_export(_MODULE, alias)(cls)


GlorotUniform = _variance_family(
    "GlorotUniform", "glorot_uniform", 1.0, "fan_avg", "uniform",
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(6 / (fan_in + fan_out))``.

    Example:
        >>> lamina.initializers.GlorotUniform(seed=0)((4, 4))
    """)
GlorotNormal = _variance_family(
    "GlorotNormal", "glorot_normal", 1.0, "fan_avg", "truncated_normal",
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))``.

    Example:
        >>> lamina.initializers.GlorotNormal(seed=0)((4, 4))
    """)
HeUniform = _variance_family(
    "HeUniform", "he_uniform", 2.0, "fan_in", "uniform",
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(6 / fan_in)``.

    Example:
        >>> lamina.initializers.HeUniform(seed=0)((4, 4))
    """)
HeNormal = _variance_family(
    "HeNormal", "he_normal", 2.0, "fan_in", "truncated_normal",
    """Truncated normal with ``stddev = sqrt(2 / fan_in)``.

    Example:
        >>> lamina.initializers.HeNormal(seed=0)((4, 4))
    """)
LecunUniform = _variance_family(
    "LecunUniform", "lecun_uniform", 1.0, "fan_in", "uniform",
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(3 / fan_in)``.

    Example:
        >>> lamina.initializers.LecunUniform(seed=0)((4, 4))
    """)
LecunNormal = _variance_family(
    "LecunNormal", "lecun_normal", 1.0, "fan_in", "truncated_normal",
    """Truncated normal with ``stddev = sqrt(1 / fan_in)``.

    Example:
        >>> lamina.initializers.LecunNormal(seed=0)((4, 4))
    """)


@keras_export(_MODULE, "orthogonal", "OrthogonalInitializer")
class Orthogonal(RandomInitializer):
    """A (scaled) orthogonal matrix, from the QR decomposition of a normal draw.

    Example:
        >>> w = lamina.initializers.Orthogonal(seed=0)((4, 4))
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        if len(shape) < 2:
            raise ValueError(
                f"Orthogonal initializer needs a shape of rank >= 2, received {tuple(shape)}."
            )
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = lrandom.normal(flat, seed=self.seed, dtype=dtype)
        q, r = ops.qr(a)
        q = q * ops.sign(ops.diagonal(r))
        if rows < cols:
            q = ops.transpose(q)
        return self.gain * ops.reshape(q, shape)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


@keras_export(_MODULE, "identity", "IdentityInitializer")
class Identity(Initializer):
    """``gain`` times the identity matrix (2D shapes only).

    Example:
        >>> lamina.initializers.Identity()((3, 3))
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2D shape, received {tuple(shape)}.")
        dtype = dtypes.standardize_dtype(dtype)
        return self.gain * ops.eye(*shape, dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}


def _window(name, length, periodic):
    n = length + 1 if periodic else length
    if name in ("hann", "hanning"):
        win = np.hanning(n)
    elif name == "hamming":
        win = np.hamming(n)
    elif name == "blackman":
        win = np.blackman(n)
    elif name in ("boxcar", "rect", "rectangular"):
        win = np.ones(n)
    else:
        try:
            import scipy.signal
        except ImportError:
            raise ValueError(f"STFT window {name!r} needs scipy (hann, hamming, blackman and "
                             "boxcar work without it).") from None
        return scipy.signal.get_window(name, length, periodic)
    return win[:length] if periodic else win


@keras_export(_MODULE, "stft", "STFTInitializer")
class STFT(Initializer):
    """Convolution kernels of a short-time Fourier transform (real or imaginary part).

    The shape is ``(frame_length, 1, fft_length // 2 + 1)``.

    Example:
        >>> lamina.initializers.STFT("real", "hann")((16, 1, 9)).shape
        (16, 1, 9)
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: side must be 'real' or 'imag', received {side!r}.")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                f"STFT: scaling must be None, 'density' or 'spectrum', received {scaling!r}."
            )
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        frame_length, _, bins = shape
        fft_length = (bins - 1) * 2
        t = np.arange(frame_length)[:, None]
        f = np.arange(bins)[None, :]
        angle = -2.0 * np.pi * t * f / fft_length
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        scale = 1.0
        if self.window is not None:
            win = self.window
            win = _window(win, frame_length, self.periodic) if isinstance(win, str) else np.asarray(win)
            if win.shape != (frame_length,):
                raise ValueError(f"STFT: the window must have shape ({frame_length},).")
            kernel = kernel * win[:, None]
            if self.scaling == "density":
                scale = np.sqrt(np.sum(win ** 2))
            elif self.scaling == "spectrum":
                scale = np.abs(np.sum(win))
        kernel = (kernel / scale)[:, None, :]
        return ops.convert_to_tensor(kernel.astype("float64"), dtype=dtype)

    def get_config(self):
        window = self.window
        if window is not None and not isinstance(window, str):
            window = np.asarray(window).tolist()
        return {"side": self.side, "window": window, "scaling": self.scaling,
                "periodic": self.periodic}


constant, zeros, ones = Constant, Zeros, Ones
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal, identity, stft = VarianceScaling, Orthogonal, Identity, STFT
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
OrthogonalInitializer, IdentityInitializer, STFTInitializer = Orthogonal, Identity, STFT

_NAMES = {
    name: obj for name, obj in dict(globals()).items()
    if isinstance(obj, type) and issubclass(obj, Initializer) and obj is not RandomInitializer
}
# Short names Keras also accepts in get() (`Dense(..., kernel_initializer="uniform")`).
_NAMES.update({"uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros})


def serialize(initializer):
    """The Keras-format config of an initializer.

    Example:
        >>> lamina.initializers.serialize(lamina.initializers.Constant(2.0))["config"]
        {'value': 2.0}
    """
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Builds an initializer from a config or a name.

    Example:
        >>> type(lamina.initializers.deserialize("zeros")).__name__
        'Zeros'
    """
    return deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_NAMES)


def get(identifier):
    """Returns an initializer from an initializer, a name, a config dict or a callable.

    Example:
        >>> lamina.initializers.get("he_normal")
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _NAMES.get(identifier)
        if cls is None:
            raise ValueError(
                f"Unknown initializer {identifier!r}. Known names: {sorted(_NAMES)}."
            )
        return cls()
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
