"""Score bands against reference metrics, and grading.toml validation."""

import math

import pytest

from lamina_grader.bands import band_for
from lamina_grader.labconfig import ArtifactSpec, load_lab_config, parse_lab_config

REF = {"backends": {"jax": {"mean": 0.892, "std": 0.006, "n": 3},
                    "torch": {"mean": 0.90, "std": 0.002, "n": 3}}}


def test_band_uses_the_most_lenient_backend_and_is_linear():
    spec = ArtifactSpec("m", 4, "digits", zero_at=0.5)
    band = band_for(spec, REF)
    # jax: 0.892 - 2 * 0.006 = 0.880 ; torch: 0.90 - 2 * 0.005 (std floor) = 0.890 -> jax is more lenient
    assert band.backend == "jax" and band.full == pytest.approx(0.880)
    assert band.score(0.880) == 4.0 and band.score(0.95) == 4.0
    assert band.score(0.5) == 0.0 and band.score(0.2) == 0.0
    assert band.score(0.69) == pytest.approx(round(4 * (0.69 - 0.5) / (0.880 - 0.5), 2))
    assert band.score(float("nan")) == 0.0 and band.score(None) == 0.0
    assert band.describe(0.874) == "your 0.874 against reference 0.892 ± 0.006 (full marks from 0.880)"


def test_band_for_lower_is_better_metric():
    spec = ArtifactSpec("m", 2, "digit_pairs", metric="mae", zero_at=3.0, std_floor=0.01)
    band = band_for(spec, {"backends": {"jax": {"mean": 0.5, "std": 0.05, "n": 3}}})
    assert band.full == pytest.approx(0.6) and not band.higher_is_better
    assert band.score(0.55) == 2.0 and band.score(3.5) == 0.0
    assert band.score(1.8) == pytest.approx(round(2 * (3.0 - 1.8) / (3.0 - 0.6), 2))
    assert "full marks up to 0.600" in band.describe(1.8)


def test_band_without_reference():
    spec = ArtifactSpec("m", 2, "digits")
    with pytest.raises(ValueError, match="no reference metrics .*lamina-grader reference"):
        band_for(spec, None)
    spec = ArtifactSpec("m", 2, "digits", full_at=0.9, zero_at=0.5)
    band = band_for(spec, {})
    assert band.score(0.7) == 1.0 and band.mean is None
    assert band.describe(0.7) == "your 0.700 (full marks from 0.900, zero at 0.500)"


def test_zero_std_uses_the_floor():
    spec = ArtifactSpec("m", 1, "digits", zero_at=0.0, std_floor=0.01)
    band = band_for(spec, {"backends": {"numpy": {"mean": 0.9, "std": 0.0, "n": 1}}})
    assert band.full == pytest.approx(0.88)
    assert not math.isnan(band.fraction(0.44))


def test_lab_config_parsing_and_errors(tmp_path):
    cfg = parse_lab_config({"lab": {"title": "T", "goals": ["a"], "cell_timeout_s": 30},
                            "artifact": [{"name": "m", "points": 4, "dataset": "digits", "custom_code": "layers.py",
                                          "substitute": {"layers.py": "layers_ref.py"}}]}, "04-x")
    a = cfg.artifacts[0]
    assert (a.file, a.custom_code, cfg.cell_timeout_s) == ("m.keras", ["layers.py"], 30.0)
    assert cfg.artifact_files == ["layers.py", "m.history.json", "m.keras"]
    bad = [({"name": "m", "points": 1}, "missing required key 'dataset'"),
           ({"name": "m", "points": 1, "dataset": "d", "metric": "f1"}, "metric should be one of"),
           ({"name": "m", "points": "x", "dataset": "d"}, "points should be a number, received 'x'"),
           ({"name": "m", "points": 1, "dataset": "d", "colour": 1}, "unknown keys \\['colour'\\]"),
           ({"name": "m", "points": 1, "dataset": "d", "file": "../m.keras"}, "file should be a plain")]
    for raw, msg in bad:
        with pytest.raises(ValueError, match=msg):
            parse_lab_config({"artifact": [raw]}, "01-x")
    lab = tmp_path / "01-x"
    lab.mkdir()
    (lab / "grading.toml").write_text("[lab\ntitle=")
    with pytest.raises(ValueError, match="labs/01-x/grading.toml is not valid TOML"):
        load_lab_config(str(lab))
