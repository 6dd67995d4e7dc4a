"""The auditor report in a real browser: headless Chromium screenshots it and prints it to PDF.

Skipped, with the reason shown, when no Chromium is installed (`.ci/run` installs Debian's
`chromium` before `make test`).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from register import api
from register.report import write_report

from .report_support import base_register, many_parties, write

AS_OF = dt.date(2025, 3, 31)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SECTION_TITLES_EN = (
    "Organization and inputs",
    "Summary of findings",
    "Recipients: route, record and findings",
    "All findings",
    "Inventory of personal data",
    "Flow map",
    "Outsourcing contractors",
    "Joint uses",
    "Cross-border recipients",
    "Records and retention",
    "Flows without a record",
)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = find_chromium()
    if exe is None:
        pytest.skip("no Chromium found (chromium, chromium-browser, google-chrome on PATH or /usr/bin/chromium)")
    return exe


def run_chromium(exe: str, tmp_path: Path, *args: str) -> None:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    subprocess.run(
        [exe, *FLAGS, f"--user-data-dir={profile}", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def pdf_text(path: Path) -> tuple[int, str]:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra: pip install -e .[test]")
    reader = pypdf.PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # NFKC undoes the typographic ligatures a PDF may hold ("ﬁ" in "findings").
    return len(reader.pages), unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_screenshot_and_pdf(chromium, tmp_path, lang):
    analysis = api.check(write(tmp_path, base_register()), AS_OF)
    html = write_report(analysis, tmp_path / "report.html", lang)
    png, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    run_chromium(chromium, tmp_path, "--window-size=1200,2000", f"--screenshot={png}", html.as_uri())
    run_chromium(chromium, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.stat().st_size > 10_000
    pages, text = pdf_text(pdf)
    # sections start on new pages: at least one page per section
    assert pages >= 12
    if lang == "en":
        flat = " ".join(text.split())
        for title in SECTION_TITLES_EN:
            assert title in flat, title
        assert "PV-BAD" in flat and "ENT-004" in flat
    else:
        # Japanese glyphs need a CJK font on the machine; IDs and rule codes always extract.
        assert "ENT-004" in text and "PRV-002" in text


def test_large_map_prints(chromium, tmp_path):
    analysis = api.check(write(tmp_path, many_parties(60, 2)), AS_OF)
    html = write_report(analysis, tmp_path / "big.html", "en")
    pdf = tmp_path / "big.pdf"
    run_chromium(chromium, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    _, text = pdf_text(pdf)
    flat = " ".join(text.split())
    # every recipient appears in the printed map or its table
    for i in (0, 30, 59):
        assert f"Recipient number {i} KK" in flat
