from __future__ import annotations

import math

import openpyxl
import pytest

from localitymap.errors import InvalidInput
from localitymap.inputs.indicators import (
    CellProblem,
    Count,
    load_catalogue,
    parse_count,
    read_indicators,
    validate_indicators,
)

from .conftest import FEB2019

HEAD = "ward_code,ward_name,cp_plans,lac\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", Count(12, 12, "value")),
        ("1,234", Count(1234, 1234, "value")),
        ("1 234", Count(1234, 1234, "value")),
        ("12.0", Count(12, 12, "value")),
        ("0", Count(0, 0, "value")),
        ("", Count(0, None, "missing")),
        ("<5", Count(1, 4, "suppressed", "<5")),
        ("< 10", Count(1, 9, "suppressed", "< 10")),
        ("<=3", Count(1, 3, "suppressed", "<=3")),
        ("*", Count(0, None, "suppressed", "*")),
        ("c", Count(0, None, "suppressed", "c")),
        ("[c]", Count(0, None, "suppressed", "[c]")),
        ("X", Count(0, None, "suppressed", "X")),
        ("..", Count(0, None, "suppressed", "..")),
        ("-", Count(0, None, "suppressed", "-")),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


def test_bare_marker_takes_the_stated_range():
    assert parse_count("*", (1, 4)) == Count(1, 4, "suppressed", "*")
    assert parse_count("<5", (1, 9)) == Count(1, 4, "suppressed", "<5")  # '<5' says its own range


@pytest.mark.parametrize(
    "text, words",
    [
        ("-3", "negative"),
        ("2.5", "not a whole number"),
        ("12%", "percentage"),
        ("n/k", "not a count or a known suppression marker"),
        ("1,23", "not a count"),
    ],
)
def test_parse_count_rejects(text, words):
    with pytest.raises(CellProblem, match=words):
        parse_count(text)


def test_bundled_snapshot_reads_clean(register):
    data, report = validate_indicators(FEB2019)
    assert report.ok and not report.warnings
    assert data.period == "2019-02" and data.illustrative
    assert len(data.indicators) == 14 and all(i.in_catalogue for i in data.indicators)
    assert len(data.values) == 28 * 14
    assert data.wards() == list(register.codes)
    assert (data.values["status"] == "value").all()


def test_catalogue_lists_service_and_toxic_trio_indicators():
    cat = load_catalogue()
    domains = {i.id: i.domain for i in cat}
    assert sum(d != "Toxic trio" for d in domains.values()) == 11
    assert [i for i, d in domains.items() if d == "Toxic trio"] == [
        "domestic_abuse", "adult_mental_health", "parental_substance_misuse",
    ]  # fmt: skip
    assert all(i.denominator for i in cat)


def test_excel_export_with_bom_title_rows_labels_total_and_blank_rows(write):
    text = (
        "\ufeffChildren's services data mapping,,,\n"
        "Snapshot February 2019,,,\n"
        "Ward,Child protection plans,Looked-after children,Notes\n"
        'Fairfield,"1,020",<5,\n'
        "waddon,7,3,checked\n"
        "Broad Green,*,2,\n"
        'Total,"1,035",8,\n'
        ",,,\n,,,\n"
    )
    data, report = validate_indicators(write("export.csv", text))
    assert report.ok, [p.one_line() for p in report]
    v = data.values.set_index(["ward_name", "indicator"])
    assert v.loc[("Fairfield", "cp_plans"), "low"] == 1020
    assert (v.loc[("Fairfield", "lac"), "low"], v.loc[("Fairfield", "lac"), "high"]) == (1, 4)
    assert v.loc[("Broad Green", "cp_plans"), "status"] == "suppressed"
    assert math.isnan(v.loc[("Broad Green", "cp_plans"), "high"])
    notes = [p.message for p in report.notes]
    assert (
        "2 suppressed cell(s), kept as ranges, not zeros: Fairfield (lac <5); Broad Green (cp_plans *)"
        in notes
    )
    assert any("skipped 2 title row(s)" in n for n in notes)
    assert any("total row 'Total' excluded" in n for n in notes)
    # 25 wards absent from the file: a warning, not an error (the rollup decides)
    assert any("25 of the 28 wards have no data" in p.message for p in report.warnings)


