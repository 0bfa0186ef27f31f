"""The adversarial corpus for indicator files: every case ends in exact figures or exact errors.

Figures are the borough totals of each indicator, the period chosen and the number of wards read;
errors are the one-line messages a user sees (file:row: problem; what to do), in the order shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from localitymap.inputs.indicators import validate_indicators

from .cases_inputs import CASES
from .corpus import CP_TOTAL, LAC_TOTAL


def outcome(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    """What a user gets from a file: the figures, or the errors (and any warnings either way)."""
    data, report = validate_indicators(path.name, **options)
    warnings = [p.one_line() for p in report.ordered() if p.severity == "warning"]
    if data is None:
        return {"errors": [p.one_line() for p in report.ordered() if p.severity == "error"]}
    totals = {k: int(g["low"].sum()) for k, g in data.values.groupby("indicator")}
    result: dict[str, Any] = {"period": data.period, "wards": len(data.wards()), "totals": totals}
    if warnings:
        result["warnings"] = warnings
    totals_notes = [p.one_line() for p in report.notes if p.message.startswith("total row")]
    if totals_notes:
        result["total_notes"] = totals_notes
    return result


EXPECTED: dict[str, object] = {
    "period-latest-is-by-time-not-text": {
        "period": "2020-02",
        "wards": 28,
        "totals": {"cp_plans": 42126},
    },
    "period-jan-does-not-beat-dec": {
        "period": "2020-12",
        "wards": 28,
        "totals": {"cp_plans": 42182},
    },
    "period-two-spellings-are-one-month": {
        "period": "2019-02",
        "wards": 28,
        "totals": {"cp_plans": 41986},
    },
    "period-iso-date-and-long-month": {
        "period": "2019-02",
        "wards": 28,
        "totals": {"cp_plans": 41986},
    },
    "period-financial-years": {"period": "2019/20", "wards": 28, "totals": {"cp_plans": 42070}},
    "period-quarters": {"period": "2020 Q1", "wards": 28, "totals": {"cp_plans": 42042}},
    "period-excel-date-cells": {"period": "2020-02", "wards": 28, "totals": {"cp_plans": 42126}},
    "period-excel-serials-in-csv": {
        "period": "2020-02",
        "wards": 28,
        "totals": {"cp_plans": 42098},
    },
    "period-uk-day-first-dates": {"period": "2019-03", "wards": 28, "totals": {"cp_plans": 42014}},
    "period-excel-mmm-yy-text": {"period": "2019-03", "wards": 28, "totals": {"cp_plans": 42014}},
    "period-chosen-in-another-spelling": {
        "period": "2019-02",
        "wards": 28,
        "totals": {"cp_plans": 41986},
    },
    "period-months-and-years-mixed": {
        "errors": [
            "the data mixes financial years (2019/20) and months "
            "(2019-02), which cannot be put in one order; choose "
            "one with --period, or keep one kind of period per "
            "file"
        ]
    },
    "period-unreadable-spellings": {
        "errors": [
            "cannot tell which period is the latest: 'Autumn "
            "term', 'Spring term' are not periods this tool can "
            "put in order; write periods as e.g. 2019-02, Feb "
            "2019, 2019/20 or 2019 Q1, or choose one with "
            "--period"
        ]
    },
    "period-blank-rows": {
        "errors": [
            "blanks.csv:4: 2 row(s) have no period although other rows of "
            "the file have one (rows 4, 10); fill in the period of each row, "
            "or delete the column if the file holds one period"
        ]
    },
    "period-option-on-data-without-period": {
        "errors": [
            "--period 2019-02 was given, but the data "
            "states no period; leave out --period, or "
            "give the data a period column or a '# "
            "period: ...' first line"
        ]
    },
    "semicolon-thousands-point": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "semicolon-decimal-point-refused": {
        "errors": [
            "semi.csv:11: New Addington South, cp_plans: '2.5' "
            "has a decimal point, but in this "
            "semicolon-separated file '.' is the thousands "
            "mark and ',' the decimal mark; write the count as "
            "a whole number (e.g. 1.425 or 1425 for one "
            "thousand four hundred and twenty-five)"
        ]
    },
    "comma-file-ambiguous-thousands-point": {
        "errors": [
            "c.csv:5: Broad Green, cp_plans: '2.000' "
            "could be 2 or 2000 (a thousands point); "
            "write the count without a point (e.g. 2000), "
            "or export the file with ';' separators if "
            "'.' marks thousands"
        ]
    },
    "count-above-a-billion": {
        "errors": [
            "big.csv:2: Addiscombe East, cp_plans: 9007199254740993 is "
            "not a plausible count (above 1,000,000,000); check the "
            "cell: an id, a date or a pasted total may have landed in a "
            "count column"
        ]
    },
    "boolean-cell-in-workbook": {
        "errors": [
            "bools.xlsx[Data]:4: Bensham Manor, cp_plans: 'TRUE' is "
            "not a count or a known suppression marker; use a whole "
            "number, or a marker such as c, *, x or <5 for a "
            "suppressed count"
        ]
    },
    "values-under-empty-header": {
        "errors": [
            "h.csv:2: column C has 28 value(s) under an empty header "
            "(rows 2, 3, 4, 5, 6 ...); give the column a header "
            "naming its indicator, or delete the values"
        ]
    },
    "one-cell-past-the-header": {
        "errors": [
            "h.csv:8: column E has 1 value(s) past the last header "
            "(rows 8); give the column a header naming its indicator, "
            "or delete the values"
        ]
    },
    "merged-group-row-above-header": {
        "errors": [
            "grouped.xlsx[Data]:2: the header runs over two rows "
            "(1 and 2): column names are under a merged group "
            "row; keep one header row: delete row 1's group "
            "labels and put the ward column's name in row 2, or "
            "unmerge and name every column in one row"
        ]
    },
    "old-code-beside-current-name": {
        "errors": [
            "w.csv:8: ward code 'E05000150' is not one of "
            "Croydon's 28 wards; the row's name 'Fairfield' is a "
            "current ward but its code is not; correct the code "
            "(or clear it to match by name)"
        ]
    },
    "neighbours-code-beside-current-name": {
        "errors": [
            "w.csv:9: ward code 'E05000400' is not one of "
            "Croydon's 28 wards; the row's name 'Kenley' "
            "is a current ward but its code is not; "
            "correct the code (or clear it to match by "
            "name)"
        ]
    },
    "file-on-pre-2018-wards": {
        "errors": [
            "wards2014.csv: the file is on Croydon's pre-2018 "
            "(2002-2018) wards (Ashburton, Croham, Fieldway, Heathfield "
            "...), not the 28 wards of WD19; move the counts to the "
            "current wards with `localitymap crosswalk` first",
            "wards2014.csv:2: unknown ward 'Ashburton'; use a ward code "
            "or one of the 28 ward names (`localitymap schemes show` "
            "lists them)",
            "wards2014.csv:3: unknown ward 'Croham'; use a ward code or "
            "one of the 28 ward names (`localitymap schemes show` lists "
            "them)",
            "wards2014.csv:4: unknown ward 'Fieldway'; use a ward code "
            "or one of the 28 ward names (`localitymap schemes show` "
            "lists them)",
            "wards2014.csv:5: unknown ward 'Heathfield'; did you mean 'Fairfield'?",
            "wards2014.csv:6: unknown ward 'Coulsdon East'; did you "
            "mean 'Coulsdon Town' or 'Old Coulsdon'?",
            "wards2014.csv:7: unknown ward 'Upper Norwood'; did you mean 'South Norwood'?",
        ]
    },
    "codes-all-from-elsewhere": {
        "errors": [
            "w.csv: none of the file's ward codes are Croydon's "
            "current wards (WD19), e.g. E05000143, E05000144, "
            "E05000145; if the file is on older ward boundaries, move "
            "it to the current wards with `localitymap crosswalk`; if "
            "it is another authority's, use its ward register",
            "w.csv:2: ward code 'E05000143' is not one of Croydon's "
            "28 wards; it may be from another authority or boundary "
            "vintage (this register is WD19, E09000008)",
            "w.csv:3: ward code 'E05000144' is not one of Croydon's "
            "28 wards; it may be from another authority or boundary "
            "vintage (this register is WD19, E09000008)",
            "w.csv:4: ward code 'E05000145' is not one of Croydon's "
            "28 wards; it may be from another authority or boundary "
            "vintage (this register is WD19, E09000008)",
            "w.csv:5: ward code 'E05000146' is not one of Croydon's "
            "28 wards; it may be from another authority or boundary "
            "vintage (this register is WD19, E09000008)",
        ]
    },
    "utf16-unicode-text-export": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "utf16-without-byte-order-mark": {
        "errors": [
            "u.csv: not a CSV: looks like UTF-16 text without a "
            "byte-order mark; export it again as 'CSV UTF-8 "
            "(Comma delimited)' or as .xlsx"
        ]
    },
    "pdf-named-csv": {
        "errors": [
            "report.csv: not a table: looks like a PDF document; export the "
            "table from the original spreadsheet as CSV or XLSX"
        ]
    },
    "xls-named-csv": {
        "errors": [
            "old.csv: not a table: looks like an old Excel .xls workbook (or "
            "another Office 97 file); open it in Excel and save it as .xlsx or "
            "CSV"
        ]
    },
    "ods-file": {
        "errors": [
            "calc.ods: OpenDocument spreadsheets are not read; save it as .xlsx or "
            "CSV (File > Save As in LibreOffice Calc)"
        ]
    },
    "ods-named-xlsx": {
        "errors": [
            "calc.xlsx: is an OpenDocument spreadsheet (.ods), although named "
            ".xlsx; save it as .xlsx or CSV (File > Save As in LibreOffice "
            "Calc)"
        ]
    },
    "web-page-named-xls-csv": {
        "errors": [
            "export.csv: not a table: looks like a web page or XML "
            "file; open it in Excel and save it as .xlsx or CSV"
        ]
    },
    "text-named-xlsx": {
        "errors": [
            "fake.xlsx: not an Excel workbook, although named .xlsx; open it "
            "in Excel and save it as .xlsx, or give it a .csv name if it is "
            "CSV"
        ]
    },
    "binary-noise": {
        "errors": [
            "noise.csv: not a CSV: looks like a binary file, not text; export it "
            "again as 'CSV UTF-8 (Comma delimited)' or as .xlsx"
        ]
    },
    "unclosed-quote": {
        "errors": [
            'quote.csv:6: a quote (") opens in this row and runs on over 23 '
            "more line(s), so rows 7-29 were read as one cell; remove the stray "
            "quote mark, or close it before the next separator"
        ]
    },
    "uncalculated-formulas": {
        "errors": [
            "script.xlsx[Data]: 2 formula cell(s) have no saved result "
            "(C2, D6); open and save it in Excel (so the results are "
            "stored), or export CSV"
        ]
    },
    "first-sheet-is-notes": {
        "errors": [
            "notes.xlsx[Read me]:1: no ward column found (expected a "
            "column named ward_code or ward_name); the ward table seems "
            "to be on sheet 'Data 2019' (sheets: 'Read me', 'Data 2019'); "
            "choose it with --sheet 'Data 2019'"
        ]
    },
    "cp1252-with-pound-sign": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "bidi-override-in-ward-name": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
        "warnings": [
            "b.csv: removed control or invisible direction "
            "characters (U+202E) from 1 cell(s): row 4 column B; "
            "they can hide or reorder text; check those cells "
            "read as intended"
        ],
    },
    "ansi-escape-in-indicator-header": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
        "warnings": [
            "a.csv: removed control or invisible direction "
            "characters (U+001B) from 1 cell(s): row 1 "
            "column D; they can hide or reorder text; check "
            "those cells read as intended"
        ],
    },
    "wrapped-header-cell": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "hidden-first-sheet-is-not-read": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "excel-error-value": {
        "errors": [
            "err.xlsx[Data]:9: Kenley, cp_plans: '#DIV/0!' is an Excel error "
            "value, not a count; correct the formula in the workbook (or "
            "type the count), then export again"
        ]
    },
    "header-pasted-twice": {
        "errors": [
            "twice.csv:16: the header row repeats here (also row 1): two "
            "exports pasted together?; delete the repeated header, and "
            "check the rows after it are not duplicates"
        ]
    },
    "thin-space-thousands": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "old-mac-line-endings": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
    },
    "zero-width-space-in-name": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
        "warnings": [
            "z.csv: removed control or invisible direction "
            "characters (U+200B) from 1 cell(s): row 7 column B; "
            "they can hide or reorder text; check those cells read "
            "as intended"
        ],
    },
    "total-row-off-by-one": {
        "errors": [
            "t.csv:30: total row 'E09000008' gives 1,779 for lac but the "
            "wards add up to 1,778; check that the total covers the same "
            "wards, or delete the total row"
        ]
    },
    "total-row-without-counts-is-not-called-checked": {
        "period": None,
        "wards": 28,
        "totals": {"cp_plans": 41986, "lac": 1778},
        "total_notes": [
            "t.csv:30: total row 'Total' excluded from the wards (not checked: it holds no counts)"
        ],
    },
    "scientific-notation": {
        "errors": [
            "e.csv:4: Bensham Manor, cp_plans: '1.23457E+11' is in "
            "scientific notation (Excel shortens long numbers so), not a "
            "count; format the column as Number with 0 decimal places and "
            "export again"
        ]
    },
}


@pytest.mark.parametrize("name", list(CASES))
def test_case(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages then name the file as a user typed it
    build, options = CASES[name]
    assert outcome(build(tmp_path), options) == EXPECTED[name]


def test_every_case_has_an_expectation():
    assert set(EXPECTED) == set(CASES)


def test_base_figures_are_what_the_corpus_says():
    # The semicolon, UTF-16 and cp1252 cases must reproduce these, to the child.
    assert (CP_TOTAL, LAC_TOTAL) == (41_986, 1_778)


@pytest.mark.parametrize("name", list(CASES))
def test_the_cli_ends_each_case_with_a_result_or_a_pointed_error(name, tmp_path, monkeypatch):
    """Through `rollup`, every case exits 0 with figures or 1 with the same errors, one per line,
    and never takes the "unexpected error" path."""
    from typer.testing import CliRunner

    from localitymap.cli import app

    monkeypatch.chdir(tmp_path)
    build, options = CASES[name]
    path = build(tmp_path)
    args = ["rollup", "-s", "icn6", "-d", path.name, "-f", "csv", "--allow-missing-wards"]
    if options.get("period"):
        args += ["--period", options["period"]]
    result = CliRunner().invoke(app, args)
    expected = EXPECTED[name]
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    if "errors" in expected:
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        for message in expected["errors"][:20]:
            assert f"error: {message}" in lines
    else:
        assert result.exit_code == 0, result.stderr
        total = expected["totals"]["cp_plans"]
        assert f"Social care,Borough total,True,28,{total},{total},{total}," in result.stdout


def test_library_warnings_while_reading_a_workbook_stay_off_stderr(tmp_path, monkeypatch):
    import warnings

    import openpyxl

    from localitymap.inputs.files import read_table

    from .corpus import base_rows, write, xlsx

    real = openpyxl.load_workbook

    def noisy(*args, **kwargs):
        warnings.warn(
            "Data Validation extension is not supported and will be removed", stacklevel=2
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", noisy)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_table(write(tmp_path, "v.xlsx", xlsx(base_rows())))
    assert caught == [] and len(table.rows) == 29
