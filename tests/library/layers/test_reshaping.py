"""Reshaping layers (Permute, RepeatVector, Cropping, UpSampling, ZeroPadding)
through the layer-test harness, against NumPy and real Keras, plus their errors."""

import numpy as np
import pytest

import lamina
from lamina import layers

from .harness import check_layer
from .test_convolutional import compare_with_keras

BACKEND = lamina.backend.backend()


def _spatial(x, fmt):
    return list(range(1, x.ndim - 1)) if fmt == "channels_last" else list(range(2, x.ndim))


@pytest.mark.parametrize("dims,shape", [((2, 1), (2, 3, 4)), ((3, 1, 2), (2, 2, 3, 4)),
                                        ((1,), (2, 3))])
def test_permute(dims, shape):
    check_layer(layers.Permute, {"dims": dims}, shape,
                reference=lambda x, w: np.transpose(x, (0,) + dims))


@pytest.mark.parametrize("n", [1, 3])
def test_repeat_vector(n):
    check_layer(layers.RepeatVector, {"n": n}, (2, 4),
                reference=lambda x, w: np.repeat(x[:, None], n, axis=1))


@pytest.mark.parametrize("cropping", [1, (2, 0), (0, 3)])
def test_cropping1d(cropping):
    before, after = (cropping, cropping) if isinstance(cropping, int) else cropping
    check_layer(layers.Cropping1D, {"cropping": cropping}, (2, 6, 3),
                reference=lambda x, w: x[:, before:x.shape[1] - after])


def _crop_ref(pairs, fmt):
    def ref(x, w):
        index = [slice(None)] * x.ndim
        for axis, (b, a) in zip(_spatial(x, fmt), pairs):
            index[axis] = slice(b, x.shape[axis] - a)
        return x[tuple(index)]

    return ref


@pytest.mark.parametrize("cropping,pairs,fmt", [
    (1, ((1, 1), (1, 1)), "channels_last"),
    ((1, 2), ((1, 1), (2, 2)), "channels_first"),
    (((0, 1), (2, 0)), ((0, 1), (2, 0)), "channels_last"),
    (((1, 0), (0, 0)), ((1, 0), (0, 0)), "channels_first"),
])
def test_cropping2d(cropping, pairs, fmt):
    check_layer(layers.Cropping2D, {"cropping": cropping, "data_format": fmt}, (2, 5, 6, 3)
                if fmt == "channels_last" else (2, 3, 5, 6), reference=_crop_ref(pairs, fmt))


@pytest.mark.parametrize("cropping,pairs,fmt", [
    (1, ((1, 1),) * 3, "channels_last"),
    ((1, 0, 2), ((1, 1), (0, 0), (2, 2)), "channels_first"),
    (((0, 1), (1, 0), (0, 0)), ((0, 1), (1, 0), (0, 0)), "channels_last"),
])
def test_cropping3d(cropping, pairs, fmt):
    shape = (1, 4, 3, 5, 2) if fmt == "channels_last" else (1, 2, 4, 3, 5)
    check_layer(layers.Cropping3D, {"cropping": cropping, "data_format": fmt}, shape,
                reference=_crop_ref(pairs, fmt))


def _pad_ref(pairs, fmt):
    def ref(x, w):
        width = [(0, 0)] * x.ndim
        for axis, pair in zip(_spatial(x, fmt), pairs):
            width[axis] = pair
        return np.pad(x, width)

    return ref


@pytest.mark.parametrize("padding,fmt", [(1, "channels_last"), ((2, 0), "channels_first"),
                                         ((0, 3), "channels_last")])
def test_zero_padding1d(padding, fmt):
    pair = (padding, padding) if isinstance(padding, int) else padding
    check_layer(layers.ZeroPadding1D, {"padding": padding, "data_format": fmt}, (2, 4, 3),
                reference=_pad_ref((pair,), fmt))


@pytest.mark.parametrize("padding,pairs,fmt", [
    (1, ((1, 1), (1, 1)), "channels_last"),
    ((1, 2), ((1, 1), (2, 2)), "channels_first"),
    (((0, 1), (2, 0)), ((0, 1), (2, 0)), "channels_last"),
])
def test_zero_padding2d(padding, pairs, fmt):
    check_layer(layers.ZeroPadding2D, {"padding": padding, "data_format": fmt}, (2, 3, 4, 2),
                reference=_pad_ref(pairs, fmt))


@pytest.mark.parametrize("padding,pairs,fmt", [
    (1, ((1, 1),) * 3, "channels_last"),
    ((1, 0, 2), ((1, 1), (0, 0), (2, 2)), "channels_first"),
    (((0, 1), (1, 0), (0, 2)), ((0, 1), (1, 0), (0, 2)), "channels_last"),
])
def test_zero_padding3d(padding, pairs, fmt):
    check_layer(layers.ZeroPadding3D, {"padding": padding, "data_format": fmt}, (1, 2, 3, 2, 2),
                reference=_pad_ref(pairs, fmt))


@pytest.mark.parametrize("size", [1, 3])
def test_up_sampling1d(size):
    check_layer(layers.UpSampling1D, {"size": size}, (2, 3, 2),
                reference=lambda x, w: np.repeat(x, size, axis=1))


@pytest.mark.parametrize("size,fmt", [(2, "channels_last"), ((1, 3), "channels_first"),
                                      ((3, 2), "channels_last")])
