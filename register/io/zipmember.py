"""Replacing one member of a zip file in place, leaving every member before it untouched.

The fast xlsx writer stamps `docProps/core.xml` with the wall clock; "same input, same bytes"
needs that one member rewritten. Decompressing and recompressing a million-row sheet would
cost seconds, and even copying it costs a read and a write of the whole file: the members
before the replaced one are left where they are, and only the rest of the file (in an xlsx,
two small property parts and the central directory) is rewritten. Plain zip only (no ZIP64):
an xlsx written here is far below 4 GiB, and anything else is refused.
"""

from __future__ import annotations

import os
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
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    target = next((i for i in infos if i.filename == name), None)
    if target is None:
        raise ValueError(f"{path}: no member {name!r}")
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        tail_from = max(0, size - _END.size - 0xFFFF)  # the end record and its comment
        f.seek(tail_from)
        end_area = f.read()
        end_at = end_area.rfind(b"PK\x05\x06")
        if end_at < 0:
            raise ValueError(f"{path}: not a plain zip")
        end = list(_END.unpack_from(end_area, end_at))
        trailer = end_area[end_at + _END.size :]  # the zip comment
        cd_size, cd_offset = end[5], end[6]
        if cd_offset == _MAX32 or cd_size == _MAX32 or len(infos) != end[4]:
            raise ValueError(f"{path}: ZIP64 or multi-disk zips are not rewritten")
        # Everything from the replaced member on is rewritten; what lies before it stays.
        cut = target.header_offset
        f.seek(cut)
        after = f.read(cd_offset - cut)  # the replaced member and the members after it
        central_raw = f.read(cd_size)

        starts = sorted({i.header_offset for i in infos} | {cd_offset})
        span = {s: starts[k + 1] - s for k, s in enumerate(starts[:-1])}
        body = bytearray()
        central = bytearray()
        pos = 0
        for info in infos:
            fields = list(_CENTRAL.unpack_from(central_raw, pos))
            tail_len = fields[10] + fields[11] + fields[12]  # name, extra, comment
            tail = central_raw[pos + _CENTRAL.size : pos + _CENTRAL.size + tail_len]
            comment = tail[len(tail) - fields[12] :]
            pos += _CENTRAL.size + tail_len
            if info.header_offset < cut:
                central += _CENTRAL.pack(*fields) + tail  # not moved
                continue
            offset = cut + len(body)
            if info is target:
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
                start = info.header_offset - cut
                body += after[start : start + span[info.header_offset]]
            fields[16] = offset
            central += _CENTRAL.pack(*fields) + tail
        end[5], end[6] = len(central), cut + len(body)
        f.seek(cut)
        f.write(bytes(body + central + _END.pack(*end) + trailer))
        f.truncate()
