"""Synthetic registers for the benchmarks: a CSV folder with a provision log of N rows.

The shape follows issue 5: about 1,000 provisions, 2,000 parties and 200,000 principals at
1,000,000 log rows (scaled down for smaller N), events of 1–40 principals with one log row per
principal, a mix of `each`/`bulk` record methods and `consent`/`opt_out` bases. The register is
meant to be valid: every party has an address and a representative, every consent provision
has `consent` true, every opt-out provision is notified before its first event, comes from a
dataset acquired from the principals whose purposes allow third-party provision, carries no
special-care item and is recorded `each` (PRV-002..005, PRV-010); every event names a
principal. Unreferenced parties (REF-003) are warnings, not errors.

Deterministic: the same N and seed give byte-identical files. The big table is built with
numpy and written with polars, so 1,000,000 rows take a few seconds.

    python benchmarks/generate.py OUT_DIR --rows 100000 [--seed 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

GENERATOR_VERSION = 1
SEED = 5
# The events lie in these two years; opt-out notices and provision start dates precede them.
LOG_START = dt.date(2023, 1, 1)
LOG_DAYS = 731
OPTOUT_NOTIFIED_ON = "2022-04-01"
STARTS_ON = "2022-04-01"
AS_OF = "2025-06-30"  # a fixed "today" for the commands that the benchmark runs

_FAMILY = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水".split()
_GIVEN = "翔太 陽菜 蓮 結衣 大翔 美咲 悠真 葵 湊 凛 颯太 さくら 樹 莉子 陸 芽依 奏 花 大和 愛".split()
_ITEMS = (
    ("氏名", "基本情報"), ("住所", "連絡先"), ("メールアドレス", "連絡先"), ("電話番号", "連絡先"),
    ("生年月日", "基本情報"), ("購入履歴", "取引"), ("請求先情報", "取引・決済"),
    ("会員番号", "基本情報"), ("配送先住所", "連絡先"), ("勤務先会社名", "所属"),
)


@dataclass(frozen=True)
class Manifest:
    """What was generated: sizes, the seed, and a principal to ask `disclose` about."""

    rows: int
    seed: int
    events: int
    provisions: int
    parties: int
    principals: int
    disclose_principal: str
    as_of: str
    fingerprint: str


def sizes_for(rows: int) -> tuple[int, int, int]:
    """(provisions, parties, principals) for a log of `rows` rows (1M → 1,000 / 2,000 / 200,000)."""
    provisions = int(min(1000, max(10, rows // 1000)))
    parties = 2 * provisions
    principals = int(min(200_000, max(100, rows // 5)))
    return provisions, parties, principals


def fingerprint(rows: int, seed: int) -> str:
    """Changes whenever this generator's code or its inputs change (the cache key)."""
    code = Path(__file__).read_bytes()
    return hashlib.sha256(code + f"|{rows}|{seed}|{GENERATOR_VERSION}".encode()).hexdigest()[:16]


def _corporate_number(body: int) -> str:
    """A 13-digit corporate number with a correct check digit for a 12-digit body."""
    digits = f"{body:012d}"
    total = sum(int(d) * (1 if k % 2 == 0 else 2) for k, d in enumerate(reversed(digits)))
    return f"{9 - total % 9}{digits}"


