"""The indicator-file cases of the adversarial corpus: name -> (builder, options).

A builder takes a folder, writes the hostile file(s) there and returns the path to read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .corpus import CODES, CP, LAC, NAMES, OLD_NAMES, base_rows, csv_text, ods_bytes, write, xlsx


def _long(periods: list[tuple[str, int]]) -> str:
    """Long format: every ward under each (period, offset): cp_plans = CP[i] + offset."""
    lines = ["ward_code,indicator,period,value"]
    for period, offset in periods:
        lines += [f"{c},cp_plans,{period},{CP[i] + offset}" for i, c in enumerate(CODES)]
    return "\n".join(lines) + "\n"


def _split_spellings(a: str, b: str) -> str:
    """One period spelt two ways: the first 14 wards with ``a``, the rest with ``b``."""
    lines = ["ward_code,indicator,period,value"]
    lines += [f"{c},cp_plans,{a if i < 14 else b},{CP[i]}" for i, c in enumerate(CODES)]
    return "\n".join(lines) + "\n"


def _xlsx_periods(folder: Path) -> Path:
    rows: list[list[Any]] = [["ward_code", "indicator", "period", "value"]]
    for day, offset in ((dt.datetime(2019, 2, 1), 0), (dt.datetime(2020, 2, 1), 5)):
        rows += [[c, "cp_plans", day, CP[i] + offset] for i, c in enumerate(CODES)]
    return write(folder, "dates.xlsx", xlsx(rows))


def _blank_periods(folder: Path) -> Path:
    text = _long([("2019-02", 0)]).splitlines()
    text[3] = text[3].replace(",2019-02,", ",,")
    text[9] = text[9].replace(",2019-02,", ",,")
    return write(folder, "blanks.csv", "\n".join(text) + "\n")


def _uncalculated(folder: Path) -> Path:
    rows = base_rows()
    rows[1][2] = "=SUM(1,2)"
    rows[5][3] = "=C5/2"
    return write(folder, "script.xlsx", xlsx(rows))


def _notes_first(folder: Path) -> Path:
    notes = [["About this workbook"], ["Source: children's services case system"]]
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Read me"
    for r in notes:
        wb.active.append(r)
    data = wb.create_sheet("Data 2019")
    for r in base_rows():
        data.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return write(folder, "notes.xlsx", buf.getvalue())


def _merged_group(folder: Path) -> Path:
    rows: list[list[Any]] = [
        ["Ward", "Social care", None, "Education"],
        [None, "cp_plans", "lac", "ehc_plans"],
    ]
    rows += [[n, CP[i], LAC[i], 3] for i, n in enumerate(NAMES)]
    return write(folder, "grouped.xlsx", xlsx(rows))


def _old_wards(folder: Path) -> Path:
    lines = ["ward_name,cp_plans"] + [f"{n},{10 + i}" for i, n in enumerate(OLD_NAMES)]
    lines += ["Fairfield,5", "Waddon,6"]
    return write(folder, "wards2014.csv", "\n".join(lines) + "\n")


def _unclosed(folder: Path) -> Path:
    text = csv_text().splitlines()
    text[5] = text[5].replace(f",{CP[4]},", f',"{CP[4]},')
    return write(folder, "quote.csv", "\n".join(text) + "\n")


def _utf16(folder: Path) -> Path:
    return write(folder, "unicode.txt", "\ufeff" + csv_text(sep="\t"), encoding="utf-16-le")


def _bool_cells(folder: Path) -> Path:
    rows = base_rows()
    rows[3][2] = True
    return write(folder, "bools.xlsx", xlsx(rows))


def _hidden_first(folder: Path) -> Path:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    old = wb.active
    old.title = "last year"
    old.sheet_state = "hidden"
    for r in base_rows():
        old.append([v * 2 if isinstance(v, int) else v for v in r])
    data = wb.create_sheet("Data")
    for r in base_rows():
        data.append(r)
    wb.active = 1
    buf = io.BytesIO()
    wb.save(buf)
    return write(folder, "hidden.xlsx", buf.getvalue())


def _excel_error(folder: Path) -> Path:
    rows = base_rows()
    rows[8][2] = "#DIV/0!"
    return write(folder, "err.xlsx", xlsx(rows))


def _pasted_twice(folder: Path) -> Path:
    text = csv_text()
    lines = text.splitlines()
    return write(
        folder, "twice.csv", "\n".join([*lines[:15], "\ufeff" + lines[0], *lines[15:]]) + "\n"
    )


Case = tuple[Callable[[Path], Path], dict[str, Any]]

CASES: dict[str, Case] = {
    # periods
    "period-latest-is-by-time-not-text": (
        lambda f: write(f, "p.csv", _long([("Mar 2019", 0), ("Feb 2020", 5)])), {}),
    "period-jan-does-not-beat-dec": (
        lambda f: write(f, "p.csv", _long([("Jan 2020", 0), ("Dec 2020", 7)])), {}),
    "period-two-spellings-are-one-month": (
        lambda f: write(f, "p.csv", _split_spellings("Feb 2019", "2019-02")), {}),
    "period-iso-date-and-long-month": (
        lambda f: write(f, "p.csv", _split_spellings("2019-02-01", "February 2019")), {}),
    "period-financial-years": (
        lambda f: write(f, "p.csv", _long([("2019-20", 3), ("2018/19", 0)])), {}),
    "period-quarters": (
        lambda f: write(f, "p.csv", _long([("Q1 2020", 2), ("2019 Q4", 0)])), {}),
    "period-excel-date-cells": (_xlsx_periods, {}),
    "period-excel-serials-in-csv": (
        lambda f: write(f, "p.csv", _long([("43862", 4), ("43497", 0)])), {}),
    "period-uk-day-first-dates": (
        lambda f: write(f, "p.csv", _long([("01/03/2019", 1), ("01/02/2019", 0)])), {}),
    "period-excel-mmm-yy-text": (
        lambda f: write(f, "p.csv", _long([("Mar-19", 1), ("Feb-19", 0)])), {}),
    "period-chosen-in-another-spelling": (
        lambda f: write(f, "p.csv", _long([("2019-02", 0), ("2020-02", 5)])),
        {"period": "February 2019"}),
    "period-months-and-years-mixed": (
        lambda f: write(f, "p.csv", _long([("2019-02", 0), ("2019/20", 5)])), {}),
    "period-unreadable-spellings": (
        lambda f: write(f, "p.csv", _long([("Spring term", 0), ("Autumn term", 5)])), {}),
    "period-blank-rows": (_blank_periods, {}),
    "period-option-on-data-without-period": (
        lambda f: write(f, "d.csv", csv_text()), {"period": "2019-02"}),
    # numbers
    "semicolon-thousands-point": (
        lambda f: write(f, "semi.csv", csv_text(sep=";", cp=lambda n: f"{n:,}".replace(",", "."))),
        {}),
    "semicolon-decimal-point-refused": (
        lambda f: write(f, "semi.csv", csv_text(sep=";", cp=lambda n: "2.5" if n == CP[9] else str(n))),
        {}),
    "comma-file-ambiguous-thousands-point": (
        lambda f: write(f, "c.csv", csv_text(cp=lambda n: "2.000" if n == CP[3] else str(n))), {}),
    "count-above-a-billion": (
        lambda f: write(f, "big.csv", csv_text(cp=lambda n: "9007199254740993" if n == CP[0] else str(n))),
        {}),
    "boolean-cell-in-workbook": (_bool_cells, {}),
    # columns
    "values-under-empty-header": (
        lambda f: write(f, "h.csv", csv_text(head="ward_code,ward_name,,lac")), {}),
    "one-cell-past-the-header": (
        lambda f: write(f, "h.csv", csv_text().replace(f",{LAC[6]}\n", f",{LAC[6]},99\n", 1)), {}),
    "merged-group-row-above-header": (_merged_group, {}),
    # wards
    "old-code-beside-current-name": (
        lambda f: write(f, "w.csv", csv_text().replace(CODES[6] + ",", "E05000150,", 1)), {}),
    "neighbours-code-beside-current-name": (
        lambda f: write(f, "w.csv", csv_text().replace(CODES[7] + ",", "E05000400,", 1)), {}),
    "file-on-pre-2018-wards": (_old_wards, {}),
    "codes-all-from-elsewhere": (
        lambda f: write(
            f, "w.csv", "ward_code,cp_plans\n" + "".join(f"E0500{i:04d},1\n" for i in range(143, 147))
        ),
        {}),
    # file kinds and encodings
    "utf16-unicode-text-export": (_utf16, {}),
    "utf16-without-byte-order-mark": (
        lambda f: write(f, "u.csv", csv_text(), encoding="utf-16-le"), {}),
    "pdf-named-csv": (lambda f: write(f, "report.csv", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), {}),
    "xls-named-csv": (
        lambda f: write(f, "old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500), {}),
    "ods-file": (lambda f: write(f, "calc.ods", ods_bytes()), {}),
    "ods-named-xlsx": (lambda f: write(f, "calc.xlsx", ods_bytes()), {}),
    "web-page-named-xls-csv": (
        lambda f: write(f, "export.csv", "<html><body><table><tr><td>ward</td></tr></table>"), {}),
    "text-named-xlsx": (lambda f: write(f, "fake.xlsx", csv_text()), {}),
    "binary-noise": (lambda f: write(f, "noise.csv", bytes(range(256)) * 4), {}),
    "unclosed-quote": (_unclosed, {}),
    "uncalculated-formulas": (_uncalculated, {}),
    "first-sheet-is-notes": (_notes_first, {}),
    "cp1252-with-pound-sign": (
        lambda f: write(f, "uk.csv", csv_text(head="ward_code,ward_name,cp_plans,lac,notes £"),
                        encoding="cp1252"),
        {}),
    # control characters
    "bidi-override-in-ward-name": (
        lambda f: write(f, "b.csv", csv_text().replace(NAMES[2], NAMES[2] + "\u202e", 1)), {}),
    "ansi-escape-in-indicator-header": (
        lambda f: write(f, "a.csv", csv_text(head="ward_code,ward_name,cp_plans,\x1b[31mlac\x1b[0m")),
        {}),
    "wrapped-header-cell": (
        lambda f: write(f, "wrap.csv", csv_text(head='ward_code,ward_name,"Child protection\nplans",lac')),
        {}),
    # more of our own
    "hidden-first-sheet-is-not-read": (_hidden_first, {}),
    "excel-error-value": (_excel_error, {}),
    "header-pasted-twice": (_pasted_twice, {}),
    "thin-space-thousands": (
        lambda f: write(f, "fr.csv", csv_text(cp=lambda n: f"{n:,}".replace(",", "\u202f"))), {}),
    "old-mac-line-endings": (lambda f: write(f, "cr.csv", csv_text().replace("\n", "\r")), {}),
    "zero-width-space-in-name": (
        lambda f: write(f, "z.csv", csv_text().replace(NAMES[5], NAMES[5][:3] + "\u200b" + NAMES[5][3:], 1)),
        {}),
    "total-row-off-by-one": (
        lambda f: write(f, "t.csv", csv_text(rows=["E09000008,Croydon,41986,1779"])), {}),
    "total-row-without-counts-is-not-called-checked": (
        lambda f: write(f, "t.csv", csv_text(rows=["Total,,c,"])), {}),
    "scientific-notation": (
        lambda f: write(f, "e.csv", csv_text(cp=lambda n: "1.23457E+11" if n == CP[2] else str(n))), {}),
}  # fmt: skip