def test_up_sampling2d_nearest(size, fmt):
    size2 = (size, size) if isinstance(size, int) else size

    def ref(x, w):
        for axis, factor in zip(_spatial(x, fmt), size2):
            x = np.repeat(x, factor, axis=axis)
        return x

    check_layer(layers.UpSampling2D, {"size": size, "data_format": fmt}, (2, 2, 3, 2), reference=ref)


@pytest.mark.parametrize("size,fmt", [(2, "channels_last"), ((2, 3), "channels_first")])
def test_up_sampling2d_bilinear(size, fmt):
    # Keras's TensorFlow backend resizes channels_first images by transposing; the
    # harness compares outputs on every backend.
    check_layer(layers.UpSampling2D, {"size": size, "data_format": fmt,
                                      "interpolation": "bilinear"}, (2, 3, 3, 2), rtol=1e-5,
                atol=1e-5, symbolic=True)


def test_up_sampling2d_bilinear_matches_half_pixel_numpy():
    x = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
    out = lamina.ops.convert_to_numpy(
        layers.UpSampling2D((1, 2), interpolation="bilinear")(x))[0, 0, :, 0]
    np.testing.assert_allclose(out, [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3], rtol=1e-6)


@pytest.mark.parametrize("size,fmt", [(2, "channels_last"), ((1, 2, 3), "channels_first")])
def test_up_sampling3d(size, fmt):
    size3 = (size,) * 3 if isinstance(size, int) else size

    def ref(x, w):
        for axis, factor in zip(_spatial(x, fmt), size3):
            x = np.repeat(x, factor, axis=axis)
        return x

    check_layer(layers.UpSampling3D, {"size": size, "data_format": fmt}, (1, 2, 2, 3, 2),
                reference=ref)


GRAD_CASES = [
    (layers.Permute, {"dims": (2, 1)}, (2, 3, 4)),
    (layers.RepeatVector, {"n": 3}, (2, 4)),
    (layers.Cropping2D, {"cropping": ((1, 0), (0, 2))}, (1, 4, 5, 2)),
    (layers.ZeroPadding3D, {"padding": 1}, (1, 2, 2, 2, 2)),
    (layers.UpSampling2D, {"size": 2, "interpolation": "bilinear"}, (1, 3, 3, 2)),
    (layers.UpSampling1D, {"size": 2}, (2, 3, 2)),
]


@pytest.mark.parametrize("cls,kwargs,shape", GRAD_CASES, ids=[c[0].__name__ for c in GRAD_CASES])
def test_gradients_against_keras(cls, kwargs, shape):
    compare_with_keras(cls, kwargs, shape)


def test_config_matches_keras():
    keras = pytest.importorskip("keras")
    cases = [(layers.Permute, {"dims": [2, 1]}), (layers.RepeatVector, {"n": 2}),
             (layers.Cropping1D, {"cropping": 2}), (layers.Cropping2D, {"cropping": (1, 2)}),
             (layers.Cropping3D, {}), (layers.UpSampling1D, {}),
             (layers.UpSampling2D, {"interpolation": "Bilinear"}), (layers.UpSampling3D, {"size": 3}),
             (layers.ZeroPadding1D, {"padding": (1, 2)}), (layers.ZeroPadding2D, {}),
             (layers.ZeroPadding3D, {"padding": 2})]
    for cls, kwargs in cases:
        ours = cls(**kwargs, name="x").get_config()
        theirs = getattr(keras.layers, cls.__name__)(**kwargs, name="x").get_config()
        assert ours == theirs, cls.__name__


def test_wrong_rank_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"rv.*ndim=2.*ndim=3"):
        layers.RepeatVector(2, name="rv")(np.ones((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match=r"pad.*ndim=4.*\(2, 3, 4\)"):
        layers.ZeroPadding2D(name="pad")(np.ones((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match=r"perm.*ndim=3"):
        layers.Permute((2, 1), name="perm")(np.ones((2, 3), "float32"))


def test_cropping_too_much_names_layer():
    with pytest.raises(ValueError, match=r"crop.*\(2, 3, 2\)"):
        layers.Cropping1D((2, 1), name="crop")(np.ones((2, 3, 2), "float32"))
    with pytest.raises(ValueError, match="crop2"):
        layers.Cropping2D(2, name="crop2").compute_output_shape((None, 4, 8, 1))


@pytest.mark.parametrize("build,error,match", [
    (lambda: layers.Permute((1, 3)), ValueError, "dims"),
    (lambda: layers.RepeatVector(0), ValueError, "n"),
    (lambda: layers.RepeatVector(2.0), TypeError, "integer"),
    (lambda: layers.UpSampling1D(0), ValueError, "size"),
    (lambda: layers.UpSampling2D(interpolation="cubic"), ValueError, "interpolation"),
    (lambda: layers.Cropping2D(((1, 1), (1, 1), (1, 1))), ValueError, "cropping"),
    (lambda: layers.Cropping2D(-1), ValueError, "negative"),
    (lambda: layers.ZeroPadding3D((1, 2)), ValueError, "padding"),
    (lambda: layers.ZeroPadding1D((1, -1)), ValueError, "padding"),
])
def test_bad_arguments(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_symbolic_unknown_sizes():
    x = lamina.KerasTensor((None, None, 3))
    assert layers.Cropping1D(1)(x).shape == (None, None, 3)
    assert layers.UpSampling1D(2)(x).shape == (None, None, 3)
    assert layers.ZeroPadding1D(2)(x).shape == (None, None, 3)
    assert layers.Permute((2, 1))(x).shape == (None, 3, None)
