"""Countries (ISO 3166-1 alpha-2), the PPC's equivalent-system list, and corporate numbers.

The country list itself comes from ``pycountry`` (the Debian iso-codes data), so it is never
typed in by hand here; only the equivalent-system designation, which is a legal fact and not
a property of ISO data, is written out below with its source, and the short table of the
Japanese names officers write that the catalogue lacks (docs/japanese.md §5).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache
from typing import Literal

import polars as pl
import pycountry

__all__ = [
    "ALIASES",
    "EQUIVALENT_AS_OF",
    "EQUIVALENT_COUNTRIES",
    "EQUIVALENT_SOURCE",
    "corporate_number_ok",
    "corporate_numbers_ok_series",
    "country_candidates",
    "country_name",
    "is_equivalent",
    "normalize_country",
]

# Only officially assigned alpha-2 codes: pycountry omits user-assigned ones such as XK.
_ALPHA2: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)

# Codes people write that ISO spells differently: EU documents use EL for Greece, and UK is
# the everyday name (and an exceptionally reserved code) for the United Kingdom.
ALIASES: dict[str, str] = {"UK": "GB", "EL": "GR"}


# How officers write countries (docs/japanese.md §5): the table is fixed by the spec; every name,
# common name and official name of the iso-codes Japanese catalogue is accepted besides.
JAPANESE_NAMES: dict[str, str] = {
    "日本": "JP", "日本国": "JP",
    "米国": "US", "アメリカ": "US", "アメリカ合衆国": "US",
    "英国": "GB", "イギリス": "GB",
    "中国": "CN",
    "韓国": "KR", "大韓民国": "KR",
    "台湾": "TW", "香港": "HK", "シンガポール": "SG", "インド": "IN", "ベトナム": "VN",
    "フィリピン": "PH", "タイ": "TH", "インドネシア": "ID", "マレーシア": "MY",
    "オーストラリア": "AU", "豪州": "AU",
    "カナダ": "CA", "ドイツ": "DE", "フランス": "FR", "アイルランド": "IE", "オランダ": "NL",
}


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip().casefold()


def japanese_name_index(catalogue: gettext.NullTranslations | None = None) -> dict[str, frozenset[str]]:
    """Folded Japanese name → the codes it names: the table, and each country's ``name``,
    ``common_name`` and ``official_name`` as the catalogue translates them (an untranslated
    English name is not a Japanese name). A name naming two codes stays in with both: it is
    refused, not guessed."""
    catalogue = catalogue or _japanese()
    index: dict[str, set[str]] = {}
    for name, code in JAPANESE_NAMES.items():
        index.setdefault(_fold(name), set()).add(code)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            english = getattr(country, attr, None)
            if not english:
                continue
            japanese = catalogue.gettext(english)
            if japanese and japanese != english:
                index.setdefault(_fold(japanese), set()).add(country.alpha_2)
    return {k: frozenset(v) for k, v in index.items()}


@cache
def _japanese_index() -> dict[str, frozenset[str]]:
    return japanese_name_index()


def country_candidates(s: str | None) -> frozenset[str]:
    """Every code ``s`` could name: one for a code or an unambiguous name, several for an
    ambiguous Japanese name, none for anything else (a region such as ヨーロッパ or EU)."""
    if not isinstance(s, str):
        return frozenset()
    code = unicodedata.normalize("NFKC", s).strip().upper()
    code = ALIASES.get(code, code)
    if code in _ALPHA2:
        return frozenset({code})
    return _japanese_index().get(_fold(s), frozenset())


def normalize_country(s: str | None) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for ``s`` (NFKC, trimmed, upper-cased, aliases
    ``UK``->``GB`` and ``EL``->``GR`` applied), or for a Japanese country name (``米国``,
    ``イギリス``; docs/japanese.md §5); ``None`` if it is neither, or a name of two countries."""
    codes = country_candidates(s)
    return next(iter(codes)) if len(codes) == 1 else None


