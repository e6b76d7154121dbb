"""Image helpers against Keras 3, and get_file on local paths, file:// URLs and archives."""

import hashlib
import io
import os
import tarfile
import zipfile

import numpy as np
import pytest

import lamina

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("shape,fmt", [((5, 7, 3), "channels_last"), ((4, 5, 7), "channels_first"),
                                       ((6, 4, 1), "channels_last")])
@pytest.mark.parametrize("scale", [True, False])
def test_array_to_img_and_back_match_keras(shape, fmt, scale):
    x = np.random.default_rng(0).uniform(0, 255, shape).astype("float32")
    ours = lamina.utils.array_to_img(x, data_format=fmt, scale=scale)
    theirs = keras.utils.array_to_img(x, data_format=fmt, scale=scale)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    back = lamina.utils.img_to_array(ours, data_format=fmt)
    np.testing.assert_array_equal(back, keras.utils.img_to_array(theirs, data_format=fmt))
    assert back.dtype == np.float32 and back.shape == (shape if shape[-1] != 4 else shape)


def test_array_to_img_errors():
    with pytest.raises(ValueError, match="rank-3"):
        lamina.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        lamina.utils.array_to_img(np.zeros((2, 2, 2)))


@pytest.mark.parametrize("kwargs", [dict(), dict(color_mode="grayscale", target_size=(4, 3)),
                                    dict(target_size=(5, 5), interpolation="bilinear", keep_aspect_ratio=True),
                                    dict(color_mode="rgba", target_size=(3, 8), interpolation="bicubic")])
def test_save_and_load_img_match_keras(tmp_path, kwargs):
    x = np.random.default_rng(1).uniform(0, 1, (9, 6, 3))
    path = str(tmp_path / "x.png")
    lamina.utils.save_img(path, x)
    keras.utils.save_img(str(tmp_path / "k.png"), x)
    np.testing.assert_array_equal(np.asarray(lamina.utils.load_img(path)),
                                  np.asarray(keras.utils.load_img(str(tmp_path / "k.png"))))
    ours, theirs = lamina.utils.load_img(path, **kwargs), keras.utils.load_img(path, **kwargs)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    with open(path, "rb") as f:
        from_bytes = lamina.utils.load_img(io.BytesIO(f.read()), **kwargs)
    np.testing.assert_array_equal(np.asarray(from_bytes), np.asarray(theirs))


def test_save_img_jpeg_and_errors(tmp_path):
    lamina.utils.save_img(str(tmp_path / "a.jpg"), np.full((4, 4, 3), 200.0), scale=False)
    assert lamina.utils.load_img(str(tmp_path / "a.jpg")).format == "JPEG"
    with pytest.raises(ValueError, match="color_mode"):
        lamina.utils.load_img(str(tmp_path / "a.jpg"), color_mode="cmyk")
    with pytest.raises(TypeError, match="path or an io.BytesIO"):
        lamina.utils.load_img(3)


def _sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_get_file_local_path_file_url_and_hash(tmp_path):
    source = tmp_path / "data.bin"
    source.write_bytes(b"lamina" * 100)
    cache = tmp_path / "cache"
    path = lamina.utils.get_file(origin=str(source), cache_dir=str(cache))
    assert path == str(cache / "datasets" / "data.bin") and open(path, "rb").read() == b"lamina" * 100
    again = lamina.utils.get_file("copy.bin", origin=source.as_uri(), cache_dir=str(cache),
                                  file_hash=_sha256(source), cache_subdir="sub")
    assert again == str(cache / "sub" / "copy.bin") and _sha256(again) == _sha256(source)
    md5 = hashlib.md5(b"lamina" * 100).hexdigest()
    assert lamina.utils.get_file("copy.bin", origin="/nonexistent", cache_dir=str(cache), cache_subdir="sub",
                                 md5_hash=md5) == again  # cached and valid: not fetched again
    with pytest.raises(ValueError, match="hash does not match"):
        lamina.utils.get_file("bad.bin", origin=str(source), cache_dir=str(cache), file_hash="0" * 64)
    assert not os.path.exists(cache / "datasets" / "bad.bin")
    assert [n for n in os.listdir(cache / "datasets") if n.startswith(".download")] == []


def test_get_file_refetches_a_corrupted_cached_copy(tmp_path):
    source = tmp_path / "data.bin"
    source.write_bytes(b"good")
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "data.bin").write_bytes(b"bad")
    path = lamina.utils.get_file(origin=str(source), cache_dir=str(tmp_path), file_hash=_sha256(source))
    assert open(path, "rb").read() == b"good"


def test_get_file_errors(tmp_path):
    with pytest.raises(ValueError, match="origin"):
        lamina.utils.get_file("x")
    with pytest.raises(OSError, match=r"could not reach http://127\.0\.0\.1:9/x\.zip"):
        lamina.utils.get_file(origin="http://127.0.0.1:9/x.zip", cache_dir=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="not an existing file"):
        lamina.utils.get_file(origin=str(tmp_path / "missing.txt"), cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match="not a path"):
        lamina.utils.get_file("a/b.txt", origin="/etc/hostname", cache_dir=str(tmp_path))


def test_get_file_extracts_tar_and_zip(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("A")
    with tarfile.open(tmp_path / "arch.tar.gz", "w:gz") as t:
        t.add(tmp_path / "src" / "a.txt", arcname="folder/a.txt")
    with zipfile.ZipFile(tmp_path / "arch.zip", "w") as z:
        z.writestr("b.txt", "B")
    cache = str(tmp_path / "cache")
    out = lamina.utils.get_file("arch.tar.gz", origin=str(tmp_path / "arch.tar.gz"), extract=True, cache_dir=cache)
    assert out.endswith("arch_extracted") and open(os.path.join(out, "folder", "a.txt")).read() == "A"
    out = lamina.utils.get_file(origin=str(tmp_path / "arch.zip"), extract=True, cache_dir=cache)
    assert out.endswith(os.path.join("datasets", "arch.zip")) and open(os.path.join(out, "b.txt")).read() == "B"
    (tmp_path / "kcache").mkdir()  # Keras falls back to /tmp/.keras for a cache_dir not yet there
    keras_out = keras.utils.get_file(origin=(tmp_path / "arch.zip").as_uri(), extract=True,
                                     cache_dir=str(tmp_path / "kcache"))
    assert os.path.relpath(out, cache) == os.path.relpath(keras_out, str(tmp_path / "kcache"))


def test_get_file_refuses_escaping_archives(tmp_path):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as z:
        z.writestr("../../escaped.txt", "x")
    with pytest.raises(ValueError, match="refusing to extract"):
        lamina.utils.get_file(origin=str(tmp_path / "evil.zip"), extract=True, cache_dir=str(tmp_path / "c"))
    with tarfile.open(tmp_path / "evil.tar", "w") as t:
        info = tarfile.TarInfo("link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t.addfile(info)
    with pytest.raises(ValueError, match="refusing to extract"):
        lamina.utils.get_file(origin=str(tmp_path / "evil.tar"), extract=True, cache_dir=str(tmp_path / "c"))
    assert not os.path.exists(tmp_path / "escaped.txt")
