"""Authority benchmarks: the shipped LAIT extract, the context table and `localitymap benchmark`.
Croydon's figures are the ones DfE publishes (see data/benchmarks/README.md)."""

from __future__ import annotations

import csv
import gzip
import importlib.util

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError
from localitymap.inputs.benchmarks import load_benchmarks
from localitymap.paths import data_dir
from localitymap.statistics.benchmark import benchmark, fmt, quantiles, quartile_band

from .conftest import REPO

runner = CliRunner()
CROYDON_SN = ["209", "320", "383", "870", "826", "882", "302", "852", "355", "203"]
SN_2025 = [42.1, 38.8, 36.0, 70.6, 43.9, 24.5, 24.0, 57.3, 56.9, 38.6]  # CPP_rate, LAIT 2025


@pytest.fixture(scope="module")
def bm():
    return load_benchmarks()


def test_croydon_cp_plans_2025_from_the_shipped_extract(bm):
    row = benchmark(bm, "Croydon", ["cp_plans"]).iloc[0]
    assert (row["measure"], row["year"], row["authority"]) == ("CPP_rate", "2025", "Croydon")
    assert (row["value"], row["england"], row["region_name"], row["region"]) == (
        "62.6", "40.6", "London", "37.2"
    )  # fmt: skip
    assert bm.neighbours["306"] == CROYDON_SN
    assert row["neighbours_average"] == fmt(sum(SN_2025) / 10, 1) == "43.3"
    assert (row["neighbours_low"], row["neighbours_high"], row["neighbours_n"]) == (
        "24.0",
        "70.6",
        10,
    )
    assert row["band"] == ""  # polarity '-': no band
    assert (row["previous_year"], row["previous"], row["change"]) == ("2024", "66.1", "-3.5")


@pytest.mark.parametrize("key", ["Croydon", "croydon", "306", "E09000008", "Croydon (E09000008)"])
def test_any_authority_by_name_number_or_code(bm, key):
    assert benchmark(bm, key, ["CPP_rate"]).iloc[0]["value"] == "62.6"


def test_croydon_history_and_children_in_need(bm):
    assert [bm.value("CPP_rate", "306", y) for y in ("2022", "2023", "2024", "2025")] == [
        "47.8", "54.8", "66.1", "62.6"
    ]  # fmt: skip
    row = benchmark(bm, "306", ["cin_plans"]).iloc[0]
    assert (row["value"], row["england"], row["region"]) == ("493.6", "330.3", "359.2")


def test_other_authority_and_region(bm):
    leeds = benchmark(bm, "Leeds", ["cp_plans"]).iloc[0]
    assert leeds["region_name"] == "Yorkshire and the Humber"
    assert leeds["region"] == bm.value("CPP_rate", "982", "2025") != ".."
    assert leeds["neighbours_n"] == 10


def test_band_follows_polarity_and_academic_years_are_consecutive(bm):
    t = benchmark(bm, "Croydon").set_index("indicator")
    assert t.loc["persistent_absentees", "band"] == "C"  # 18.75%, low is good
    ex = t.loc["exclusions"]
    assert (ex["year"], ex["previous_year"], ex["change"]) == ("2023/24", "2022/23", "0.20")
    # two decimals where the dictionary says so
    assert t.loc["persistent_absentees", "value"] == "18.75"


def test_unknown_authority_names_the_nearest(bm):
    with pytest.raises(InputError) as exc:
        benchmark(bm, "Croydn")
    assert exc.value.one_line().endswith("did you mean Croydon?")


def test_markers_stay_markers(bm):
    # City of London publishes no CP rate in 2016: the marker is kept, no band, no change
    assert bm.value("CPP_rate", "201", "2016") == ".."
    row = benchmark(bm, "201", ["CPP_rate"], year="2016").iloc[0]
    assert (row["value"], row["band"], row["change"]) == ("..", "", "")


@given(st.lists(st.integers(0, 1000), min_size=4, max_size=60), st.integers(0, 1000))
def test_bands_are_mirror_images_under_polarity(values, value):
    xs = [*values, value]
    low, high = quartile_band(value, xs, "Low"), quartile_band(value, xs, "High")
    q1, q2, q3 = quantiles(xs)
    assert q1 <= q2 <= q3
    if value < q1:
        assert (low, high) == ("A", "D")
    if value > q3:
        assert (low, high) == ("D", "A")


def test_cli_table_and_csv():
    result = runner.invoke(app, ["benchmark", "--measure", "cp_plans"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith(" Child protection"))
    assert line.split()[-8:] == ["2025", "62.6", "40.6", "37.2", "43.3", "24.0–70.6", "n/a", "-3.5"]
    result = runner.invoke(app, ["benchmark", "-m", "cp_plans", "-a", "E09000008", "-f", "csv"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(result.output.splitlines()))
    assert (row["value"], row["england"], row["region"], row["neighbours_average"]) == (
        "62.6", "40.6", "37.2", "43.3"
    )  # fmt: skip
    assert runner.invoke(app, ["benchmark", "-a", "Nowhere"]).exit_code == 1


def test_shipped_extract_matches_its_source(shared_real, tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bb", REPO / "scripts" / "build_benchmarks.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    source = shared_real / "benchmarks"
    if not source.is_dir():
        pytest.skip("../shared/data/real/benchmarks is not present")
    monkeypatch.setattr(build, "OUT", tmp_path)
    build.main()
    for name in ("measures.csv", "values.csv", "areas.csv", "neighbours.csv"):
        assert (tmp_path / name).read_text() == (data_dir() / "benchmarks" / name).read_text()
    # and the figure the issue names, straight from the raw file
    with gzip.open(source / "lait_bds_long_2025.csv.gz", "rt", encoding="utf-8-sig") as fh:
        raw = {
            (r["LA and Regions"]): r["Values"]
            for r in csv.DictReader(fh)
            if r["Short Desc"] == "CPP_rate" and r["Years"] == "2025"
        }
    assert round(float(raw["Croydon"]), 1) == 62.6 and round(float(raw["London"]), 1) == 37.2


def test_rollup_rates_and_report_carry_the_published_context(tmp_path):
    result = runner.invoke(app, ["rollup", "-s", "icn6", "--rates", "-i", "cp_plans"])
    assert result.exit_code == 0, result.output
    block = result.output[result.output.index("The borough beside its published figures") :]
    line = next(x for x in block.splitlines() if x.startswith(" Child"))
    # the borough's rate from the exercise (392 / 85,672 children) beside the published 62.6
    assert line.split()[-8:] == [
        "45.8",
        "62.6",
        "(2025)",
        "40.6",
        "37.2",
        "43.3",
        "24.0–70.6",
        "n/a",
    ]
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "-s", "icn6", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<h2>Published benchmarks</h2>" in page
    section = page[page.index("<h2>Published benchmarks</h2>") :]
    assert "<td>45.8</td><td>62.6 (2025)</td><td>40.6</td><td>37.2</td>" in section.replace(
        ' class="num"', ""
    )


def test_the_authority_comes_from_the_exercise_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "localitymap.toml").write_text(
        '[exercise]\nauthority = "London Borough of Lewisham"\n'
    )
    result = runner.invoke(app, ["benchmark", "-m", "cp_plans", "-f", "csv"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(result.output.splitlines()))
    assert (row["authority"], row["la_number"], row["value"]) == ("Lewisham", "209", "42.1")
