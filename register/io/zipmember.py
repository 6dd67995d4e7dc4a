"""Replacing one member of a zip file in place, copying every other member byte for byte.

The fast xlsx writer stamps `docProps/core.xml` with the wall clock; "same input, same bytes"
needs that one member rewritten. Decompressing and recompressing a million-row sheet would
cost seconds, so the other members' compressed bytes are copied as they are and only the
offsets in the central directory change. Plain zip only (no ZIP64): an xlsx written here is
far below 4 GiB, and anything else is refused.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # local file header, 30 bytes
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # central directory record, 46 bytes
_END = struct.Struct("<4sHHHHIIH")  # end of central directory, 22 bytes
_MAX32 = 0xFFFFFFFF


def replace_member(path: Path, name: str, data: bytes) -> None:
    """Write `data` (deflated) as member `name` of the zip at `path`; other members unchanged."""
    raw = Path(path).read_bytes()
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    end_at = raw.rfind(b"PK\x05\x06")
    if end_at < 0 or not any(i.filename == name for i in infos):
        raise ValueError(f"{path}: no member {name!r} in a plain zip")
    end = list(_END.unpack_from(raw, end_at))
    cd_size, cd_offset = end[5], end[6]
    if cd_offset == _MAX32 or cd_size == _MAX32 or len(infos) != end[4]:
        raise ValueError(f"{path}: ZIP64 or multi-disk zips are not rewritten")
    starts = sorted(i.header_offset for i in infos) + [cd_offset]
    span = {s: starts[k + 1] - s for k, s in enumerate(starts[:-1])}

    body = bytearray(raw[: starts[0]])
    central = bytearray()
    pos = cd_offset
    for info in infos:
        rec = bytearray(raw[pos : pos + _CENTRAL.size])
        fields = list(_CENTRAL.unpack(rec))
        tail_len = fields[10] + fields[11] + fields[12]  # name, extra, comment
        tail = raw[pos + _CENTRAL.size : pos + _CENTRAL.size + tail_len]
        comment = tail[len(tail) - fields[12] :]
        pos += _CENTRAL.size + tail_len
        offset = len(body)
        if info.filename == name:
            deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = deflater.compress(data) + deflater.flush()
            crc = zlib.crc32(data)
            fname = info.filename.encode("utf-8")
            flags = fields[3] & ~0x08  # sizes are in the header: no data descriptor
            body += _LOCAL.pack(
                b"PK\x03\x04", fields[2], flags, zipfile.ZIP_DEFLATED, fields[5], fields[6],
                crc, len(packed), len(data), len(fname), 0,
            )
            body += fname + packed
            fields[3], fields[4], fields[7], fields[8], fields[9] = (
                flags, zipfile.ZIP_DEFLATED, crc, len(packed), len(data),
            )
            fields[10], fields[11] = len(fname), 0  # no extra field for the new member
            tail = fname + comment
        else:
            body += raw[info.header_offset : info.header_offset + span[info.header_offset]]
        fields[16] = offset
        central += _CENTRAL.pack(*fields) + tail
    end[5], end[6] = len(central), len(body)
    Path(path).write_bytes(bytes(body + central + _END.pack(*end) + raw[end_at + _END.size :]))
