"""An .xlsx seen as what it is — a zip of XML parts — inspected before any XML parser runs.

calamine reads the values fast, but it trusts the file: it inflates whatever a part says, and it
allocates the whole rectangle between the first and the last cell (a two-cell sheet with a
value in XFD1048576 asks for 512 GiB and aborts the process). So before calamine opens the
workbook this module checks, with the standard zipfile (which never inflates a part past the
size it declares and verifies each part's CRC):

- that the file is a zip at all (a renamed CSV, an old .xls, a truncated download are named);
- the number of parts, their declared unpacked size (against --max-bytes) and each part's
  compression ratio (a zip bomb);
- that no XML part declares a DOCTYPE or ENTITY (external entities, "billion laughs") and none
  is UTF-16 (where a byte search for declarations would not see them);
- each sheet's extent (the rectangle calamine will allocate) against --max-cells.

It also reads the few facts calamine does not give: which part holds which sheet, formula cells
that have no saved result, and number formats such as `000` that display leading zeros.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from ..limits import ZIP_RATIO_FLOOR, current, over_bytes
from ..model import InputError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
CHUNK = 1 << 20
OVERLAP = 64  # bytes carried between chunks so a pattern split across them is still seen

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384  # XFD
# Each pattern starts with a literal so that `re` scans for it quickly.
PREFIXED_FORMULA = re.compile(rb":f[\s/>]")  # <x:f> in files that prefix the namespace
# A cell reference attribute (r="AB12"); row elements match with no letters (r="12"). The
# fast forms need `r=` written without spaces, as every spreadsheet program writes it; a part
# with spaces around any `=` is scanned with the general forms.
_REF_FAST = rb"""r=["']"""
_REF = rb"""r\s*=\s*["']"""
WIDE3 = (re.compile(_REF_FAST + rb"[A-Za-z]{3}\d"), re.compile(_REF + rb"[A-Za-z]{3}\d"))
WIDE2 = (re.compile(_REF_FAST + rb"[A-Za-z]{2}\d"), re.compile(_REF + rb"[A-Za-z]{2}\d"))
LONG_ROW = (re.compile(_REF_FAST + rb"[A-Za-z]{0,3}\d{7}"), re.compile(_REF + rb"[A-Za-z]{0,3}\d{7}"))
# Four letters or more is past XFD, Excel's last column (calamine would try to allocate the
# rectangle up to it, and abort the process).
WIDE4 = (
    re.compile(_REF_FAST + rb"[A-Za-z]{4,}\d+[\"']"),
    re.compile(_REF + rb"[A-Za-z]{4,}\d+[\"']"),
)
# The sheet's declared extent, <dimension ref="A1:D20"> (before the cells, in the first chunk).
DIMENSION = re.compile(rb"""dimension\s[^>]*?ref\s*=\s*["']([^"']{0,64})""")
EQUALS_SPACE = re.compile(rb"=[ \t\r\n]")
_WS_TO_SPACE = bytes.maketrans(b"\t\r\n", b"   ")
REFS = re.compile(_REF + rb"([A-Za-z]{0,3})(\d{1,12})")
# A cell of type "e": calamine reads its error value (#REF!, #N/A) as an empty cell.
ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")
CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")

REL_NS_OFFICE = "officeDocument"


@dataclass
class PartFacts:
    """What a byte scan of one XML part found."""

    has_formula: bool = False
    has_error: bool = False  # a cell of type `e` (#REF!, #N/A …)
    wide: int = 1  # letters in the widest column reference seen: 1 (A-Z), 2 or 3
    long_rows: bool = False  # a row number of 7 digits or more


@dataclass
class WorkbookFacts:
    """The facts about a workbook that calamine does not give."""

    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name → part name
    padded_styles: dict[int, int] = field(default_factory=dict)  # style index → digits shown
    parts: dict[str, PartFacts] = field(default_factory=dict)


@dataclass
class CellFacts:
    """Per-cell facts of one sheet, positions 0-based (row, column)."""

    formulas_without_value: dict[tuple[int, int], str] = field(default_factory=dict)
    padded: dict[tuple[int, int], int] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # Excel error values


def _sniff(path: Path, display: str) -> None:
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise InputError(display, "is empty (0 bytes), not an .xlsx workbook")
    if head.startswith(OLE2_MAGIC):
        raise InputError(
            display,
            "is an old-format .xls or a password-protected workbook, not an .xlsx; "
            "remove the password and save it as .xlsx",
        )
    if not head.startswith(ZIP_MAGIC):
        raise InputError(
            display,
            "is not an .xlsx workbook: it is not a zip archive (a CSV or text file renamed "
            "to .xlsx?)",
        )


def inspect(path: Path, display: str) -> WorkbookFacts:
    """Check the workbook's zip and XML parts before calamine reads it; return its facts."""
    _sniff(path, display)
    try:
        with zipfile.ZipFile(path) as zf:
            return _inspect_zip(zf, display)
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise InputError(display, f"is damaged or truncated: not a readable zip archive ({exc})") from None
    except (EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError) as exc:
        # NotImplementedError: a compression method zipfile lacks; RuntimeError: encryption
        raise InputError(display, f"is damaged or uses an unsupported zip feature ({exc})") from None


def _inspect_zip(zf: zipfile.ZipFile, display: str) -> WorkbookFacts:
    lim = current()
    infos = zf.infolist()
    if len(infos) > lim.max_zip_entries:
        raise InputError(
            display,
            f"has {len(infos):,} parts, over the limit of {lim.max_zip_entries:,} "
            "(an .xlsx has a few dozen); it is not a workbook Excel wrote",
        )
    total = sum(i.file_size for i in infos)
    if total > lim.max_bytes:
        raise over_bytes(display, total, "unpacks to")
    for i in infos:
        if i.file_size > ZIP_RATIO_FLOOR and i.file_size > lim.max_ratio * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise InputError(
                display,
                f"part {i.filename!r} would unpack {ratio:,} times its packed size "
                f"({i.file_size:,} bytes): refused as a zip bomb",
            )
    facts = WorkbookFacts()
    # The small structural parts are parsed first, with defusedxml (which refuses DTDs itself),
    # so that only sheets pay for the sheet-specific searches.
    _map_sheets(zf, facts, display)
    sheet_of = {part: name for name, part in facts.sheet_parts.items()}
    for i in infos:
        if i.is_dir():
            continue
        part = _scan_part(zf, i, display, sheet_of.get(i.filename))
        if part is not None:
            facts.parts[i.filename] = part
    for name, part_name in facts.sheet_parts.items():
        part = facts.parts.get(part_name)
        if part is not None:
            _check_extent(zf, name, part_name, part, display)
    return facts


def _scan_part(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, sheet: str | None
) -> PartFacts | None:
    """Stream one part; None when it is not XML (images, VBA binaries)."""
    facts = PartFacts()
    tail = b""
    first = True
    tail_seen = False
    for chunk in _chunks(zf, info.filename):
        if first:
            first = False
            start = chunk[:4]
            if start.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(start) > 1 and start[1] == 0):
                raise InputError(
                    display,
                    f"part {info.filename!r} is UTF-16 XML, which Excel never writes; refused",
                )
            if not chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return None
        data = tail + chunk
        if _has_declaration(data):
            raise InputError(
                display,
                f"part {info.filename!r} declares a DOCTYPE or entities; XML entities are "
                "refused (they can read local files or expand without bound)",
            )
        tail = data[-OVERLAP:]
        if sheet is None:
            continue
        if not facts.has_formula and (_has_formula(data) or PREFIXED_FORMULA.search(data)):
            facts.has_formula = True
        if not facts.has_error and ERROR_TYPE.search(data):
            facts.has_error = True
        k = 1 if _spaced_equals(data) else 0
        if m := WIDE4[k].search(data):
            _outside_grid(display, sheet, _ref_text(m.group()))
        dimension = DIMENSION.search(data) if not tail_seen else None  # the first chunk
        tail_seen = True
        if dimension is not None:
            for ref in dimension.group(1).decode("ascii", "replace").split(":"):
                cell = CELL_REF.fullmatch(ref.replace("$", ""))
                if ref and (
                    cell is None
                    or column_number(cell.group(1)) > EXCEL_MAX_COLUMN
                    or int(cell.group(2)) > EXCEL_MAX_ROW
                ):
                    _outside_grid(display, sheet, ref[:32], "declares its extent as")
        if facts.wide < 3 and WIDE3[k].search(data):
            facts.wide = 3
        elif facts.wide < 2 and WIDE2[k].search(data):
            facts.wide = 2
        if not facts.long_rows and LONG_ROW[k].search(data):
            facts.long_rows = True
    return facts


