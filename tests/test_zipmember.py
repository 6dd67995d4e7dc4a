"""zipmember.replace_member: one member rewritten, every other member's bytes kept."""

from __future__ import annotations

import io
import zipfile

import pytest

from register.io.zipmember import replace_member


def _zip(path, members, comment=b""):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
        z.comment = comment


@pytest.mark.parametrize("position", [0, 1, 2])
def test_replaced_member_is_new_and_the_others_are_byte_for_byte(tmp_path, position):
    names = ["a.xml", "docProps/core.xml", "z/big.xml"]
    members = [(n, (n * 500).encode()) for n in names]
    path = tmp_path / "x.zip"
    _zip(path, members, comment=b"kept")
    with zipfile.ZipFile(path) as z:
        raw_before = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
    replace_member(path, names[position], b"<new>\xe6\x96\xb0</new>")
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert z.comment == b"kept"
        assert [i.filename for i in z.infolist()] == names
        for n, data in members:
            want = b"<new>\xe6\x96\xb0</new>" if n == names[position] else data
            assert z.read(n) == want
            if n != names[position]:
                i = z.getinfo(n)
                assert (i.CRC, i.compress_size) == raw_before[n]


def test_a_missing_member_or_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    _zip(path, [("a", b"1")])
    with pytest.raises(ValueError):
        replace_member(path, "nope", b"")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises((ValueError, zipfile.BadZipFile)):
        replace_member(bad, "a", b"")


def test_rewritten_zip_reads_with_a_second_reader(tmp_path):
    path = tmp_path / "x.zip"
    _zip(path, [("a", b"x" * 10000), ("b", b"y")])
    replace_member(path, "a", b"short")
    data = path.read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).read("a") == b"short"
    assert data.count(b"PK\x05\x06") == 1