def _small_tables(rng: np.random.Generator, n_prov: int, n_parties: int) -> dict[str, pl.DataFrame]:
    items = [f"DI-{k + 1:02d}" for k in range(len(_ITEMS))]
    tables: dict[str, pl.DataFrame] = {
        "organization": pl.DataFrame({
            "name": ["株式会社ベンチマーク商事"],
            "address": ["東京都千代田区丸の内一丁目1番1号"],
            "representative": ["山田 太郎"],
            "contact": ["個人情報お問い合わせ窓口（privacy@bench.example）"],
            "corporate_number": [_corporate_number(10001000001)],
            "country": ["JP"],
        }),
        "data_items": pl.DataFrame({
            "item_id": items,
            "name": [n for n, _ in _ITEMS],
            "legal_class": ["personal"] * len(items),
            "category": [c for _, c in _ITEMS],
        }),
        "purposes": pl.DataFrame({
            "purpose_id": ["PU-01", "PU-02", "PU-03"],
            "description": ["商品の発送", "販売促進のための第三者提供", "与信審査"],
            "third_party_provision": ["true", "true", "false"],
        }),
        "datasets": pl.DataFrame({
            "dataset_id": ["DS-01"],
            "name": ["顧客データベース"],
            "subjects": ["顧客"],
            "item_ids": [";".join(items)],
            "purpose_ids": ["PU-01;PU-02;PU-03"],
            "source": ["principal"],
            "storage": ["顧客管理システム"],
            "record_count": ["200000"],
        }),
    }
    k = np.arange(n_parties)
    tables["parties"] = pl.DataFrame({
        "party_id": [f"PT-{i + 1:05d}" for i in k],
        "name": [f"株式会社取引先{i + 1:05d}" for i in k],
        "kind": ["corporation"] * n_parties,
        "address": [f"大阪府大阪市北区梅田{i % 9 + 1}丁目{i % 30 + 1}番{i % 20 + 1}号" for i in k],
        "representative": [f"{_FAMILY[i % 20]} {_GIVEN[(i // 20) % 20]}" for i in k],
        "country": ["JP"] * n_parties,
        "corporate_number": [_corporate_number(20002000000 + i) for i in k],
    })
    # Provisions: 70 % consent (half each, half bulk), 30 % opt-out (always each).
    # by position, not by chance, so even ten provisions hold every combination
    pos = np.arange(n_prov) % 10
    opt_out = np.isin(pos, (2, 5, 8))
    bulk = (~opt_out) & (pos % 2 == 1)
    first = rng.integers(0, len(items), n_prov)
    count = rng.integers(1, 5, n_prov)
    prov_items = [
        ";".join(items[(f + j) % len(items)] for j in range(c)) for f, c in zip(first, count, strict=True)
    ]
    tables["provisions"] = pl.DataFrame({
        "provision_id": [f"PR-{i + 1:04d}" for i in range(n_prov)],
        # party i goes to provision i: the second half of the parties is referenced by none
        "party_id": [f"PT-{i + 1:05d}" for i in range(n_prov)],
        "basis": ["opt_out" if o else "consent" for o in opt_out],
        "item_ids": prov_items,
        "dataset_id": ["DS-01"] * n_prov,
        "purpose": ["販売促進のため" if o else "商品の配送のため" for o in opt_out],
        "consent": [None if o else "true" for o in opt_out],
        "consent_evidence": [None if o else "会員登録画面の同意ログ" for o in opt_out],
        "optout_notified_on": [OPTOUT_NOTIFIED_ON if o else None for o in opt_out],
        "record_method": ["bulk" if b else "each" for b in bulk],
        "starts_on": [STARTS_ON] * n_prov,
    })
    return tables