@cache
def _japanese() -> gettext.NullTranslations:
    # pycountry ships the iso-codes gettext catalogues; fallback=True gives NullTranslations
    # (English passes through) if a build of pycountry comes without them.
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)


def country_name(code: str, lang: Literal["en", "ja"] = "en") -> str:
    """The short name of a country in English or Japanese (``"GB"`` -> ``"United Kingdom"`` /
    ``"英国"``).

    The common name is preferred where ISO has one (``"South Korea"`` rather than ``"Korea,
    Republic of"``). Japanese comes from pycountry's translations, English where a name has
    none. A code that is not an assigned country is returned unchanged, so reports can still
    show what the register said.
    """
    if lang not in ("en", "ja"):
        raise ValueError(f"unsupported language: {lang!r}")
    normalized = normalize_country(code)
    if normalized is None:
        return code
    country = pycountry.countries.get(alpha_2=normalized)
    name: str = getattr(country, "common_name", None) or country.name
    if lang == "ja":
        return _japanese().gettext(name)
    return name


# --------------------------------------------------------------------------------------------
# Countries with a personal-information protection system equivalent to Japan's (APPI Art 28(1))
# --------------------------------------------------------------------------------------------

EQUIVALENT_SOURCE = (
    "PPC Notice No. 1 of 2019 (個人情報保護委員会告示第1号), as amended; APPI Rules Art 15"
)

_EU_MEMBER_STATES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
# The EEA is the EU plus these three EFTA states.
_EEA_EFTA_STATES = frozenset({"IS", "LI", "NO"})

EQUIVALENT_COUNTRIES: frozenset[str] = _EU_MEMBER_STATES | _EEA_EFTA_STATES | {"GB"}

# The day this list was last reviewed against the Notice (the data model states the list but
# not when the UK designation was last confirmed). Re-check the Notice when changing it.
EQUIVALENT_AS_OF = "2026-11-21"


def is_equivalent(code: str | None) -> bool:
    """True if ``code`` (any accepted spelling) is an equivalent-system country."""
    normalized = normalize_country(code)
    return normalized is not None and normalized in EQUIVALENT_COUNTRIES


# --------------------------------------------------------------------------------------------
# 法人番号 (corporate number)
# --------------------------------------------------------------------------------------------

_CORPORATE_NUMBER_RE = re.compile(r"[0-9]{13}", re.ASCII)


def corporate_number_ok(s: str) -> bool:
    """True if ``s`` (after NFKC and trimming) is 13 digits with a correct check digit.

    The first digit is the check digit: ``9 - (sum(digit * weight) mod 9)`` over the other
    twelve, the weights alternating 1, 2, 1, 2 ... from the rightmost digit (the National Tax
    Agency's published definition). Being mod 9, the scheme cannot see a 0 replaced by a 9 or
    vice versa.
    """
    if not isinstance(s, str):
        return False
    text = unicodedata.normalize("NFKC", s).strip()
    if _CORPORATE_NUMBER_RE.fullmatch(text) is None:
        return False
    body = text[1:]
    total = sum(
        int(digit) * (1 if position % 2 == 0 else 2)
        for position, digit in enumerate(reversed(body))
    )
    return int(text[0]) == 9 - total % 9


def corporate_numbers_ok_series(s: pl.Series) -> pl.Series:
    """Vectorised :func:`corporate_number_ok` for text already NFKC'd and trimmed (null stays
    null): the check digit computed over whole columns, for the thousands of parties a big
    register names."""
    text = pl.col("t")
    digit = [text.str.slice(k, 1).cast(pl.Int32, strict=False) for k in range(13)]
    # body digit k (1..12) sits 12 - k places from the right: weight 1 at even places, 2 at odd
    total = pl.sum_horizontal([digit[k] * (1 if (12 - k) % 2 == 0 else 2) for k in range(1, 13)])
    ok = text.str.contains(r"^[0-9]{13}$") & (digit[0] == 9 - total % 9)
    return pl.DataFrame({"t": s}).select(ok.alias(s.name)).to_series()
