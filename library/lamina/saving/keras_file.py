"""The ``.keras`` zip: safe reading and atomic writing.

Reading checks the archive before trusting any byte of it: it must be a zip,
member names must be plain (no ``..``, no absolute paths, no duplicates), the
expected members must be present, and every member's declared size must be
sane (both absolutely and relative to the archive: zip bombs are refused
before anything is decompressed). Members are read into memory; nothing is
ever extracted to disk.

Writing goes to a temporary file in the target folder, which is flushed,
synced and then renamed over the target with :func:`os.replace`: an
interrupted save leaves the previous file intact.

Example:
    >>> with atomic_write("model.keras") as f:
    ...     f.write(data)
    >>> members = read_members("model.keras", ["config.json"])
"""

import contextlib
import io
import os
import tempfile
import zipfile

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
MAX_JSON_BYTES = 64 << 20       # 64 MiB of JSON is far more than any model config
MAX_MEMBER_BYTES = 1 << 34      # 16 GiB
MAX_RATIO = 200                 # declared size / archive size, for members above MIN_RATIO_SIZE
MIN_RATIO_SIZE = 16 << 20


class InvalidFileError(ValueError):
    """A model or weights file that is malformed or unsafe to read."""


@contextlib.contextmanager
def atomic_write(path, mode="wb"):
    """Opens a temporary file next to ``path``; on success renames it to ``path``.

    On any error (or interruption) the temporary file is removed and ``path``
    keeps its previous content.

    Example:
        >>> with atomic_write("m.keras") as f:
        ...     f.write(b"...")
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot save to {path!r}: the folder {folder!r} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _check_name(name):
    normalized = name.replace("\\", "/")
    parts = normalized.split("/")
    if (normalized.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":")
            or "\x00" in name or name != normalized):
        raise InvalidFileError(
            f"Refusing to read the archive: member name {name!r} is an absolute path or escapes "
            "the archive (path traversal)."
        )


def open_archive(path):
    """Opens ``path`` as a zip after checking it is one; returns the ZipFile.

    Example:
        >>> archive = open_archive("m.keras")
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such file: {path!r}.")
    if not zipfile.is_zipfile(path):
        raise InvalidFileError(
            f"{path!r} is not a valid .keras file: it is not a zip archive (it may be truncated "
            "or another format)."
        )
    try:
        archive = zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise InvalidFileError(f"{path!r} is not a valid .keras file: {e}.") from None
    try:
        names = archive.namelist()
        if len(names) != len(set(names)):
            raise InvalidFileError(f"{path!r}: the archive holds duplicate member names.")
        for name in names:
            _check_name(name)
        archive_size = max(os.path.getsize(path), 1)
        total = 0
        for info in archive.infolist():
            total += info.file_size
            too_big = info.file_size > MAX_MEMBER_BYTES
            bomb = info.file_size > MIN_RATIO_SIZE and info.file_size > MAX_RATIO * archive_size
            if too_big or bomb or total > MAX_MEMBER_BYTES:
                raise InvalidFileError(
                    f"Refusing to read {path!r}: member {info.filename!r} declares "
                    f"{info.file_size} bytes uncompressed for a {archive_size}-byte file (zip bomb?)."
                )
    except BaseException:
        archive.close()
        raise
    return archive


def read_member(archive, name, limit=MAX_MEMBER_BYTES):
    """Reads one member into memory, refusing more than ``limit`` bytes.

    Example:
        >>> config = read_member(archive, "config.json", MAX_JSON_BYTES)
    """
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise InvalidFileError(
            f"Invalid .keras file: the archive has no {name!r} (members: {archive.namelist()})."
        ) from None
    if info.file_size > limit:
        raise InvalidFileError(
            f"Refusing to read {name!r}: it declares {info.file_size} bytes (limit {limit})."
        )
    try:
        with archive.open(info, "r") as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise InvalidFileError(f"Invalid .keras file: cannot read {name!r}: {e}.") from None
    if len(data) > limit or len(data) != info.file_size:
        raise InvalidFileError(f"Invalid .keras file: {name!r} is not the size it declares.")
    return data


def write_archive(fileobj, members):
    """Writes ``{name: bytes}`` as a zip into an open binary file.

    Example:
        >>> write_archive(f, {"config.json": b"{}"})
    """
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def bytes_io(data):
    return io.BytesIO(data)
