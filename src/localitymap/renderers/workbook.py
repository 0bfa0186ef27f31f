"""Workbooks to the Analysis Function's guidance "Releasing statistics in spreadsheets", shared by
the report (:func:`localitymap.renderers.documents.to_xlsx`) and ``rollup --format xlsx``.

Every workbook has a Cover sheet (title, what the data is, period, source, status, publication
date, contact, symbols; prints on one page), a Contents sheet linking to each sheet, a Notes sheet
of numbered notes (``[note 1]``) that the tables refer to, then one table per sheet: its title in
A1 in a heading cell style, a line saying what the sheet holds and which notes apply, and the
table marked as a named Excel table. No cell inside a table is empty (``[c]`` confidential,
``[x]`` not available, ``[z]`` not applicable); numbers are stored as numbers with a thousands
format, and a figure that is a range or a bound keeps its number column clean by putting the
ends of the range in their own columns. Document title, subject and language (en-GB) are set.

ONS's ``gptables`` writes such workbooks too; it was tried and not used (see the README): it
writes through XlsxWriter, which by default turns text beginning ``=`` into a formula, cannot
set the document language, and rejects cells such as ``▲`` that hold only symbols, while the
rest of the package writes openpyxl workbooks.

>>> sheet = Sheet("Counts", "Table 1: Count", ["Locality", "Count"], [["North", 1200]],
...               kinds=["text", "count"])
>>> book = write_workbook(title="Demand", cover=[("Status", "Illustrative")], notes=["A note."],
...                       sheets=[sheet])
>>> book[:2]
b'PK'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from localitymap.publication.report import Cell, Table

NUMBER_FORMATS = {"count": "#,##0", "share": "0.0%", "rate": "#,##0.0", "rank": "0"}
SYMBOLS = {
    "[c]": "confidential: a figure suppressed to protect children's privacy",
    "[x]": "not available: the figure is not known, or cannot be worked out",
    "[z]": "not applicable: there is no such figure (for example, a borough total's rank)",
}
NUMERIC = tuple(NUMBER_FORMATS)
# The cover's one column, in characters: narrow enough to print inside A4 portrait's margins at
# 100% in Excel and LibreOffice alike (fit-to-page is set too, but not every program honours it).
COVER_WIDTH = 70
LOW, HIGH = "lowest possible", "highest possible"
RANGE_NOTE = (
    f"'{LOW}' and '{HIGH}': where suppressed or missing ward figures leave a figure open, the "
    "range it lies in; equal to the figure where it is exact. A figure that is only a range is "
    "[x] in its own column."
)
SIGNIFICANCE = {
    "higher": "higher ▲",
    "lower": "lower ▼",
    "similar": "not significantly different",
    "uncertain": "uncertain (suppressed figures could change it)",
}


@dataclass
class Sheet:
    """One table on its own sheet: ``name`` (tab), ``title`` (A1), column names, rows of values
    (numbers, or text such as a symbol) and each column's kind (``text``, ``count``, ``share``,
    ``rate``, ``rank``); ``notes`` are the texts of the notes that apply to it."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    kinds: list[str]
    notes: list[str] = field(default_factory=list)
    about: str = ""


def marking(*, public: bool, illustrative: bool) -> str:
    """What every sheet of a workbook says of itself, and prints in its page header: whether it
    may be published and whether its data is invented ("" for real data under a public policy).

    >>> marking(public=False, illustrative=True)
    'NOT FOR PUBLICATION: internal use only; ILLUSTRATIVE DATA'
    """
    parts = [] if public else ["NOT FOR PUBLICATION: internal use only"]
    if illustrative:
        parts.append("ILLUSTRATIVE DATA")
    return "; ".join(parts)


def write_workbook(
    *,
    title: str,
    cover: list[tuple[str, str]],
    notes: list[str],
    sheets: list[Sheet],
    subject: str = "",
    warning: str = "",
    mark: str = "",
) -> bytes:
    """The workbook as bytes: Cover (``title``, then each ``(heading, text)`` of ``cover``),
    Contents, Notes (``notes`` and every sheet's own notes, numbered once) and the ``sheets``.
    ``mark`` (see :func:`marking`) goes under every table's title and in every sheet's printed
    header, so a sheet copied or printed on its own still says what it is."""
    from localitymap.renderers.export import gc_paused

    with gc_paused():
        return _write_workbook(
            title=title, cover=cover, notes=notes, sheets=sheets, subject=subject,
            warning=warning, mark=mark,
        )  # fmt: skip