def _ref_text(match: bytes) -> str:
    """The reference of an `r="..."` match, for the message."""
    return match.split(b"=", 1)[1].strip(b" \t\r\n\"'")[:32].decode("ascii", "replace")


def _outside_grid(display: str, sheet: str, ref: str, what: str = "has a cell at") -> None:
    """Refuse a sheet naming a cell beyond A1:XFD1048576: no spreadsheet program writes one,
    and calamine would allocate the rectangle up to it (or abort the process)."""
    raise InputError(
        display,
        f"sheet {sheet!r} {what} {ref!r}, outside Excel's grid (A1:XFD1048576); it is not a "
        "workbook a spreadsheet program wrote",
    )


def _has_declaration(data: bytes) -> bool:
    """`<!` followed by a letter: DOCTYPE, ENTITY, ELEMENT... (comments and CDATA are not)."""
    i = data.find(b"<!")
    while i != -1:
        if data[i + 2 : i + 3].isalpha():
            return True
        i = data.find(b"<!", i + 2)
    return False


def _spaced_equals(data: bytes) -> bool:
    """Whitespace before or after some `=`: attributes written `r = "A1"` (legal XML)."""
    return EQUALS_SPACE.search(data) is not None or b" =" in data.translate(_WS_TO_SPACE)


def _has_formula(data: bytes) -> bool:
    """An `<f>`, `<f ...>` or `<f/>` element (find is faster than a regex here)."""
    i = data.find(b"<f")
    while i != -1:
        if data[i + 2 : i + 3] in (b">", b" ", b"/", b"\t", b"\r", b"\n"):
            return True
        i = data.find(b"<f", i + 2)
    return False