def test_cp1252_semicolon_export(write):
    text = (
        "Ward name;Early help open cases;Notes\n"
        "Fairfield;12;Caf\u00e9 drop-in \u2013 see note\n"
        "Kenley;\u2013;\n"
    )
    data, report = validate_indicators(write("cp.csv", text, encoding="cp1252"))
    assert report.ok, [p.one_line() for p in report]
    v = data.values.set_index("ward_name")
    assert v.loc["Fairfield", "low"] == 12
    assert v.loc["Kenley", "status"] == "suppressed" and v.loc["Kenley", "marker"] == "\u2013"


def test_total_row_that_disagrees_is_an_error(write):
    path = write("t.csv", HEAD + "E05011468,Fairfield,10,3\nE05011487,Waddon,5,2\nCroydon,,16,5\n")
    _, report = validate_indicators(path)
    (problem,) = report.errors
    assert (
        problem.row == 4 and "gives 16 for cp_plans but the wards add up to 15" in problem.message
    )


def test_total_row_with_suppressed_wards_is_checked_against_the_range(write):
    path = write("t.csv", HEAD + "E05011468,Fairfield,10,<5\nE05011487,Waddon,5,2\nTotal,,15,5\n")
    _, report = validate_indicators(path)
    assert report.ok  # lac: 2 + (1..4) = 3..6 contains 5


def test_all_problems_are_collected_with_rows_and_hints(write):
    text = HEAD + (
        "E05011468,Fairfield,10,3\n"  # row 2 fine
        ",Adiscombe West,4,1\n"  # row 3 misspelt
        "E05000123,Elsewhere,2,2\n"  # row 4 other authority
        "E05011487,Waddon,-1,2.5\n"  # row 5 negative and fraction
        "E05011468,Fairfield,9,3\n"  # row 6 duplicate
        ",,7,\n"  # row 7 values but no ward
    )
    data, report = validate_indicators(write("bad.csv", text))
    assert data is None
    lines = [p.one_line() for p in report.errors]
    assert len(lines) == 6, lines
    assert any(
        "bad.csv:3: unknown ward 'Adiscombe West'; did you mean 'Addiscombe West'" in x
        for x in lines
    )
    assert any(
        "bad.csv:4: ward code 'E05000123' is not one of Croydon's 28 wards" in x for x in lines
    )
    assert any(
        "bad.csv:5: Waddon, cp_plans: -1 is negative; a count cannot be below zero" in x
        for x in lines
    )
    assert any("bad.csv:5: Waddon, lac: 2.5 is not a whole number" in x for x in lines)
    assert any("bad.csv:6: ward Fairfield appears twice (also row 2)" in x for x in lines)
    assert any("bad.csv:7: row has values but no ward" in x for x in lines)


def test_read_indicators_raises_with_the_report(write):
    with pytest.raises(InvalidInput) as info:
        read_indicators(write("bad.csv", HEAD + "E05011468,Fairfield,n/k,1\n"))
    assert "1 problem found" in info.value.message
    assert info.value.report.errors[0].field == "cp_plans"


def test_empty_file_and_missing_ward_column(write):
    _, report = validate_indicators(write("empty.csv", "\n\n"))
    assert "file is empty" in report.errors[0].message
    _, report = validate_indicators(write("nowards.csv", "place,cp_plans\nFairfield,3\n"))
    (problem,) = report.errors
    assert "no ward column found" in problem.message and "'place'" in problem.hint


def test_ward_column_option_names_an_unusual_column(write):
    data, report = validate_indicators(
        write("w.csv", "Electoral division,cp_plans\nFairfield,3\n"),
        ward_column="Electoral division",
    )
    assert report.ok and data.values["ward_code"].tolist() == ["E05011468"]


def test_code_and_name_disagreeing_is_an_error(write):
    # Issue 11: a code that contradicts its name was a warning and the code silently won; which
    # ward the row means is unknown, so the row is refused.
    data, report = validate_indicators(write("m.csv", HEAD + "E05011468,Waddon,1,2\n"))
    assert data is None
    (problem,) = report.errors
    assert problem.one_line().endswith(
        "/m.csv:2: code E05011468 is 'Fairfield' but the row names 'Waddon' (E05011487); "
        "correct the code or the name so they agree"
    )


