"""INP: what the readers found in the cells themselves (formulas, merges, hidden sheets, error
values, JSON entries that are not records).

These findings are made while reading (a formula's missing result is only visible in the file),
put on `Sheet.notes` by the reader and copied into `Register.load_findings` by `load()`. The
family's `check` therefore adds nothing; it exists so the catalogue declares these rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, rule
from ..model import Register

INP_001 = rule(
    "INP-001", "warning", None,
    title=("Formula without a saved result", "計算結果が保存されていない数式"),
    description=(
        "A cell holds a formula but the file has no result saved for it (files written by "
        "programs rather than Excel); the cell is read as empty, never as the formula's text.",
        "セルに数式があるが、その計算結果がファイルに保存されていない（Excel以外のプログラムが"
        "書いたファイル）。セルは空欄として読み、数式の文字列を値としては扱わない。",
    ),
    message=(
        "{sheet}!{cell}: the formula ={formula} has no saved result, so the cell is read as empty.",
        "{sheet}!{cell}：数式 ={formula} の計算結果が保存されていないため、空欄として読みました。",
    ),
    hint=(
        "Open the workbook in Excel and save it (Excel saves every formula's result), or type "
        "the value instead of the formula.",
        "Excelで開いて保存し直す（計算結果が保存されます）か、数式ではなく値を入力してください。",
    ),
    per_event=True,
)
INP_002 = rule(
    "INP-002", "warning", None,
    title=("Merged cell that cannot apply", "適用できない結合セル"),
    description=(
        "A merged range in the data spans several columns or the header row. A range one "
        "column wide gives its value to every row it covers; a range across columns cannot "
        "give one value to several fields, so its value is read only in its first cell.",
        "データ部分の結合セルが複数の列または見出し行にまたがっている。1列だけの結合は"
        "その値を範囲内の全行に適用するが、複数列にまたがる結合は値を先頭のセルだけで読む。",
    ),
    message=(
        "{sheet}!{range}: a merged cell spans {why}; its value {value} is read only in {cell}.",
        "{sheet}!{range}：結合セルが{why_ja}にまたがっているため、値 {value} は {cell} だけで読みました。",
    ),
    hint=(
        "Unmerge the cells and fill in each one.",
        "セルの結合を解除し、各セルに値を入力してください。",
    ),
    per_event=True,
)
INP_003 = rule(
    "INP-003", "warning", None,
    title=("Table on a hidden sheet", "非表示シートの表"),
    description=(
        "A sheet named as a table is hidden; it is read like any other, but whoever opens the "
        "workbook does not see it.",
        "表の名前のシートが非表示になっている。通常どおり読み込むが、ブックを開いた人には見えない。",
    ),
    message=(
        "The sheet {sheet} is hidden but is read as table {table}.",
        "シート「{sheet}」は非表示ですが、表 {table} として読み込みました。",
    ),
    hint=(
        "Unhide the sheet so that readers of the workbook see what the register holds, or "
        "delete it if it is an old copy.",
        "シートを再表示して内容が見えるようにするか、古い写しであれば削除してください。",
    ),
    per_event=True,
)

INP_004 = rule(
    "INP-004", "error", None,
    title=("Table entry that is not a record", "レコードでない表の要素"),
    description=(
        "In a JSON document, an entry of a table's array (or the table itself) is not an object "
        "of columns and values (a string, a number, null, an array); it cannot be read as a "
        "row, so it is not read at all.",
        "JSON文書で、表の配列の要素（または表そのもの）が列名と値のオブジェクトでない"
        "（文字列、数値、null、配列）。行として読めないため、読み込まない。",
    ),
    message=(
        "{pointer}: the entry {value} of table {table} is not a record (an object of columns "
        "and values), so it is not read.",
        "{pointer}：表 {table} の要素 {value} はレコード（列名と値のオブジェクト）ではないため、"
        "読み込みませんでした。",
    ),
    hint=(
        "Write each row of the table as an object of column names and values, or remove the "
        "entry.",
        "表の各行は列名と値のオブジェクトとして記入するか、その要素を削除してください。",
    ),
    per_event=True,
)
INP_005 = rule(
    "INP-005", "warning", None,
    title=("Cell holding an Excel error", "Excelのエラー値のセル"),
    description=(
        "A cell holds one of Excel's error values (#REF!, #N/A, #VALUE!, #DIV/0! …), usually "
        "a formula that failed; it is read as empty, never as the error's text.",
        "セルにExcelのエラー値（#REF!、#N/A、#VALUE!、#DIV/0! など）が入っている。多くは"
        "計算できなかった数式。セルは空欄として読み、エラー値を値としては扱わない。",
    ),
    message=(
        "{sheet}!{cell}: the cell holds the error {error}, so it is read as empty.",
        "{sheet}!{cell}：セルがエラー値 {error} のため、空欄として読みました。",
    ),
    hint=(
        "Fix the formula (#REF!: it refers to a deleted cell or sheet; #N/A: a lookup found "
        "nothing) or type the value instead.",
        "数式を直す（#REF!：削除したセルやシートを参照している、#N/A：検索で見つからない）か、"
        "値を直接入力してください。",
    ),
    per_event=True,
)

WHY_JA = {"columns": "複数の列", "header": "見出し行とデータ"}
WHY_EN = {"columns": "several columns", "header": "the header row and the data"}


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Nothing to add: the readers' INP findings arrive through `reg.load_findings`."""
    return iter(())
