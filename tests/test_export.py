from __future__ import annotations

import io
import json
import time

import openpyxl
import pytest

from localitymap.errors import OutputError, OutputExists
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import rollup
from localitymap.renderers.export import render, to_csv, to_json, write_atomic

from .conftest import FEB2019, GOLDEN, update_golden
from .spreadsheet_guidance import check_workbook, table_top


@pytest.fixture(scope="module")
def table():
    return rollup(FEB2019, "icn6")


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if update_golden():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from its golden file"


@pytest.mark.parametrize(
    "fmt, name",
    [("csv", "rollup_icn6.csv"), ("md", "rollup_icn6.md"), ("json", "rollup_icn6.json")],
)
def test_text_exports_match_golden_files(table, fmt, name):
    _check_golden(name, render(table, fmt))


def _workbook_cells(data: bytes) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_xlsx_export_matches_golden_cells(table):
    cells = _workbook_cells(render(table, "xlsx"))
    _check_golden("rollup_icn6_xlsx.json", json.dumps(cells, indent=1, ensure_ascii=False) + "\n")


def test_xlsx_follows_the_government_spreadsheet_guidance(table):
    wb = openpyxl.load_workbook(io.BytesIO(render(table, "xlsx")))
    tables = check_workbook(wb)
    assert list(tables) == ["Contents", "Notes", "Counts", "Shares", "Ranks", "Highest"]
    assert "ILLUSTRATIVE DATA" in wb["Cover"]["A2"].value
    assert ["Child protection plans", "Central West", 113, 113, 113] in tables["Counts"]
    shares = wb["Shares"]
    top = table_top(shares)
    assert shares.cell(row=top + 1, column=1).value == "Early help open cases"
    row = next(r for r in shares.iter_rows(min_row=top + 1) if r[0].value == "Child protection plans"
               and r[1].value == "Central West")  # fmt: skip
    assert row[2].number_format == "0.0%" and row[2].value == pytest.approx(113 / 405)


def test_rollup_xlsx_with_rates_and_suppression_meets_the_guidance(tmp_path):
    from localitymap.publication.disclosure import protect, public_table
    from localitymap.statistics.rates import add_rates, read_population

    v = read_indicators(FEB2019).values
    small = v.pivot(index="ward_code", columns="indicator", values="low") // 9
    small.astype(int).reset_index().to_csv(tmp_path / "small.csv", index=False)
    data = read_indicators(tmp_path / "small.csv")
    t = rollup(data, "icn6")
    scheme = load_scheme("icn6")
    p = protect(t, "dfe", data=data, scheme=scheme)
    pub = add_rates(public_table(t, p), data, scheme, read_population())
    wb = openpyxl.load_workbook(io.BytesIO(render(pub, "xlsx")))
    tables = check_workbook(wb)
    assert "Rates" in tables
    assert "[c]" in [v for r in tables["Counts"] for v in r]
    cover = [c.value for c in wb["Cover"]["A"]]
    assert cover[cover.index("Status") + 1].startswith("Disclosure control: DfE convention")


def test_exports_are_deterministic(table):
    again = rollup(FEB2019, "icn6")
    for fmt in ("csv", "json", "md"):
        assert render(table, fmt) == render(again, fmt)
    first = render(table, "xlsx")
    time.sleep(1.1)  # openpyxl and zip stamp times to the second; they must not leak into the bytes
    assert render(again, "xlsx") == first


def test_csv_states_its_data_status_and_reads_back(table):
    import pandas as pd

    text = to_csv(table)
    assert text.splitlines()[1].startswith("# ILLUSTRATIVE DATA")
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert (
        len(back) == 98
        and back.loc[back.is_total, "count"].sum() == table.loc[table.is_total, "count"].sum()
    )


def test_json_nulls_for_unknown_values(write):
    data = write("d.csv", "ward,cp_plans\nFairfield,10\nWaddon,*\nKenley,3\n")
    scheme = write(
        "s.toml",
        '[localities.A]\nwards = ["Fairfield", "Waddon"]\n[localities.B]\nwards = ["Kenley"]\n',
    )
    doc = json.loads(to_json(rollup(data, scheme)))
    a = doc["rows"][0]
    assert (
        a["locality"] == "A"
        and a["count"] is None
        and a["count_high"] is None
        and a["count_low"] == 10
    )
    assert doc["meta"]["illustrative"] is False


def test_write_atomic_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "out.csv"
    write_atomic(path, "one\n")
    with pytest.raises(OutputExists, match="already exists"):
        write_atomic(path, "two\n")
    assert path.read_text() == "one\n"
    write_atomic(path, "two\n", force=True)
    assert path.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary files left


def test_write_atomic_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old\n")

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", boom)
    # Issue 11: the OS error becomes an OutputError naming the output (it was a bare OSError,
    # which the CLI reported as "unexpected").
    with pytest.raises(OutputError, match=r"cannot write .*out\.csv: disk full"):
        write_atomic(path, "new\n", force=True)
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_gc_paused_restores_the_collector_as_it_found_it():
    import gc

    from localitymap.renderers.export import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's choice is not overridden
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()


def test_a_workbook_is_the_same_bytes_whatever_the_hash_seed():
    """Number formats get their ids in the order a sheet uses them, not a set's order (which
    changes with Python's hash seed): equal inputs, equal files, equal manifest hashes."""
    import hashlib
    import subprocess
    import sys

    script = (
        "import hashlib\n"
        "from localitymap.renderers.workbook import Sheet, write_workbook\n"
        "s = Sheet('T', 'Table 1: T', ['Area', 'Share', 'Rate', 'Count', 'Rank'],\n"
        "          [['A', 0.5, 1.5, 3, 1], ['B', 0.25, 2.5, 4, 2]],\n"
        "          kinds=['text', 'share', 'rate', 'count', 'rank'])\n"
        "print(hashlib.sha256(write_workbook(title='T', cover=[], notes=[], sheets=[s])).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "3", "11"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        digests.add(out.stdout.strip())
    assert len(digests) == 1
    assert len(next(iter(digests))) == len(hashlib.sha256().hexdigest())