def test_empty_cell_is_missing_not_zero(write):
    data, report = validate_indicators(write("e.csv", HEAD + "E05011468,Fairfield,,2\n"))
    row = data.values.iloc[0]
    assert row["status"] == "missing" and math.isnan(row["high"])
    assert any("Child protection plans is empty" in p.message for p in report.warnings)


def test_indicator_not_in_catalogue_is_kept_with_a_note(write):
    data, report = validate_indicators(write("n.csv", "ward,Young carers\nFairfield,4\n"))
    (ind,) = data.indicators
    assert (ind.id, ind.label, ind.in_catalogue) == ("young_carers", "Young carers", False)
    assert any("'Young carers' is not in the catalogue" in p.message for p in report.notes)


def test_two_columns_for_one_indicator_is_an_error(write):
    _, report = validate_indicators(
        write("d.csv", "ward,cp_plans,Child protection plans\nFairfield,1,1\n")
    )
    assert "are both 'Child protection plans'" in report.errors[0].message


def test_long_format_with_periods(write):
    text = (
        "ward,indicator,value,period\n"
        "Fairfield,cp_plans,10,2019-02\nFairfield,cp_plans,12,2020-02\n"
        "Waddon,lac,<5,2020-02\nTotal,cp_plans,12,2020-02\n"
    )
    data, report = validate_indicators(write("long.csv", text))
    assert report.ok, [p.one_line() for p in report]
    assert data.period == "2020-02" and len(data.values) == 2
    assert any("holds 2 periods; using the latest, 2020-02" in p.message for p in report.notes)
    older, _ = validate_indicators(write("long.csv", text), period="2019-02")
    assert older.values["low"].tolist() == [10.0]
    _, bad = validate_indicators(write("long.csv", text), period="2018-02")
    assert "period '2018-02' is not in the data" in bad.errors[0].message


def test_folder_of_files_is_read_together(tmp_path):
    (tmp_path / "a.csv").write_text("ward,cp_plans\nFairfield,3\n")
    (tmp_path / "b.csv").write_text("ward,lac\nFairfield,4\n")
    (tmp_path / "catalogue.csv").write_text("id,label\nx,y\n")  # skipped: not data
    data, report = validate_indicators(tmp_path)
    assert report.ok and sorted(data.values["indicator"]) == ["cp_plans", "lac"]


def test_same_ward_and_indicator_in_two_files_is_a_duplicate(tmp_path):
    (tmp_path / "a.csv").write_text("ward,cp_plans\nFairfield,3\n")
    (tmp_path / "b.csv").write_text("ward,cp_plans\nFairfield,4\n")
    _, report = validate_indicators(tmp_path)
    assert "appears twice" in report.errors[0].message and "a.csv:2" in report.errors[0].message


def test_xlsx_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Feb 2019"
    ws.append(["# Illustrative test data"])
    ws.append(["Ward", "EHC plans", "SEND support"])
    ws.append(["Fairfield", 12, "<5"])
    ws.append(["Waddon", 3.0, 1200])
    ws.append(["Total", 15, None])
    other = wb.create_sheet("Other")
    other.append(["Ward", "NEETs"])
    other.append(["Kenley", 2])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    data, report = validate_indicators(path)
    assert report.ok, [p.one_line() for p in report]
    assert data.illustrative
    v = data.values.set_index(["ward_name", "indicator"])
    assert v.loc[("Waddon", "ehc_plans"), "low"] == 3
    assert v.loc[("Waddon", "send_support"), "low"] == 1200
    assert v.loc[("Fairfield", "send_support"), "marker"] == "<5"
    sheet2, _ = validate_indicators(path, sheet="Other")
    assert sheet2.values["indicator"].tolist() == ["neet"]
    _, missing = validate_indicators(path, sheet="Nope")
    assert "no sheet 'Nope'" in missing.errors[0].message and "Feb 2019" in missing.errors[0].hint


def test_workbook_with_csv_name_and_old_xls_are_explained(write):
    _, report = validate_indicators(write("book.csv", b"PK\x03\x04rest"))
    assert "looks like an Excel workbook" in report.errors[0].message
    _, report = validate_indicators(write("old.xls", b"\xd0\xcf\x11\xe0"))
    assert "old .xls workbooks are not read" in report.errors[0].message
