"""Read a spreadsheet-like file into rows of text, keeping source row numbers for messages.

Excel exports are normal input here: UTF-8 with or without a byte-order mark, or Windows-1252
(cp1252, what "CSV" in UK Excel writes); comma, semicolon or tab separated; leading ``#`` comment
lines; trailing blank rows; UTF-16 "Unicode Text" exports (with their byte-order mark). XLSX
workbooks are read with openpyxl (imported only for them). Files that are something else under a
table's name (a PDF, an old .xls, an OpenDocument sheet, a web page) are refused by what they are.

Input text never carries a control character onward: tabs and line breaks inside a cell become
spaces, and other C0/C1 controls and invisible direction marks are removed; each removal is listed
in ``RawTable.cleaned`` so a check can report it.

>>> from pathlib import Path; import tempfile
>>> p = Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes("\\ufeffward,cp\\nFairfield,1,234\\n".encode("utf-8"))
>>> t = read_table(p)
>>> t.encoding, t.rows[0]
('utf-8-sig', (1, ['ward', 'cp']))
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from localitymap.errors import UNSAFE_CHARACTERS, InputError
from localitymap.paths import display_path

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", *EXCEL_SUFFIXES}
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f]+")
#: A whole terminal escape sequence (CSI such as ``ESC[31m``, or OSC such as a hyperlink), removed
#: as one so no ``[31m`` is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"
)
#: What a file really is, from its first bytes, when its name says "table".
_SIGNATURES = (
    (b"%PDF", "a PDF document", "export the table from the original spreadsheet as CSV or XLSX"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook (or another Office 97 file)",
     "open it in Excel and save it as .xlsx or CSV"),
    (b"{\\rtf", "a Rich Text document", "export the table as CSV or XLSX"),
)  # fmt: skip


_INPUTS_READ: set[Path] = set()


def note_input(path: Path) -> None:
    """Remember that this process read ``path`` as an input, so no output is written over it."""
    with contextlib.suppress(OSError):
        _INPUTS_READ.add(path.resolve())


def inputs_read() -> frozenset[Path]:
    """Every input file this process has read (resolved paths)."""
    return frozenset(_INPUTS_READ)


def forget_inputs() -> None:
    """Forget the inputs read so far (for a long-running session that means to replace one)."""
    _INPUTS_READ.clear()


@dataclass
class RawTable:
    """Rows of stripped text cells as ``(source row number, cells)``, plus leading comments."""

    source: str
    rows: list[tuple[int, list[str]]]
    comments: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    sheet: str | None = None
    #: The field separator of a CSV (None for a workbook); ``;`` implies decimal commas.
    delimiter: str | None = ","
    #: Every sheet of a workbook, in order (empty for a CSV).
    sheets: list[str] = field(default_factory=list)
    #: ``(row, column index, code points)`` of cells that had control characters removed.
    cleaned: list[tuple[int, int, str]] = field(default_factory=list)


def clean_cell(text: str) -> tuple[str, str]:
    """A cell's text with line breaks and tabs as single spaces, no-break spaces as spaces, and
    other control or invisible direction characters removed; and the removed code points.

    >>> clean_cell("Child\\nprotection\\u202e plans\\x1b")
    ('Child protection plans', 'U+202E U+001B')
    """
    if text.isprintable():  # the usual cell: no control, format or unusual space character
        return text.strip(), ""
    text = _LINE_BREAKS.sub(" ", text.replace("\xa0", " "))
    removed = " ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in UNSAFE_CHARACTERS.findall(text)))
    if removed:
        text = UNSAFE_CHARACTERS.sub("", _ESCAPE_SEQUENCE.sub("", text))
    return text.strip(), removed


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file; raise :class:`InputError` naming the file if it cannot be read."""
    shown = display_path(path)
    if not path.exists():
        raise InputError(f"{shown}: file not found")
    if path.is_dir():
        raise InputError(f"{shown}: is a folder, expected a .csv or .xlsx file")
    if not path.is_file():
        raise InputError(f"{shown}: not a regular file", hint="give a .csv or .xlsx file")
    note_input(path)
    suffix = path.suffix.lower()
    if suffix in (".ods", ".fods"):
        raise InputError(
            f"{shown}: OpenDocument spreadsheets are not read",
            hint="save it as .xlsx or CSV (File > Save As in LibreOffice Calc)",
        )
    if suffix == ".xls":
        raise InputError(
            f"{shown}: old .xls workbooks are not read", hint="save it as .xlsx or .csv"
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head[:4] == b"PK\x03\x04":
        if b"opendocument" in head[:120]:
            raise InputError(
                f"{shown}: is an OpenDocument spreadsheet (.ods), although named {suffix or 'so'}",
                hint="save it as .xlsx or CSV (File > Save As in LibreOffice Calc)",
            )
        if suffix in EXCEL_SUFFIXES:
            return _read_xlsx(path, shown, sheet)
        raise InputError(f"{shown}: looks like an Excel workbook", hint="give it a .xlsx name")
    for magic, what, hint in _SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"{shown}: not a table: looks like {what}", hint=hint)
    if suffix in EXCEL_SUFFIXES:
        raise InputError(
            f"{shown}: not an Excel workbook, although named {suffix}",
            hint="open it in Excel and save it as .xlsx, or give it a .csv name if it is CSV",
        )
    if re.match(rb"\s*<(!doctype html|html|\?xml|table)", head[:200].lower()):
        raise InputError(
            f"{shown}: not a table: looks like a web page or XML file",
            hint="open it in Excel and save it as .xlsx or CSV",
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(
            f"{shown}: file is empty", hint="export the sheet again with its header row"
        )
    text, encoding = _decode(raw, shown)
    return _parse_csv(text, shown, encoding)


def _decode(raw: bytes, shown: str = "") -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; UTF-16 with its byte-order mark (Excel's "Unicode
    Text"); otherwise cp1252, which Excel uses for UK 'CSV'."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(
                f"{shown}:{line}: marked as UTF-8 but byte 0x{raw[exc.start]:02x} is not UTF-8 "
                "(text pasted from another encoding?)",
                hint="save it again as 'CSV UTF-8 (Comma delimited)', or retype that row",
            ) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(
                f"{shown}: starts as UTF-16 text but is damaged",
                hint="export it again as 'CSV UTF-8 (Comma delimited)'",
            ) from None
    if b"\x00" in raw[:4096]:
        # Text never holds NUL: either UTF-16 without its mark or not text at all.
        even, odd = raw[0:4096:2].count(0), raw[1:4096:2].count(0)
        what = (
            "UTF-16 text without a byte-order mark"
            if max(even, odd) > len(raw[:4096]) // 4 and min(even, odd) < 4
            else "a binary file, not text"
        )
        raise InputError(
            f"{shown}: not a CSV: looks like {what}",
            hint="export it again as 'CSV UTF-8 (Comma delimited)' or as .xlsx",
        )
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so nothing is lost.
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return raw.decode("latin-1"), "latin-1"


def read_text(path: Path) -> tuple[str, str]:
    """A small text file (a scheme lookup, a register) decoded as :func:`read_table` decodes a
    CSV: UTF-8, UTF-16 with a byte-order mark, or cp1252. Returns the text and the encoding."""
    note_input(path)
    return _decode(path.read_bytes(), display_path(path))


def parse_csv_text(text: str, shown: str, encoding: str = "utf-8") -> RawTable:
    """Rows of a CSV text, as :func:`read_table` returns them (for lookups read elsewhere)."""
    return _parse_csv(text, shown, encoding)


def _parse_csv(text: str, shown: str, encoding: str) -> RawTable:
    lines = text.splitlines(keepends=True)
    comments: list[str] = []
    start = 0
    while start < len(lines) and lines[start].lstrip().startswith("#"):
        comments.append(clean_cell(lines[start].strip().lstrip("#"))[0])
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
    cleaned: list[tuple[int, int, str]] = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    ended = 0
    try:
        for record in reader:
            row = start + ended + 1
            spans = reader.line_num - ended
            ended = reader.line_num
            if spans > 1 and _swallowed_rows(record, delimiter):
                raise InputError(
                    f'{shown}:{row}: a quote (") opens in this row and runs on over '
                    f"{spans - 1} more line(s), so rows {row + 1}-{start + ended} were read "
                    "as one cell",
                    hint="remove the stray quote mark, or close it before the next separator",
                )
            cells = []
            for col, raw_cell in enumerate(record):
                cell, removed = clean_cell(raw_cell)
                if removed:
                    cleaned.append((row, col, removed))
                cells.append(cell)
            rows.append((row, cells))
    except csv.Error as exc:
        raise InputError(f"{shown}:{start + ended + 1}: cannot parse CSV ({exc})") from None
    return RawTable(
        source=shown,
        rows=rows,
        comments=comments,
        encoding=encoding,
        delimiter=delimiter,
        cleaned=cleaned,
    )


def _swallowed_rows(record: list[str], delimiter: str) -> bool:
    """True when a cell spanning lines holds whole rows (separators after a line break): a quote
    left open, not a header wrapped with Alt+Enter."""
    return any("\n" in c and delimiter in c.split("\n", 1)[1] for c in record) or (
        bool(record) and record[-1].endswith("\n")
    )


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> RawTable:
    import openpyxl

    try:
        # openpyxl warns about features it drops (data validation, default styles); nothing
        # here needs them and a warning with an install path on stderr only alarms the reader.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise InputError(
            f"{shown}: cannot open workbook ({type(exc).__name__})",
            hint="open it in Excel and save it again as .xlsx, or export CSV",
        ) from None
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            # The first sheet a person sees: a hidden one (a lookup, last year's data) is never
            # read unasked.
            visible = [
                w for w in wb.worksheets if getattr(w, "sheet_state", "visible") == "visible"
            ]
            ws = (visible or wb.worksheets)[0]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise InputError(
                f"{shown}: no sheet {sheet!r}",
                hint=f"sheets are: {', '.join(repr(n) for n in names)}",
            )
        title = ws.title
        cleaned: list[tuple[int, int, str]] = []
        rows = []
        unset: set[tuple[int, int]] = set()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = []
                for col, v in enumerate(values):
                    if v is None:
                        unset.add((i, col))
                    cell, removed = clean_cell(_cell_text(v))
                    if removed:
                        cleaned.append((i, col, removed))
                    cells.append(cell)
                rows.append((i, cells))
    finally:
        wb.close()
    _refuse_uncalculated(path, shown, title, unset)
    comments = []
    while rows and rows[0][1] and rows[0][1][0].startswith("#"):
        comments.append(" ".join(c for c in rows.pop(0)[1] if c).lstrip("#").strip())
    if not any(any(c for c in cells) for _, cells in rows):
        raise InputError(
            f"{shown}: sheet {title!r} is empty",
            hint=_other_sheets_hint(names, title),
        )
    return RawTable(
        source=f"{shown}[{title}]",
        rows=rows,
        comments=comments,
        sheet=title,
        delimiter=None,
        sheets=names,
        cleaned=cleaned,
    )


def _other_sheets_hint(names: list[str], title: str) -> str | None:
    others = [n for n in names if n != title]
    if not others:
        return None
    return (
        "the workbook's sheets are "
        + ", ".join(repr(n) for n in names)
        + (f"; choose one with --sheet {quote_sheet(others[0])}")
    )


def quote_sheet(name: str) -> str:
    """A sheet name as it must be typed on a command line.

    >>> quote_sheet("Data 2019"), quote_sheet("Data")
    ("'Data 2019'", 'Data')
    """
    import shlex

    return shlex.quote(name)


def _refuse_uncalculated(path: Path, shown: str, title: str, unset: set[tuple[int, int]]) -> None:
    """A formula saved without its result (a workbook written by a script, never opened in
    Excel) reads as empty; refuse it by name rather than report the wards as missing."""
    if not unset or not _has_formulas(path):
        return
    import openpyxl
    from openpyxl.utils import get_column_letter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[title]
        found: list[str] = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            for c, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f" and (r, c) in unset:
                    found.append(f"{get_column_letter(c + 1)}{r}")
    finally:
        wb.close()
    if found:
        listed = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
        raise InputError(
            f"{shown}[{title}]: {len(found)} formula cell(s) have no saved result ({listed})",
            hint="open and save it in Excel (so the results are stored), or export CSV",
        )


def _has_formulas(path: Path) -> bool:
    """True when any sheet of the workbook holds a formula element (a quick scan of the XML, so
    the slower second reading is only done for workbooks that have formulas)."""
    import zipfile

    pattern = re.compile(rb"<(?:\w+:)?f[ >/]")
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with z.open(name) as fh:
                    tail = b""
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        if pattern.search(tail + block):
                            return True
                        tail = block[-16:]
    except (OSError, zipfile.BadZipFile):
        return True  # let openpyxl say what is wrong
    return False


def _cell_text(value: object) -> str:
    """Excel cell value as text; whole-number floats lose their '.0'; dates and times as ISO."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def match_columns(headers: list[str], stems: dict[str, list[str]]) -> dict[str, str]:
    """Which header holds each role: the first header (case and spacing aside) matching one of
    the role's patterns, in the order the patterns are given, each header used once. Extracts and
    directories rename their columns by vintage, so roles are found by stem, not by name.

    >>> match_columns(["PCDS", "east 1m"], {"postcode": [r"pcds?"], "easting": [r"(os)?east_?1m"]})
    {'postcode': 'PCDS', 'easting': 'east 1m'}
    """
    import re

    found: dict[str, str] = {}
    used: set[str] = set()
    keys = {h: h.strip().lower().replace(" ", "_") for h in headers}
    for role, patterns in stems.items():
        for pattern in patterns:
            hit = next(
                (h for h, k in keys.items() if h not in used and re.fullmatch(pattern, k)), None
            )
            if hit is not None:
                found[role] = hit
                used.add(hit)
                break
    return found
