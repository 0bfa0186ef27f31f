"""Checks a workbook against the Analysis Function's "Releasing statistics in spreadsheets"
checklist, as far as a program can: shared by the report and rollup workbook tests."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import column_index_from_string

SYMBOLS = {"[c]", "[x]", "[z]"}
HEADINGS = {"Title", "Headline 1", "Headline 2"}


def check_workbook(wb: Any) -> dict[str, list[list[Any]]]:
    """Assert every checkable point; return each table sheet's rows (header first)."""
    names = wb.sheetnames
    assert names[:3] == ["Cover", "Contents", "Notes"], names
    props = wb.properties
    assert props.title and props.language == "en-GB" and props.creator == "localitymap"

    cover = wb["Cover"]
    assert cover["A1"].value and cover["A1"].style in HEADINGS
    headings = [c.value for c in cover["A"] if c.style == "Headline 2"]
    for needed in ("About these data", "Period", "Source", "Status", "Publication date", "Contact"):
        assert needed in headings, needed
    setup = cover.page_setup
    assert cover.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 1
    assert setup.fitToWidth == 1 and int(setup.paperSize) == int(cover.PAPERSIZE_A4)
    # ... and fits A4 portrait's width even where fit-to-page is not honoured (LibreOffice).
    assert cover.column_dimensions["A"].width <= 75

    # Contents: one row per other sheet, each linking to it.
    contents = _table_rows(wb["Contents"])
    assert contents[0] == ["Worksheet name", "Worksheet title"]
    listed = [r[0] for r in contents[1:]]
    assert listed == names[2:]
    links = [c.hyperlink.location for c in wb["Contents"]["A"] if c.hyperlink]
    assert links == [f"'{n}'!A1" for n in listed]

    # Notes: numbered [note 1].. in order; every note referred to by some sheet, and every
    # reference names a note that exists.
    notes = _table_rows(wb["Notes"])
    numbers = [r[0] for r in notes[1:]]
    assert numbers == [f"[note {k}]" for k in range(1, len(numbers) + 1)]
    cited: set[str] = set()
    for ws in wb.worksheets:
        if ws.title == "Notes":
            continue
        for row in ws.iter_rows(values_only=True):
            for v in row:
                cited |= set(re.findall(r"\[note \d+\]", str(v)))
    assert cited == set(numbers), set(numbers) ^ cited

    tables: dict[str, list[list[Any]]] = {}
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges, ws.title
        if ws.title == "Cover":
            continue
        # Title in A1 as a heading style, a line saying what the sheet holds, one named table.
        assert isinstance(ws["A1"].value, str) and ws["A1"].style in HEADINGS, ws.title
        assert str(ws["A2"].value).startswith("This worksheet contains one table"), ws.title
        assert len(ws.tables) == 1, ws.title
        (table,) = ws.tables.values()
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", table.displayName), table.displayName
        rows = _table_rows(ws)
        top = table_top(ws)
        assert int(table.ref.rsplit(":", 1)[1][1:]) == top - 1 + len(rows)
        # Between the title and the table only the lines saying what the sheet holds: no blanks.
        above = [ws.cell(row=r, column=1).value for r in range(2, top)]
        assert above and all(isinstance(v, str) and v for v in above), (ws.title, above)
        # Printed: the table's columns only, its header repeated on every page.
        assert ws.print_title_rows == f"${top}:${top}" and ws.print_area, ws.title
        header = rows[0]
        assert all(isinstance(h, str) and h for h in header) and len(set(header)) == len(header)
        # No empty cell and no blank row inside a table.
        for r in rows:
            assert all(v is not None and v != "" for v in r), (ws.title, r)
        # A column with numbers holds only numbers and the guidance's symbols; numbers have a
        # number format (thousands separators for counts and rates).
        for j, name in enumerate(header):
            col = [r[j] for r in rows[1:]]
            cells = [ws.cell(row=top + 1 + i, column=j + 1) for i in range(len(col))]
            if any(isinstance(v, (int, float)) for v in col):
                bad = [v for v in col if not isinstance(v, (int, float)) and v not in SYMBOLS]
                assert not bad, (ws.title, name, bad[:3])
                fmts = {c.number_format for c in cells if isinstance(c.value, (int, float))}
                assert fmts <= {"#,##0", "#,##0.0", "0.0%", "0"}, (ws.title, name, fmts)
        tables[ws.title] = rows
    return tables


def table_top(ws: Any) -> int:
    """The row of the sheet's named table's header."""
    (table,) = ws.tables.values()
    return int(re.sub(r"[A-Z]+", "", table.ref.split(":")[0]))


def _table_rows(ws: Any) -> list[list[Any]]:
    (table,) = ws.tables.values()
    top = table_top(ws)
    last = table.ref.split(":")[1]
    bottom = int(re.sub(r"[A-Z]+", "", last))
    width = column_index_from_string(re.sub(r"\d+", "", last))
    return [
        list(r) for r in ws.iter_rows(min_row=top, max_row=bottom, max_col=width, values_only=True)
    ]