def _chunks(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with zf.open(name) as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                return
            yield chunk


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return zf.read(name)
    except KeyError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(data: bytes, part: str, display: str):
    try:
        return SafeET.fromstring(data)
    except Exception as exc:  # ParseError, and defusedxml's DTD/entity refusals
        raise InputError(display, f"part {part!r} is not well-formed XML ({exc})") from None


def _rels(zf: zipfile.ZipFile, part: str, display: str) -> dict[str, tuple[str, str]]:
    """Relationship Id → (type, resolved target part) for a part's .rels file."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    data = _read_small(zf, rels_name)
    if data is None:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for el in _parse(data, rels_name, display):
        if _local(el.tag) != "Relationship":
            continue
        target = el.get("Target", "")
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        out[el.get("Id", "")] = (el.get("Type", ""), resolved)
    return out


def _map_sheets(zf: zipfile.ZipFile, facts: WorkbookFacts, display: str) -> None:
    """Which part holds each sheet, and which styles show leading zeros."""
    book = "xl/workbook.xml"
    for typ, target in _rels(zf, "", display).values():
        if typ.endswith("/" + REL_NS_OFFICE):
            book = target
    data = _read_small(zf, book)
    if data is None:
        return  # calamine will say what is missing
    rels = _rels(zf, book, display)
    for el in _parse(data, book, display).iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        if rid in rels:
            facts.sheet_parts[el.get("name", "")] = rels[rid][1]
    for typ, target in rels.values():
        if typ.endswith("/styles"):
            facts.padded_styles = _padded_styles(zf, target, display)


def _padded_styles(zf: zipfile.ZipFile, part: str, display: str) -> dict[int, int]:
    """Style index → digit count for cell formats like `000` (IDs whose zeros Excel shows)."""
    data = _read_small(zf, part)
    if data is None:
        return {}
    root = _parse(data, part, display)
    codes: dict[str, str] = {}
    xfs: list[str] = []
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "numFmt":
            codes[el.get("numFmtId", "")] = el.get("formatCode", "")
        elif tag == "cellXfs":
            xfs = [x.get("numFmtId", "0") for x in el if _local(x.tag) == "xf"]
    out: dict[int, int] = {}
    for k, fmt_id in enumerate(xfs):
        code = codes.get(fmt_id, "").split(";")[0].strip().strip('"')
        if len(code) >= 2 and set(code) == {"0"}:
            out[k] = len(code)
    return out


def column_number(letters: str) -> int:
    """Excel column letters → 1-based number (A → 1, XFD → 16384)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _check_extent(
    zf: zipfile.ZipFile, sheet: str, part_name: str, part: PartFacts, display: str
) -> None:
    """Refuse a sheet whose cell rectangle (what calamine allocates) is over --max-cells."""
    limit = current().max_cells
    widest = {1: 26, 2: 702, 3: 16_384}[part.wide]
    if not part.long_rows and widest * _rows_below(zf, part_name) <= limit:
        return  # even a full-height sheet this wide fits: no need to look closer
    max_row = max_col = 0
    tail = b""
    for chunk in _chunks(zf, part_name):
        data = tail + chunk
        # Only complete matches count: the tail is re-scanned with the next chunk.
        cut = len(data) - OVERLAP if len(chunk) == CHUNK else len(data)
        for m in REFS.finditer(data, 0, cut):
            letters, digits = m.group(1), m.group(2)
            max_row = max(max_row, int(digits))
            if letters:
                max_col = max(max_col, column_number(letters.decode()))
        tail = data[cut:]
    extent = max_row * max(max_col, 1)
    if max_row > EXCEL_MAX_ROW or max_col > EXCEL_MAX_COLUMN:
        raise InputError(
            display,
            f"sheet {sheet!r} spans {extent:,} cells: its last cell, at row {max_row:,}, column "
            f"{max_col:,}, is outside Excel's grid (A1:XFD1048576), so it is not a workbook a "
            "spreadsheet program wrote (no --max-cells reads it)",
        )
    if extent > limit:
        raise InputError(
            display,
            f"sheet {sheet!r} spans {extent:,} cells (its last cell is at row {max_row:,}, "
            f"column {max_col:,}), over the limit of {limit:,}; raise it with --max-cells {extent}",
        )


SIX_DIGIT_ROW = re.compile(_REF + rb"[A-Za-z]{0,3}\d{6}")


def _rows_below(zf: zipfile.ZipFile, part_name: str) -> int:
    """A bound on a sheet's last row number when none has 7 digits: 99,999 unless some has 6
    (one search, instead of reading every reference of a long sheet)."""
    tail = b""
    for chunk in _chunks(zf, part_name):
        data = tail + chunk
        if SIX_DIGIT_ROW.search(data):
            return 999_999
        tail = data[-OVERLAP:]
    return 99_999


def cell_facts(path: Path, part_name: str, padded_styles: dict[int, int], display: str) -> CellFacts:
    """Formula cells without a saved value, error cells, and numbers shown with leading zeros,
    of one sheet.

    Runs only for sheets that have formulas or error cells or use a zero-padded format: a streaming parse
    (defusedxml, after the declaration check) that keeps one row in memory.
    """
    out = CellFacts()
    try:
        with zipfile.ZipFile(path) as zf, zf.open(part_name) as f:
            for _event, el in SafeET.iterparse(f, events=("end",)):
                tag = _local(el.tag)
                if tag == "c":
                    _cell(el, padded_styles, out)
                    el.clear()
                elif tag == "row":
                    el.clear()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(display, f"part {part_name!r} cannot be read ({exc})") from None
    return out


def _cell(el, padded_styles: dict[int, int], out: CellFacts) -> None:
    ref = el.get("r")
    m = CELL_REF.fullmatch(ref or "")
    if m is None:
        return
    pos = (int(m.group(2)) - 1, column_number(m.group(1)) - 1)
    formula = value = None
    for child in el:
        tag = _local(child.tag)
        if tag == "f":
            formula = child.text or ""
        elif tag == "v":
            value = child.text
        elif tag == "is":
            value = "".join(child.itertext())
    if el.get("t") == "e":
        out.errors[pos] = (value or "").strip() or "#N/A"
    elif formula is not None and (value is None or value == ""):
        out.formulas_without_value[pos] = formula
    style = el.get("s")
    if style is not None and el.get("t", "n") == "n" and style.isdigit():
        width = padded_styles.get(int(style))
        if width is not None:
            out.padded[pos] = width
