"""A pure-Python writer of TensorBoard event files (``events.out.tfevents.*``).

The format: a sequence of records, each ``uint64 length``, ``masked crc32c of
the length``, the bytes of an ``Event`` protocol buffer, ``masked crc32c of the
bytes`` (little endian). The few protobuf messages needed (Event, Summary,
SummaryMetadata, TensorProto) are encoded by hand here, so neither TensorFlow
nor protobuf is needed to write logs that TensorBoard reads.

Example:
    >>> writer = EventFileWriter("logs/train")
    >>> writer.add_scalar("epoch_loss", 0.25, step=0)
    >>> writer.close()
"""

import os
import socket
import struct
import threading
import time

import numpy as np

_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)
del _i, _c

DT_FLOAT, DT_DOUBLE, DT_STRING = 1, 2, 7
DATA_CLASS_SCALAR, DATA_CLASS_TENSOR = 1, 2


def crc32c(data):
    """The CRC-32C (Castagnoli) checksum of ``data``.

    Example:
        >>> hex(crc32c(b"123456789"))
        '0xe3069283'
    """
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    """The checksum as TFRecord files store it (rotated and offset)."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _bytes_field(field, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _key(field, 2) + _varint(len(data)) + data


def _varint_field(field, value):
    return _key(field, 0) + _varint(int(value))


def _double_field(field, value):
    return _key(field, 1) + struct.pack("<d", float(value))


def _metadata(plugin_name, content=b"", data_class=None):
    plugin = _bytes_field(1, plugin_name) + (_bytes_field(2, content) if content else b"")
    out = _bytes_field(1, plugin)
    if data_class is not None:
        out += _varint_field(4, data_class)
    return out


def _shape(dims):
    return b"".join(_bytes_field(2, _varint_field(1, d)) for d in dims)


def scalar_value(tag, value):
    """A ``Summary.Value`` holding a float32 scalar tensor (the TF2 scalar format)."""
    tensor = _varint_field(1, DT_FLOAT) + _bytes_field(2, b"") + \
        _bytes_field(4, struct.pack("<f", float(value)))
    return _bytes_field(1, tag) + _bytes_field(8, tensor) + \
        _bytes_field(9, _metadata("scalars", data_class=DATA_CLASS_SCALAR))


def histogram_value(tag, values, buckets=30):
    """A ``Summary.Value`` holding a ``[buckets, 3]`` float64 tensor (left, right, count)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0:
        data = np.zeros((0, 3))
    else:
        low, high = float(values.min()), float(values.max())
        if low == high:  # one value: a unit-wide range around it
            low, high = low - 0.5, high + 0.5
        counts, edges = np.histogram(values, bins=buckets, range=(low, high))
        data = np.stack([edges[:-1], edges[1:], counts.astype(np.float64)], axis=1)
    tensor = _varint_field(1, DT_DOUBLE) + _bytes_field(2, _shape(data.shape)) + \
        _bytes_field(4, data.astype("<f8").tobytes())
    return _bytes_field(1, tag) + _bytes_field(8, tensor) + \
        _bytes_field(9, _metadata("histograms", data_class=DATA_CLASS_TENSOR))


def text_value(tag, text, plugin_name, content=b""):
    """A ``Summary.Value`` holding a scalar string tensor under ``plugin_name``."""
    tensor = _varint_field(1, DT_STRING) + _bytes_field(2, b"") + _bytes_field(8, text)
    return _bytes_field(1, tag) + _bytes_field(8, tensor) + \
        _bytes_field(9, _metadata(plugin_name, content, DATA_CLASS_TENSOR))


class EventFileWriter:
    """Appends events to one new ``events.out.tfevents.*`` file in ``logdir``.

    The file is created on the first write. Writes are buffered and flushed by
    :meth:`flush` and :meth:`close`.

    Example:
        >>> w = EventFileWriter("logs/train")
        >>> w.add_scalar("epoch_loss", 0.5, step=1)
        >>> w.flush()
    """

    _counter = 0
    _lock = threading.Lock()

    def __init__(self, logdir):
        self.logdir = logdir
        self.path = None
        self._file = None

    def _open(self):
        os.makedirs(self.logdir, exist_ok=True)
        with EventFileWriter._lock:
            EventFileWriter._counter += 1
            counter = EventFileWriter._counter
        name = (f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
                f"{os.getpid()}.{counter}.v2")
        self.path = os.path.join(self.logdir, name)
        self._file = open(self.path, "wb")
        self._write_event(_double_field(1, time.time()) + _bytes_field(3, "brain.Event:2"))

    def _write_event(self, event):
        header = struct.pack("<Q", len(event))
        self._file.write(header + struct.pack("<I", masked_crc32c(header)) + event +
                         struct.pack("<I", masked_crc32c(event)))

    def add_values(self, values, step):
        """Writes one Event whose Summary holds the encoded ``values`` at ``step``."""
        if self._file is None:
            self._open()
        summary = b"".join(_bytes_field(1, v) for v in values)
        event = _double_field(1, time.time()) + _varint_field(2, int(step)) + \
            _bytes_field(5, summary)
        self._write_event(event)

    def add_scalar(self, tag, value, step):
        self.add_values([scalar_value(tag, value)], step)

    def add_histogram(self, tag, values, step, buckets=30):
        self.add_values([histogram_value(tag, values, buckets)], step)

    def add_text(self, tag, text, step, plugin_name="text", content=b""):
        self.add_values([text_value(tag, text, plugin_name, content)], step)

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None


def read_events(path):
    """Reads the raw Event bytes of an event file, checking every checksum.

    Example:
        >>> events = read_events(writer.path)
    """
    out = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if crc != masked_crc32c(header):
            raise ValueError(f"{path}: corrupted record length at byte {pos}.")
        event = data[pos + 12:pos + 12 + length]
        (crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if crc != masked_crc32c(event):
            raise ValueError(f"{path}: corrupted record at byte {pos}.")
        out.append(event)
        pos += 16 + length
    return out