def _write_workbook(
    *,
    title: str,
    cover: list[tuple[str, str]],
    notes: list[str],
    sheets: list[Sheet],
    subject: str,
    warning: str,
    mark: str,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from localitymap.renderers.export import workbook_bytes

    for s in sheets:
        if any(LOW in c for c in s.columns) and RANGE_NOTE not in s.notes:
            s.notes.append(RANGE_NOTE)
    all_notes = list(dict.fromkeys([*notes, *(n for s in sheets for n in s.notes)]))
    number = {n: k for k, n in enumerate(all_notes, start=1)}
    used = sorted({v for s in sheets for r in s.rows for v in r if v in SYMBOLS})

    wb = Workbook()
    ws = wb.active
    ws.title = "Cover"
    _styled(_text(ws.cell(row=1, column=1), title), "Title")
    row = 2
    if warning:
        cell = _text(ws.cell(row=row, column=1), warning)
        cell.font = Font(name="Calibri", bold=True, color="9C0006")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(ws, row, warning, COVER_WIDTH)
        row += 1
    blocks = list(cover)
    blocks.append(("Contents", "The Contents sheet lists and links to every sheet."))
    if all_notes:
        blocks.append(
            (
                "Notes",
                f"The Notes sheet holds {len(all_notes)} numbered notes; each table "
                "sheet says, under its title, which of them apply.",
            )
        )
    if used:
        blocks.append(("Symbols", "; ".join(f"{s} {SYMBOLS[s]}" for s in used) + "."))
    for heading, text in blocks:
        _styled(_text(ws.cell(row=row, column=1), heading), "Headline 2")
        row += 1
        cell = _text(ws.cell(row=row, column=1), text or "Not stated.")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(ws, row, text, COVER_WIDTH)
        row += 1
    ws.column_dimensions["A"].width = COVER_WIDTH
    _page(ws, 0, 1, row, one_page=True)

    contents = wb.create_sheet("Contents")
    contents.column_dimensions["A"].width = 18
    contents.column_dimensions["B"].width = 90
    top = _heading(
        contents, "Contents", "This worksheet contains one table: the sheets of this workbook.", 108
    )
    entries = [("Notes", "Notes")] if all_notes else []
    entries += [(s.name, s.title) for s in sheets]
    _header(contents, top, ["Worksheet name", "Worksheet title"])
    for k, (name, what) in enumerate(entries, start=top + 1):
        cell = _text(contents.cell(row=k, column=1), name)
        # An internal link (location), not an external target: Excel and LibreOffice both follow it.
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1", display=name)
        cell.style = "Hyperlink"
        _text(contents.cell(row=k, column=2), what)
    _named_table(contents, "contents", top, top + len(entries), 2)
    _page(contents, top, 2, top + len(entries))

    if all_notes:
        ns = wb.create_sheet("Notes")
        ns.column_dimensions["A"].width = 14
        ns.column_dimensions["B"].width = 90
        top = _heading(ns, "Notes", "This worksheet contains one table of numbered notes.", 104)
        _header(ns, top, ["Note number", "Note text"])
        for k, note in enumerate(all_notes, start=1):
            _text(ns.cell(row=top + k, column=1), f"[note {k}]")
            cell = _text(ns.cell(row=top + k, column=2), note)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            _fit_height(ns, top + k, note, 90)
        _named_table(ns, "notes", top, top + len(all_notes), 2)
        _page(ns, top, 2, top + len(all_notes))

    for s in sheets:
        ws = wb.create_sheet(s.name)
        refs = ", ".join(f"[note {k}]" for k in sorted({number[n] for n in s.notes}))
        line = s.about or f"This worksheet contains one table of {len(s.rows)} rows."
        if refs:
            line += f" Notes: {refs}."
        width = _widths(ws, s)
        top = _heading(ws, s.title, line, width, mark)
        _header(ws, top, s.columns)
        _fill(ws, s, top + 1)
        _named_table(ws, _table_name(s.name), top, top + len(s.rows), len(s.columns))
        ws.freeze_panes = ws.cell(row=top + 1, column=2)
        _header_height(ws, s.columns, top)
        _page(ws, top, len(s.columns), top + len(s.rows))

    if mark:
        for ws in wb.worksheets:
            ws.oddHeader.center.text = mark
    props = wb.properties
    props.title, props.subject, props.language = title, subject, "en-GB"
    props.keywords = "children's services; localities; wards; statistics"
    props.description = cover[0][1] if cover else ""
    return workbook_bytes(wb)


def _text(cell: Any, text: str) -> Any:
    """Text that stays text: openpyxl would store a string starting with = as a formula."""
    cell.value = text
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _fit_height(ws: Any, row: int, text: str, width: int) -> None:
    """Room for wrapped text: LibreOffice does not grow a row to fit it when the file opens."""
    lines = sum(max(1, -(-len(part) // int(width * 0.95))) for part in str(text).split("\n"))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _styled(cell: Any, style: str) -> None:
    """A heading cell style (so assistive technology knows it is a heading) in the workbook's
    one font family: the built-in Title style would bring in Cambria."""
    from copy import copy

    cell.style = style
    font = copy(cell.font)
    font.name = "Calibri"
    cell.font = font
    if style in ("Title", "Headline 1"):  # 15-18 pt: a default row would clip it in print
        cell.parent.row_dimensions[cell.row].height = 26


def _heading(ws: Any, title: str, line: str, width: float, mark: str = "") -> int:
    """Title in A1, then the line saying what the sheet holds, wrapped to the table's width one
    row per line (text running past the table would widen the printed page), then ``mark`` in
    bold on its own row; returns the row the table's header goes in."""
    import textwrap

    from openpyxl.styles import Font

    _styled(_text(ws["A1"], title), "Headline 1")
    lines = textwrap.wrap(line, max(30, int(width * 0.9)))
    for k, text in enumerate(lines, start=2):
        _text(ws.cell(row=k, column=1), text)
    row = 2 + len(lines)
    if mark:
        _text(ws.cell(row=row, column=1), mark).font = Font(name="Calibri", bold=True)
        row += 1
    return row


def _header(ws: Any, row: int, names: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    for j, name in enumerate(names, start=1):
        cell = _text(ws.cell(row=row, column=j), name)
        cell.font = Font(name="Calibri", bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _fill(ws: Any, s: Sheet, first: int) -> None:
    """The table's rows from row ``first``: numbers as numbers in their column's format, text
    (symbols) in a figure column aligned right, text that starts like a formula kept as text.

    A national workbook holds millions of cells: each cell is made once with a ready style
    (copied from one made per kind) rather than styled attribute by attribute, which costs a
    look-up in the workbook's style tables per attribute and cell."""
    from copy import copy

    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment

    from localitymap.renderers.safety import FORMULA_START

    probe = Cell(ws, row=first, column=1)  # never stored in the sheet
    number_style, text_style = {}, {}
    # In the sheet's order: a set's order changes with the hash seed, and with it which number
    # format gets which id in the file.
    for kind in dict.fromkeys(s.kinds):
        probe.number_format = NUMBER_FORMATS.get(kind, "General")
        number_style[kind] = copy(probe._style)
        probe.number_format = "General"
        probe.alignment = Alignment(horizontal="right") if kind in NUMERIC else Alignment()
        text_style[kind] = copy(probe._style)
        probe.alignment = Alignment()
    quoted = copy(probe._style)
    quoted.quotePrefix = True
    cells = ws._cells  # openpyxl's own store: ws.cell() costs two look-ups per cell
    for i, values in enumerate(s.rows, start=first):
        for j, (value, kind) in enumerate(zip(values, s.kinds, strict=True), start=1):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells[(i, j)] = Cell(ws, row=i, column=j, value=value,
                                     style_array=copy(number_style[kind]))  # fmt: skip
                continue
            text = str(value)
            if text.startswith(FORMULA_START):
                cell = Cell(ws, row=i, column=j, value=text, style_array=copy(quoted))
                cell.data_type = "s"
                if kind in NUMERIC:
                    cell.alignment = Alignment(horizontal="right")
            else:
                cell = Cell(ws, row=i, column=j, value=text, style_array=copy(text_style[kind]))
            cells[(i, j)] = cell


def _table_name(sheet: str) -> str:
    """An Excel table name from a sheet name: letters, digits and underscores."""
    return re.sub(r"\W+", "_", sheet).strip("_").lower() or "table"


def _named_table(ws: Any, name: str, top: int, bottom: int, width: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    t = Table(displayName=name, ref=f"A{top}:{get_column_letter(width)}{max(bottom, top + 1)}")
    t.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(t)


def _widths(ws: Any, s: Sheet) -> float:
    """Each column as wide as its longest figure or header word (9 to 45 characters); returns
    the table's whole width."""
    from openpyxl.utils import get_column_letter

    total = 0.0
    for j, name in enumerate(s.columns, start=1):
        longest = max((len(_shown(r[j - 1])) for r in s.rows), default=4)
        header = max(len(w) for w in name.split()) if name else 4
        width = min(max(9, max(longest, header, min(len(name), 16)) + 2), 45)
        ws.column_dimensions[get_column_letter(j)].width = width
        total += width
    return total


def _header_height(ws: Any, names: list[str], row: int) -> None:
    """Room for wrapped column headers (LibreOffice does not grow the row itself)."""
    from openpyxl.utils import get_column_letter

    lines = 1
    for j, name in enumerate(names, start=1):
        width = ws.column_dimensions[get_column_letter(j)].width or 10
        words, line, count = name.split(), 0, 1
        for w in words:
            if line and line + 1 + len(w) > width - 1:
                count, line = count + 1, len(w)
            else:
                line += len(w) + (1 if line else 0)
        lines = max(lines, count)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _shown(v: Any) -> str:
    return f"{v:,.1f}" if isinstance(v, float) else str(v)


def _page(ws: Any, top: int, columns: int, bottom: int, *, one_page: bool = False) -> None:
    """A4, fitted to the page's width (landscape when the table is wide) and as many pages tall
    as it needs, with the header row repeated; the print area stops at the table's last column.
    The cover fits on one page."""
    from openpyxl.utils import get_column_letter

    total = sum(
        ws.column_dimensions[get_column_letter(j)].width or 9 for j in range(1, columns + 1)
    )
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total > 95 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.print_area = f"A1:{get_column_letter(columns)}{max(bottom, 1)}"
    if top:
        ws.print_title_rows = f"{top}:{top}"


# --- from the report's tables -------------------------------------------------------------------


def sheets_from_tables(
    tables: list[Table], notes_for: dict[str, list[str]] | None = None
) -> list[Sheet]:
    """Each report table as a sheet. A grid of one measure (counts, shares, ranks, rates, the
    ward annex) becomes a long table: row labels, the column dimension, the figure, and the
    lowest and highest value it can take; rates add their comparison with the rest of the
    borough (▲/▼, as the Word and HTML reports mark them) at 95% and 99.8%."""
    out = []
    for t in tables:
        extra = (notes_for or {}).get(t.sheet, [])
        if t.measure:
            out.append(_long_sheet(t, [*t.notes, *extra]))
        else:
            out.append(_plain_sheet(t, [*t.notes, *extra]))
    return out


def _symbol(c: Cell, header: str = "") -> str:
    if c.hidden:
        return "[c]"
    if header == "Borough total":
        return "[z]"
    return "[x]"


def _num(x: float | None, c: Cell, kind: str) -> Any:
    if x is None:
        return _symbol(c)
    if kind in ("count", "rank") and float(x).is_integer():
        return int(x)
    return round(float(x), 10) if kind == "share" else round(float(x), 6)


def _long_sheet(t: Table, notes: list[str]) -> Sheet:
    labels = t.label_columns
    kind = {"Count": "count", "Share of borough total": "share", "Rank": "rank", "Rate": "rate"}
    k = kind.get(t.measure, "count")
    measure = t.measure + (" (%)" if k == "share" else "")
    names = t.full_header or t.header
    columns = [*names[:labels], t.across, measure, f"{t.measure}: {LOW}", f"{t.measure}: {HIGH}"]
    kinds = ["text"] * (labels + 1) + [k, k, k]
    rate = t.measure == "Rate"
    rank = t.measure == "Rank"
    if rank:
        columns.append("Tied with another locality")
        kinds.append("text")
    if rate:
        columns += [
            "Compared with the rest of the borough (95% level)",
            "Compared with the rest of the borough (99.8% level)",
        ]
        kinds += ["text", "text"]
    rows = []
    for cells in t.rows:
        head = [c.text for c in cells[:labels]]
        for header, c in zip(names[labels:], cells[labels:], strict=True):
            # The borough total is a column, or a row where localities run down the table.
            total = "Borough total" if "Borough total" in (header, *head) else header
            value = c.value if c.value is not None else None
            row = [
                *head,
                header,
                _num(value, c, k)
                if value is not None
                else _symbol(c, "" if k != "rank" else total),
                _num(c.low, c, k),
                _num(c.high, c, k),
            ]
            if rank:
                row.append("[c]" if c.hidden else ("yes" if c.text.endswith("=") else "no"))
            if rate:
                for vs in (c.vs_95, c.vs_998):
                    if c.hidden:
                        row.append("[c]")
                    elif total == "Borough total":
                        row.append("[z]")
                    else:
                        row.append(SIGNIFICANCE.get(vs, "[x]"))
            rows.append(row)
    about = (
        f"This worksheet contains one table of {len(rows)} rows: one row for each "
        f"{t.header[0].lower()} and {t.across.lower()}."
    )
    return Sheet(t.sheet, t.caption, columns, rows, kinds, notes, about)


def _plain_sheet(t: Table, notes: list[str]) -> Sheet:
    kinds = []
    for j in range(len(t.header)):
        col = [r[j] for r in t.rows]
        numeric = [c.kind for c in col if c.kind in NUMERIC and c.value is not None]
        kinds.append(numeric[0] if numeric and j > 0 else "text")
    rows = []
    for cells in t.rows:
        row: list[Any] = []
        for c, kind in zip(cells, kinds, strict=True):
            if kind in NUMERIC:
                row.append(_num(c.value, c, kind))
            else:
                row.append(c.text or _symbol(c))
        rows.append(row)
    return Sheet(t.sheet, t.caption, list(t.header), rows, kinds, notes)
