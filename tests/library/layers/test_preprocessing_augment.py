"""The colour, tone and mixing augmentation layers against Keras 3: deterministic configurations
on every backend, the same random images as Keras for a given seed where lamina's random numbers
equal Keras's (jax, tensorflow, numpy), pass-through at inference, symbolic shapes, configs."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

keras = pytest.importorskip("keras")
BACKEND = lamina.backend.backend()
SAME_RNG = BACKEND in ("jax", "tensorflow", "numpy")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(3, 5, 6, 3), seed=0, high=255.0):
    return np.random.default_rng(seed).uniform(0, high, shape).astype("float32")


def _compare(name, kwargs, x, atol=2e-3):
    ours = getattr(layers, name)(**kwargs)
    out = _np(ours(x))
    expected = keras.ops.convert_to_numpy(getattr(keras.layers, name)(**kwargs)(x))
    assert out.shape == expected.shape and out.dtype == expected.dtype, (out.shape, expected.shape)
    np.testing.assert_allclose(out, expected, atol=atol, rtol=1e-5, err_msg=f"{name}({kwargs})")
    config = ours.get_config()
    assert type(ours).from_config(config).get_config() == config
    return out


DETERMINISTIC = [
    ("RandomGrayscale", dict(factor=1.0)),
    ("RandomGrayscale", dict(factor=0.0, data_format="channels_first")),
    ("RandomHue", dict(factor=0.0)),
    ("RandomSaturation", dict(factor=(0.5, 0.5))),
    ("RandomSaturation", dict(factor=(0.8, 0.8), value_range=(0, 1), data_format="channels_first")),
    ("RandomColorDegeneration", dict(factor=(1.0, 1.0))),
    ("RandomColorDegeneration", dict(factor=(0.3, 0.3), value_range=(0, 1))),
    ("RandomColorJitter", dict(brightness_factor=(0.1, 0.1), contrast_factor=0.0, saturation_factor=(0.6, 0.6))),
    ("RandomInvert", dict(factor=(1.0, 1.0))),
    ("RandomPosterization", dict(factor=(3, 3))),
    ("RandomPosterization", dict(factor=(1, 1), value_range=(0, 1))),
    ("Solarization", dict(value_range=(0, 1))),
    ("RandomSharpness", dict(factor=(1.0, 1.0))),
    ("RandomSharpness", dict(factor=(0.0, 0.0), data_format="channels_first")),
    ("AutoContrast", dict(value_range=(0, 1))),
    ("Equalization", dict()),
    ("Equalization", dict(bins=16, value_range=(0, 1), data_format="channels_first")),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), sigma=(0.6, 0.6))),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), kernel_size=5, sigma=(1.0, 1.0), data_format="channels_first")),
    ("RandomPerspective", dict(factor=(1.0, 1.0), scale=0.0, fill_value=2.0)),
]


@pytest.mark.parametrize("name,kwargs", DETERMINISTIC)
def test_deterministic_configurations_match_keras(name, kwargs):
    first = kwargs.get("data_format") == "channels_first"
    high = 1.0 if tuple(kwargs.get("value_range", (0, 255))) == (0, 1) else 255.0
    x = _images((3, 3, 5, 6) if first else (3, 5, 6, 3), high=high)
    if name not in ("AutoContrast", "Equalization"):  # the layers without randomness take no seed
        kwargs = dict(kwargs, seed=1)
    out = _compare(name, kwargs, x)
    if name != "Equalization":  # Equalization's histogram spans the whole batch
        np.testing.assert_allclose(_np(getattr(layers, name)(**kwargs)(x[0])), out[0], atol=2e-3)


def test_deterministic_layers_against_numpy():
    x = _images()
    np.testing.assert_allclose(_np(layers.RandomInvert((1.0, 1.0))(x)), 255.0 - x, atol=1e-4)
    poster = _np(layers.RandomPosterization((2, 2))(x))
    np.testing.assert_array_equal(poster, (x.astype("uint8") >> 6 << 6).astype("float32"))
    solar = _np(layers.Solarization()(x))  # threshold 0: everything inverts
    np.testing.assert_allclose(solar, 255.0 - x, atol=1e-4)
    gray = _np(layers.RandomGrayscale(1.0)(x))
    lum = x @ np.array([0.2989, 0.587, 0.114], "float32")
    np.testing.assert_allclose(gray, np.repeat(lum[..., None], 3, -1), atol=0.05)
    stretched = _np(layers.AutoContrast()(x))
    np.testing.assert_allclose(stretched.min(axis=(1, 2)), 0.0, atol=1e-3)
    np.testing.assert_allclose(stretched.max(axis=(1, 2)), 255.0, atol=1e-3)
    # sharpness 0.5 keeps the image; colour degeneration 0 keeps it too
    np.testing.assert_allclose(_np(layers.RandomSharpness((0.5, 0.5))(x)), x, atol=1e-3)
    np.testing.assert_allclose(_np(layers.RandomColorDegeneration((0.0, 0.0))(x)), x, atol=1e-3)


@pytest.mark.skipif(not SAME_RNG, reason="torch draws differ from Keras's")
@pytest.mark.parametrize("name,kwargs", [
    ("RandomGrayscale", dict()), ("RandomHue", dict(factor=0.5)), ("RandomSaturation", dict(factor=0.7)),
    ("RandomColorDegeneration", dict(factor=0.7)),
    ("RandomColorJitter", dict(brightness_factor=0.2, contrast_factor=0.3, saturation_factor=0.6, hue_factor=0.3)),
    ("RandomInvert", dict(factor=(0.3, 0.7))), ("RandomPosterization", dict(factor=6)),
    ("Solarization", dict(addition_factor=0.3, threshold_factor=(0.2, 0.8))),
    ("RandomSharpness", dict(factor=0.8)), ("RandomGaussianBlur", dict(factor=0.7, sigma=(0.2, 0.9))),
    ("RandomErasing", dict(fill_value=7.0, scale=(0.2, 0.5))),
    ("MixUp", dict()), ("CutMix", dict(factor=(0.3, 0.7))),
    ("RandomShear", dict(x_factor=0.3, y_factor=(0.1, 0.4), fill_mode="constant", interpolation="nearest")),
    ("RandomPerspective", dict(factor=0.6, scale=0.4, fill_value=3.0)),
])
def test_same_seed_same_images_as_keras(name, kwargs):
    if name in ("MixUp", "CutMix") and BACKEND == "tensorflow":
        pytest.skip("lamina's tensorflow random.beta draws differ from Keras's")
    if name == "RandomPosterization" and BACKEND == "numpy":
        pytest.skip("lamina's numpy random.randint ignores dtype='uint8' in its draws, Keras's does not")
    x = _images()
    ours, theirs = getattr(layers, name)(seed=3, **kwargs), getattr(keras.layers, name)(seed=3, **kwargs)
    for _ in range(2):  # the seed generators advance alike
        np.testing.assert_allclose(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), atol=2e-3, rtol=1e-5)
    if name in ("RandomHue", "RandomErasing", "RandomPerspective"):  # one image: a batch of one
        np.testing.assert_allclose(_np(ours(x[0])), keras.ops.convert_to_numpy(theirs(x[0])), atol=2e-3)


RANDOM = [
    ("RandomGrayscale", dict(factor=1.0)), ("RandomHue", dict(factor=0.5)), ("RandomSaturation", dict(factor=0.7)),
    ("RandomColorDegeneration", dict(factor=(0.5, 1.0))), ("RandomColorJitter", dict(hue_factor=0.5)),
    ("RandomInvert", dict(factor=(1.0, 1.0))), ("RandomPosterization", dict(factor=(2, 2))),
    ("Solarization", dict()), ("RandomSharpness", dict(factor=(1.0, 1.0))), ("Equalization", dict()),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0))), ("RandomErasing", dict(factor=(1.0, 1.0))),
    ("MixUp", dict(alpha=1.0)), ("CutMix", dict(factor=(1.0, 1.0))),
    ("RandomShear", dict(x_factor=0.5)), ("RandomPerspective", dict()),
]


@pytest.mark.parametrize("name,kwargs", RANDOM)
def test_pass_through_at_inference_symbolic_shape_and_active_in_training(name, kwargs):
    x = _images()
    if name != "Equalization":
        kwargs = dict(kwargs, seed=3)
    layer = getattr(layers, name)(**kwargs)
    np.testing.assert_array_equal(_np(layer(x, training=False)), x)
    assert getattr(layers, name)(**kwargs)(lamina.Input((5, 6, 3))).shape == (None, 5, 6, 3)
    trained = [_np(layer(x, training=True)) for _ in range(3)]  # a permutation may draw the identity
    assert trained[0].shape == x.shape and max(np.abs(t - x).max() for t in trained) > 0.1


def test_predict_passes_images_through_every_random_layer():
    inputs = lamina.Input((5, 6, 3))
    y = inputs
    for name, kwargs in RANDOM:
        y = getattr(layers, name)(**kwargs)(y)
    model = lamina.Model(inputs, y)
    assert model.output.shape == (None, 5, 6, 3)
    x = _images()
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


@pytest.mark.parametrize("fmt", ["channels_last", "channels_first"])
def test_random_shear_is_one_of_the_two_signed_shears(fmt):
    x = _images()
    if fmt == "channels_first":
        x = x.transpose(0, 3, 1, 2)
    out = _np(layers.RandomShear((0.3, 0.3), (0.2, 0.2), fill_mode="constant", seed=0, data_format=fmt)(x))
    signs = []
    for sign in (1.0, -1.0):
        matrix = np.array([[1, 0.3 * sign, 0, 0.2 * sign, 1, 0, 0, 0]] * 3, "float32")
        sheared = _np(ops.image.affine_transform(x, matrix, fill_mode="constant", data_format=fmt))
        expected = keras.ops.convert_to_numpy(keras.ops.image.affine_transform(x, matrix, fill_mode="constant",
                                                                                 data_format=fmt))
        np.testing.assert_allclose(sheared, expected, atol=2e-3)
        signs.append([np.allclose(o, e, atol=2e-3) for o, e in zip(out, sheared)])
    assert all(a or b for a, b in zip(*signs)) and not np.allclose(out, x)


def test_auto_contrast_is_active_at_inference():
    x = _images(high=100.0)
    out = _np(layers.AutoContrast()(x, training=False))
    expected = keras.ops.convert_to_numpy(keras.layers.AutoContrast()(x, training=False))
    np.testing.assert_allclose(out, expected, atol=2e-3)
    assert not np.allclose(out, x)
    flat = np.concatenate([x[:2], np.full((1, 5, 6, 3), 42.0, "float32")])  # a constant image stays as it is
    np.testing.assert_allclose(_np(layers.AutoContrast()(flat)),
                               keras.ops.convert_to_numpy(keras.layers.AutoContrast()(flat)), atol=2e-3)
    np.testing.assert_array_equal(_np(layers.AutoContrast()(flat))[2], flat[2])


def test_mixing_layers_structure():
    x = _images()
    mixed = _np(layers.MixUp(alpha=0.5, seed=4)(x))
    # each image is w * x_i + (1 - w) * x_j for some j and a w in [0, 1]
    for i, m in enumerate(mixed):
        fits = []
        for j in range(3):
            d = x[i] - x[j]
            w = 1.0 if not d.any() else float(np.sum((m - x[j]) * d) / np.sum(d * d))
            fits.append(-1e-4 <= w <= 1 + 1e-4 and np.allclose(w * x[i] + (1 - w) * x[j], m, atol=1e-2))
        assert any(fits)
    cut = _np(layers.CutMix(seed=4)(x))
    for i, c in enumerate(cut):
        changed = np.any(c != x[i], axis=-1)
        if changed.any():
            rows, cols = np.nonzero(changed)
            box = changed[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
            sources = [j for j in range(3) if np.array_equal(c[changed], x[j][changed])]
            assert sources and box.mean() > 0.5  # one source image, pasted in a (mostly full) box
    np.testing.assert_array_equal(_np(layers.CutMix(seed=0)(x[0])), x[0])  # one image: unchanged
    erased = _np(layers.RandomErasing((1.0, 1.0), fill_value=0.0, scale=(0.3, 0.3), seed=1)(x))
    assert np.all((erased == x) | (erased == 0.0))
    fraction = (erased == 0.0).all(-1).mean(axis=(1, 2))
    assert np.all((fraction > 0.1) & (fraction < 0.5)), fraction


@pytest.mark.parametrize("name,kwargs,match", [
    ("RandomGrayscale", dict(factor=1.5), "factor"), ("RandomHue", dict(factor=2.0), "factor"),
    ("RandomPosterization", dict(factor=9), "factor"), ("RandomSaturation", dict(factor=0.5, value_range=3), "value_range"),
    ("Solarization", dict(addition_factor=(0.2, 1.5)), "addition_factor"),
    ("RandomGaussianBlur", dict(kernel_size=4), "kernel_size"), ("Equalization", dict(bins=0), "bins"),
    ("RandomErasing", dict(fill_value="red"), "fill_value"), ("RandomShear", dict(y_factor=1.5), "y_factor"),
    ("RandomPerspective", dict(scale=2.0), "scale"), ("AutoContrast", dict(value_range=(1, 2, 3)), "value_range"),
])
def test_bad_arguments_are_refused(name, kwargs, match):
    with pytest.raises(ValueError, match=f"{name}.*{match}"):
        getattr(layers, name)(**kwargs)


def test_rank_is_checked():
    with pytest.raises(ValueError, match="RandomHue.*rank"):
        layers.RandomHue(0.5)(np.zeros((2, 2), "float32"))


def test_pipeline_chains_layers_like_keras():
    x = _images()
    ours = layers.Pipeline([layers.RandomInvert((1.0, 1.0)), layers.RandomPosterization((3, 3)),
                            layers.AutoContrast()])
    theirs = keras.layers.Pipeline([keras.layers.RandomInvert((1.0, 1.0)), keras.layers.RandomPosterization((3, 3)),
                                    keras.layers.AutoContrast()])
    np.testing.assert_allclose(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), atol=2e-3)
    np.testing.assert_allclose(_np(ours(x, training=False)), keras.ops.convert_to_numpy(theirs(x, training=False)),
                               atol=2e-3)  # only AutoContrast acts at inference
    config = ours.get_config()
    clone = layers.Pipeline.from_config(config)
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in ours.layers]
    assert clone.get_config() == config
    np.testing.assert_allclose(_np(clone(x)), _np(ours(x)), atol=1e-4)
    if SAME_RNG:
        ours = layers.Pipeline([layers.RandomHue(0.4, seed=1), layers.RandomInvert(seed=2)])
        theirs = keras.layers.Pipeline([keras.layers.RandomHue(0.4, seed=1), keras.layers.RandomInvert(seed=2)])
        np.testing.assert_allclose(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), atol=2e-3)


def test_pipeline_in_a_model_builds_its_layers():
    inputs = lamina.Input((5, 6, 3))
    pipeline = layers.Pipeline([layers.RandomFlip(seed=0), layers.Dense(2)])
    model = lamina.Model(inputs, pipeline(inputs))
    assert model.output.shape == (None, 5, 6, 2) and len(model.weights) == 2
    x = _images()
    kernel, bias = (_np(w) for w in pipeline.layers[1].weights)
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ kernel + bias, atol=1e-3)
    with pytest.raises(ValueError, match="Pipeline.*layers"):
        layers.Pipeline("not a list")


def _zero_strength_candidates(x):
    """What each of RandAugment's / AugMix's operations does at factor 0 (Keras 3's strengths)."""
    return [x, _np(layers.RandomSharpness((0.0, 0.0))(x)), _np(layers.RandomPosterization((1, 1))(x)),
            255.0 - x, _np(layers.AutoContrast()(x)), _np(layers.Equalization()(x))]


def test_rand_augment_applies_one_of_its_operations():
    x = _images()
    candidates = _zero_strength_candidates(x)
    layer = layers.RandAugment(num_ops=1, factor=(0.0, 0.0), seed=3)
    picked = set()
    for _ in range(5):
        out = _np(layer(x))
        matches = [i for i, c in enumerate(candidates) if np.allclose(out, c, atol=1e-2)]
        assert matches, "RandAugment's output is none of its operations'"
        picked.add(matches[0])
    assert len(picked) > 1
    np.testing.assert_array_equal(_np(layer(x, training=False)), x)
    config = layer.get_config()
    assert layers.RandAugment.from_config(config).get_config() == config
    inputs = lamina.Input((5, 6, 3))
    assert layers.RandAugment(seed=0)(inputs).shape == (None, 5, 6, 3)


def test_aug_mix_blends_the_image_with_its_chain():
    x = _images()
    candidates = _zero_strength_candidates(x)
    layer = layers.AugMix(num_chains=1, chain_depth=1, factor=(0.0, 0.0), all_ops=False, seed=5)
    for _ in range(3):
        out = _np(layer(x))
        fits = []
        for c in candidates:
            d = x - c
            w = 1.0 if not d.any() else float(np.sum((out - c) * d) / np.sum(d * d))
            fits.append(-1e-3 <= w <= 1 + 1e-3 and np.allclose(w * x + (1 - w) * c, out, atol=1e-2))
        assert any(fits)
    full = _np(layers.AugMix(seed=1)(x))
    assert full.shape == (3, 5, 6, 3) and full.min() >= 0.0 and full.max() <= 255.0
    np.testing.assert_array_equal(_np(layer(x, training=False)), x)
    config = layer.get_config()
    assert layers.AugMix.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="AugMix.*num_chains"):
        layers.AugMix(num_chains=0)
