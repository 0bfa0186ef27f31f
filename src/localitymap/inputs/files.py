"""Read a spreadsheet-like file into rows of text, keeping source row numbers for messages.

Excel exports are normal input here: UTF-8 with or without a byte-order mark, or Windows-1252
(cp1252, what "CSV" in UK Excel writes); comma, semicolon or tab separated; leading ``#`` comment
lines; trailing blank rows. XLSX workbooks are read with openpyxl (imported only for them).

>>> from pathlib import Path; import tempfile
>>> p = Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes("\\ufeffward,cp\\nFairfield,1,234\\n".encode("utf-8"))
>>> t = read_table(p)
>>> t.encoding, t.rows[0]
('utf-8-sig', (1, ['ward', 'cp']))
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from localitymap.errors import InputError
from localitymap.paths import display_path

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", *EXCEL_SUFFIXES}


@dataclass
class RawTable:
    """Rows of stripped text cells as ``(source row number, cells)``, plus leading comments."""

    source: str
    rows: list[tuple[int, list[str]]]
    comments: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    sheet: str | None = None


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file; raise :class:`InputError` naming the file if it cannot be read."""
    shown = display_path(path)
    if not path.exists():
        raise InputError(f"{shown}: file not found")
    if path.is_dir():
        raise InputError(f"{shown}: is a folder, expected a .csv or .xlsx file")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_xlsx(path, shown, sheet)
    if path.suffix.lower() == ".xls":
        raise InputError(
            f"{shown}: old .xls workbooks are not read", hint="save it as .xlsx or .csv"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(
            f"{shown}: file is empty", hint="export the sheet again with its header row"
        )
    if raw[:4] == b"PK\x03\x04":
        raise InputError(f"{shown}: looks like an Excel workbook", hint="give it a .xlsx name")
    text, encoding = _decode(raw)
    return _parse_csv(text, shown, encoding)


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; otherwise cp1252, which Excel uses for UK 'CSV'."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so nothing is lost.
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return raw.decode("latin-1"), "latin-1"


def _parse_csv(text: str, shown: str, encoding: str) -> RawTable:
    lines = text.splitlines(keepends=True)
    comments: list[str] = []
    start = 0
    while start < len(lines) and lines[start].lstrip().startswith("#"):
        comments.append(lines[start].strip().lstrip("#").strip())
        start += 1
    body = "".join(lines[start:])
    try:
        dialect = csv.Sniffer().sniff(body[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # A cell such as "1,234" in a comma file must be quoted; the sniffer can be fooled by such
    # cells into choosing ';', so only trust a non-comma delimiter that appears on the header line.
    first = body.split("\n", 1)[0]
    if delimiter != "," and delimiter not in first:
        delimiter = ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            rows.append((start + reader.line_num, [c.replace("\xa0", " ").strip() for c in record]))
    except csv.Error as exc:
        raise InputError(f"{shown}:{start + reader.line_num}: cannot parse CSV ({exc})") from None
    return RawTable(source=shown, rows=rows, comments=comments, encoding=encoding)


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise InputError(f"{shown}: cannot open workbook ({type(exc).__name__})") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise InputError(
                f"{shown}: no sheet {sheet!r}", hint=f"sheets are: {', '.join(wb.sheetnames)}"
            )
        rows = [
            (i, [_cell_text(v) for v in values])
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
        title = ws.title
    finally:
        wb.close()
    comments = []
    while rows and rows[0][1] and rows[0][1][0].startswith("#"):
        comments.append(" ".join(c for c in rows.pop(0)[1] if c).lstrip("#").strip())
    if not any(any(c for c in cells) for _, cells in rows):
        raise InputError(f"{shown}: sheet {title!r} is empty")
    return RawTable(source=f"{shown}[{title}]", rows=rows, comments=comments, sheet=title)


def _cell_text(value: object) -> str:
    """Excel cell value as text; whole-number floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()