def _log(rng: np.random.Generator, rows: int, n_prov: int, n_principals: int,
         prov_first_item: list[str]) -> pl.DataFrame:
    """The provision log: events of 1–40 principals, one row per principal."""
    sizes = rng.integers(1, 41, size=rows // 20 + 64)
    while sizes.sum() < rows:  # pragma: no cover - 64 spare events make this rare
        sizes = np.concatenate([sizes, rng.integers(1, 41, size=64)])
    ends = np.cumsum(sizes)
    n_events = int(np.searchsorted(ends, rows) + 1)
    sizes = sizes[:n_events].copy()
    sizes[-1] -= int(ends[n_events - 1] - rows)
    event_of_row = np.repeat(np.arange(n_events), sizes)
    ev_prov = rng.integers(0, n_prov, n_events)
    ev_day = rng.integers(0, LOG_DAYS, n_events)
    ev_items = rng.random(n_events) < 0.2  # the event names its items (the provision's first)
    ev_recorded = rng.random(n_events) < 0.1  # recorded_on given (the provision date)
    principal = rng.integers(0, n_principals, rows)
    first_items = pl.Series("fi", prov_first_item, dtype=pl.Utf8)
    date = (pl.lit(LOG_START) + pl.duration(days=pl.col("day"))).dt.to_string("%Y-%m-%d")
    df = pl.DataFrame({
        "ev": event_of_row.astype(np.int64),
        "prov": ev_prov[event_of_row].astype(np.int64),
        "day": ev_day[event_of_row].astype(np.int64),
        "items": ev_items[event_of_row],
        "rec": ev_recorded[event_of_row],
        "pr": principal.astype(np.int64),
    })
    return df.select(
        pl.format("E-{}", (pl.col("ev") + 1).cast(pl.Utf8).str.zfill(7)).alias("event_id"),
        pl.format("PR-{}", (pl.col("prov") + 1).cast(pl.Utf8).str.zfill(4)).alias("provision_id"),
        date.alias("provided_on"),
        pl.format("CU-{}", (pl.col("pr") + 1).cast(pl.Utf8).str.zfill(6)).alias("principal_ids"),
        pl.when(pl.col("items")).then(pl.lit(first_items).gather(pl.col("prov"))).alias("item_ids"),
        pl.when(pl.col("rec")).then(date).alias("recorded_on"),
    )


def _principals(n: int) -> pl.DataFrame:
    k = pl.int_range(0, n, eager=True)
    family = pl.Series(_FAMILY)
    given = pl.Series(_GIVEN)
    return pl.DataFrame({"k": k}).select(
        pl.format("CU-{}", (pl.col("k") + 1).cast(pl.Utf8).str.zfill(6)).alias("principal_id"),
        pl.concat_str(
            [pl.lit(family).gather(pl.col("k") % 20), pl.lit(given).gather((pl.col("k") // 20) % 20)], separator=" "
        ).alias("name"),
    )


def generate(out: Path, rows: int, seed: int = SEED) -> Manifest:
    """Write a CSV-folder register with a provision log of `rows` rows into `out`."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    n_prov, n_parties, n_principals = sizes_for(rows)
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.csv"):
        old.unlink()
    tables = _small_tables(rng, n_prov, n_parties)
    first_item = tables["provisions"]["item_ids"].str.split(";").list.first().to_list()
    log = _log(rng, rows, n_prov, n_principals, first_item)
    tables["provision_log"] = log
    tables["principals"] = _principals(n_principals)
    for name, df in tables.items():
        df.write_csv(out / f"{name}.csv")
    manifest = Manifest(
        rows=log.height,
        seed=seed,
        events=int(log["event_id"].n_unique()),
        provisions=n_prov,
        parties=n_parties,
        principals=n_principals,
        disclose_principal=log["principal_ids"][0],
        as_of=AS_OF,
        fingerprint=fingerprint(rows, seed),
    )
    return manifest


def ensure(cache: Path, rows: int, seed: int = SEED) -> tuple[Path, Manifest]:
    """The register for (rows, seed) under `cache`, generated unless an up-to-date one is there."""
    base = cache / f"n{rows}-s{seed}"
    folder = base / "register"
    mpath = base / "manifest.json"
    want = fingerprint(rows, seed)
    if mpath.exists():
        data = json.loads(mpath.read_text(encoding="utf-8"))
        if data.get("fingerprint") == want and (folder / "provision_log.csv").exists():
            return folder, Manifest(**data)
    manifest = generate(folder, rows, seed)
    mpath.write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    return folder, manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: write one register."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="output folder (its *.csv files are replaced)")
    ap.add_argument("--rows", type=int, default=10_000, help="provision_log rows")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    m = generate(args.out, args.rows, args.seed)
    print(json.dumps(asdict(m), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
