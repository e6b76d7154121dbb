"""``get_file``: fetch a file into the cache (``~/.lamina/datasets``), check its hash, extract it.

Lamina runs where there may be no network: origins can be local paths or ``file://`` URLs as
well as http(s). An unreachable URL raises an ``OSError`` that names it. Downloads are written
to a temporary file in the cache folder and renamed, so an interrupted download leaves nothing
behind. Archives are extracted safely: members with absolute paths, ``..`` components or links
pointing outside the target folder are refused.

Example:
    >>> path = lamina.utils.get_file(origin="file:///data/digits.npz")
"""

import hashlib
import os
import shutil
import tempfile
import urllib.parse

from lamina.backend import config
from lamina.saving.object_registry import keras_export


def _hasher(algorithm, file_hash=None):
    if algorithm == "sha256" or algorithm == "auto" and file_hash is not None and len(file_hash) == 64:
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(f"get_file: hash_algorithm must be 'md5', 'sha256' or 'auto', received {algorithm!r}.")


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """The hex digest of a file (``"sha256"`` or ``"md5"``).

    Example:
        >>> lamina.utils.file_utils.hash_file("/etc/hostname")
    """
    hasher = _hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's hash equals ``file_hash`` (sha256 for 64 hex digits, else md5 under "auto")."""
    return hash_file(fpath, _hasher(algorithm, file_hash), chunk_size) == str(file_hash)


def _inside(base, target):
    base = os.path.realpath(base)
    return os.path.commonpath([base, os.path.realpath(target)]) == base


def _safe_name(name, base):
    return not (os.path.isabs(name) or ".." in name.replace("\\", "/").split("/")) and \
        _inside(base, os.path.join(base, name))


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar or zip archive into ``path``; returns whether it was an archive.

    Members that would land outside ``path`` (absolute names, ``..``, links out) raise ValueError.
    """
    import tarfile
    import zipfile

    if archive_format is None:
        return False
    formats = {"auto": ["tar", "zip"], "tar": ["tar"], "zip": ["zip"]}.get(archive_format)
    if formats is None:
        formats = list(archive_format)
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                members = archive.getmembers()
                for m in members:
                    bad = not _safe_name(m.name, path)
                    if m.issym() or m.islnk():
                        link = m.linkname if m.issym() else os.path.join(path, m.linkname)
                        bad = bad or os.path.isabs(m.linkname) or not _inside(
                            path, os.path.join(path, os.path.dirname(m.name), link) if m.issym() else link)
                    if bad or m.isdev():
                        raise ValueError(f"get_file: refusing to extract {m.name!r} from {file_path}: it "
                                         "would land outside the extraction folder.")
                os.makedirs(path, exist_ok=True)
                archive.extractall(path, members=members, filter="tar")
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                for name in archive.namelist():
                    if not _safe_name(name, path):
                        raise ValueError(f"get_file: refusing to extract {name!r} from {file_path}: it "
                                         "would land outside the extraction folder.")
                os.makedirs(path, exist_ok=True)
                archive.extractall(path)
            return True
    return False


def _fetch(origin, target):
    """Copies or downloads ``origin`` to ``target`` through a temporary file in the same folder."""
    import urllib.error
    import urllib.request  # imported here: it pulls in http and email (slow to import)

    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".download-")
    try:
        with os.fdopen(fd, "wb") as out:
            scheme = urllib.parse.urlsplit(origin).scheme
            if scheme in ("", "file") or len(scheme) == 1:  # a local path (or a Windows drive letter)
                source = urllib.request.url2pathname(urllib.parse.urlsplit(origin).path) \
                    if scheme == "file" else origin
                if not os.path.isfile(source):
                    raise FileNotFoundError(f"get_file: the origin {origin!r} is not an existing file.")
                with open(source, "rb") as src:
                    shutil.copyfileobj(src, out)
            else:
                try:
                    with urllib.request.urlopen(origin, timeout=60) as response:
                        shutil.copyfileobj(response, out)
                except urllib.error.HTTPError as error:
                    raise OSError(f"get_file: URL fetch failure on {origin}: HTTP {error.code} "
                                  f"{error.msg}") from error
                except (urllib.error.URLError, OSError) as error:
                    reason = getattr(error, "reason", error)
                    raise OSError(f"get_file: could not reach {origin} ({reason}). Without network "
                                  "access, pass a local path or a file:// URL as `origin`.") from error
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


@keras_export("keras.utils")
def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None,
             force_download=False):
    """Fetches ``origin`` into ``cache_dir/cache_subdir`` unless a valid copy is there already.

    Args:
        fname: the file name in the cache (default: the origin's last path component).
        origin: an http(s) URL, a ``file://`` URL or a local path.
        untar: deprecated; same as ``extract=True`` with ``archive_format="tar"``.
        md5_hash: deprecated; an md5 ``file_hash``.
        file_hash: the expected sha256 (or md5) hex digest; a cached file that does not match
            is fetched again, a fetched file that does not match raises ValueError.
        cache_subdir: the subfolder of ``cache_dir``.
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (by the hash's length).
        extract: extract the archive (tar, tar.gz, zip) and return the folder.
        archive_format: ``"auto"``, ``"tar"``, ``"zip"`` or ``None``.
        cache_dir: the cache root (default ``$LAMINA_HOME``, else ``~/.lamina``).
        force_download: fetch even when a cached copy exists.

    Returns:
        The path of the cached file, or of the extraction folder when extracting.

    Example:
        >>> path = lamina.utils.get_file("data.zip", origin="/shared/data.zip", extract=True)
    """
    if origin is None:
        raise ValueError('get_file needs the "origin" argument (a URL or a local path of the file).')
    origin = os.fspath(origin)
    if cache_dir is None:
        cache_dir = config._CONFIG_DIR
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(os.fspath(cache_dir))
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".lamina")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    given = os.fspath(fname) if fname is not None else None
    if not given:
        given_name = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not given_name:
            raise ValueError(f"get_file cannot take a file name from the origin {origin!r}; pass `fname`.")
        name = given_name
    else:
        if os.sep in given or "/" in given:
            raise ValueError("get_file: `fname` must be a file name, not a path; use `cache_dir` for the "
                             f"folder. Received: fname={given!r}")
        name = given
    if extract or untar:
        if given and "." in name:
            target = os.path.join(datadir, name)
            extraction_dir = os.path.join(datadir, name[:name.find(".")] + "_extracted")
        else:
            target = os.path.join(datadir, name + "_archive")
            extraction_dir = os.path.join(datadir, name)
    else:
        target = os.path.join(datadir, name)
    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
        print(f"A cached file was found, but its {hash_algorithm} hash does not match {file_hash}; "
              "fetching it again.")
        download = True
    if download:
        _fetch(origin, target)
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            os.remove(target)
            raise ValueError(f"get_file: the file fetched from {origin} is incomplete or corrupted: its "
                             f"{hash_algorithm} hash does not match the expected {file_hash}.")
    if extract or untar:
        if not extract_archive(target, extraction_dir, "tar" if untar else archive_format):
            raise ValueError(f"get_file: {target} is not a {archive_format} archive that can be extracted.")
        return extraction_dir
    return target
