"""Snapshots by period and what changed between two of them."""

from __future__ import annotations

import io
import json
import math

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError
from localitymap.inputs.indicators import bundled_periods, read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.inputs.wards import load_register
from localitymap.model.rollup import TOTAL, rollup
from localitymap.statistics.compare import compare
from localitymap.statistics.rates import add_rates, read_population

from .spreadsheet_guidance import check_workbook

runner = CliRunner()


def _row(t, ind, loc):
    return t[(t.indicator == ind) & (t.locality == loc)].iloc[0]


@pytest.fixture(scope="module")
def changes():
    scheme = load_scheme("icn6")
    before = rollup(read_indicators(period="2019-02"), scheme)
    after = rollup(read_indicators(period="2020-02"), scheme)
    return compare(before, after)


def test_periods_select_bundled_snapshots_and_latest_is_default():
    assert bundled_periods() == ["2019-02", "2020-02"]
    assert read_indicators().period == "2020-02"
    feb20 = read_indicators(period="2020-02")
    assert feb20.illustrative and any("February 2020" in n for n in feb20.notes)
    with pytest.raises(InputError, match="no bundled snapshot for period '2018-02'") as info:
        read_indicators(period="2018-02")
    assert "2019-02, 2020-02" in info.value.hint


def test_changes_in_count_share_and_rank(changes):
    se = _row(changes, "neet", "South East")
    assert (se["count_before"], se["count_after"], se["change"]) == (86, 99, 13)
    assert se["change_pct"] == pytest.approx(13 / 86 * 100)
    assert (se["rank_before"], se["rank_after"], se["rank_change"], se["direction"]) == (
        2,
        1,
        1,
        "up",
    )
    cw = _row(changes, "neet", "Central West")
    assert (cw["rank_before"], cw["rank_after"], cw["rank_change"], cw["direction"]) == (
        1,
        2,
        -1,
        "down",
    )
    total = _row(changes, "neet", TOTAL)
    assert (
        total["change"]
        == changes[(changes.indicator == "neet") & ~changes.is_total]["change"].sum()
    )
    body = changes[~changes.is_total & changes.presence.eq("both")]
    assert body.groupby("indicator")["share_change_pp"].sum().abs().max() < 1e-9


def test_indicator_in_one_period_is_listed_not_dropped(changes):
    young = changes[changes.indicator == "young_carers"]
    assert len(young) == 7 and set(young["presence"]) == {"after only"}
    assert young["change"].isna().all() and changes.attrs["only_after"] == ["young_carers"]


def test_suppressed_cells_make_changes_ranges(write):
    def data(value):
        return read_indicators(
            write(f"d{value}.csv", f"ward,cp_plans\nFairfield,{value}\nWaddon,4\nKenley,5\n")
        )

    scheme = load_scheme(
        write(
            "s.toml",
            '[localities.A]\nwards = ["Fairfield", "Waddon"]\n[localities.B]\nwards = ["Kenley"]\n',
        )
    )
    c = compare(rollup(data("10"), scheme), rollup(data("<5"), scheme))
    a = _row(c, "cp_plans", "A")
    assert math.isnan(a["change"]) and (a["change_low"], a["change_high"]) == (-9, -6)
    assert a["direction"] == "down"  # every possible value is lower


def test_different_schemes_are_refused():
    feb19 = read_indicators(period="2019-02")
    with pytest.raises(InputError, match="different schemes"):
        compare(rollup(feb19, "icn6"), rollup(feb19, "areas3"))


def test_rates_flag_changes_beyond_the_confidence_intervals(write):
    pop = read_population()
    scheme = load_scheme("areas3")

    def snapshot(value):
        text = "ward,cp_plans\n" + "".join(f"{c},{value}\n" for c in pop.index)
        d = read_indicators(write(f"p{value}.csv", text))
        return add_rates(rollup(d, scheme), d, scheme, pop)

    c = compare(snapshot(5), snapshot(20))
    assert set(c["ci_change"]) == {"higher"}
    same = compare(snapshot(5), snapshot(6))
    assert set(same["ci_change"]) == {"similar"}


def test_compare_cli_formats(tmp_path):
    args = ["compare", "2019-02", "2020-02", "--scheme", "icn6"]
    table = runner.invoke(app, [*args, "-i", "neet"], env={"COLUMNS": "100"})
    assert table.exit_code == 0, table.stderr
    assert "South East" in table.stdout and "2→1" in table.stdout
    assert max(len(x) for x in table.stdout.splitlines()) <= 100
    csv = runner.invoke(app, [*args, "-f", "csv"])
    df = pd.read_csv(io.StringIO(csv.stdout), comment="#")
    assert len(df) == 15 * 7 and set(df["presence"]) == {"both", "after only"}
    assert (
        json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)["meta"]["period_after"]
        == "2020-02"
    )
    md = runner.invoke(app, [*args, "-f", "md"]).stdout
    assert md.startswith("## What changed") and "86→99 +13 ▲ #2→1" in md
    out = tmp_path / "c.xlsx"
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Cover", "Contents", "Notes", "Changes"]
    changes = check_workbook(wb)["Changes"]
    assert len(changes) == 1 + 15 * 7 and "[x]" in {v for r in changes for v in r}
    assert runner.invoke(app, [*args, "-f", "gpkg"]).exit_code == 2
    assert runner.invoke(app, ["compare", "2019-02", "2017-02", "--scheme", "icn6"]).exit_code == 1


def test_trend_needs_five_periods(changes):
    assert set(changes["trend"]) == {"cannot be calculated"} and changes.attrs["trend_periods"] == 2


def test_recent_trend_over_five_periods_from_a_users_file(write):
    """Fairfield's CP plans climb every year; the rest of the borough is flat."""
    periods = ["2016-02", "2017-02", "2018-02", "2019-02", "2020-02"]
    lines = ["ward,indicator,value,period"]
    for k, period in enumerate(periods):
        for ward in load_register().codes:
            value = 20 + 15 * k if ward == "E05011468" else 10
            lines.append(f"{ward},cp_plans,{value},{period}")
    path = write("series.csv", "\n".join(lines) + "\n")
    result = runner.invoke(
        app, ["compare", "2019-02", "2020-02", "-s", "icn6", "-d", str(path), "-f", "csv"]
    )
    assert result.exit_code == 0, result.stderr
    df = pd.read_csv(io.StringIO(result.stdout), comment="#").set_index("locality")
    assert df.loc["Central West", "trend"] == "increasing"  # Fairfield is in Central West
    assert df.loc["South West", "trend"] == "no significant change"
    table = runner.invoke(
        app,
        ["compare", "2019-02", "2020-02", "-s", "icn6", "-d", str(path)],
        env={"COLUMNS": "120"},
    )
    assert "↑ increasing" in table.stdout and "recent-trend test" in table.stdout


def test_compare_writes_geographic_formats(tmp_path):
    import geopandas as gpd

    out = tmp_path / "changes.gpkg"
    result = runner.invoke(app, ["compare", "2019-02", "2020-02", "-s", "icn6", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    layer = gpd.read_file(out, layer="changes").set_index("locality")
    assert layer.crs.to_epsg() == 27700 and len(layer) == 6
    se = layer.loc["South East"]
    assert (se["neet_before"], se["neet_after"], se["neet_change"], se["neet_rank_change"]) == (
        86,
        99,
        13,
        1,
    )
    assert se["neet_direction"] == "up" and "young_carers_change" not in layer.columns
    gj = runner.invoke(app, ["compare", "2019-02", "2020-02", "-s", "areas3", "-f", "geojson"])
    doc = json.loads(gj.stdout)
    assert len(doc["features"]) == 3 and doc["localitymap"]["periods"] == "2019-02 to 2020-02"


def test_a_multi_period_file_is_parsed_once_for_a_whole_trend(tmp_path, monkeypatch):
    import localitymap.inputs.indicators as indicators
    from localitymap.exercise import Exercise

    reg = load_register()
    rows = [
        {"period": f"{y}-02", "ward": reg.name_of(c), "cp_plans": 10 + (y + k) % 7}
        for y in range(2016, 2026)
        for k, c in enumerate(reg.codes)
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "multi.csv", index=False)
    calls = []
    real = indicators.read_table
    monkeypatch.setattr(indicators, "read_table", lambda *a, **k: calls.append(a) or real(*a, **k))
    changes = Exercise(scheme="icn6", data=tmp_path / "multi.csv").compare("2024-02")
    assert changes.attrs["trend_periods"] == 10 and len(calls) == 1
    # A changed file is read again, not served from the last parse, even with its time stamp
    # put back (a copy tool, or a file system with coarse times).
    import os

    path = tmp_path / "multi.csv"
    total = Exercise(scheme="icn6", data=path).data.values["low"].sum()  # from the last parse
    stamp = path.stat()
    path.write_text(path.read_text().replace(",10\n", ",11\n"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    again = Exercise(scheme="icn6", data=path).data
    assert len(calls) == 2 and again.values["low"].sum() > total


def _period(period, counts, *, measure=None):
    """A rollup of one period as compare and its trend read it: ``counts`` maps (indicator,
    locality) to a count, a (low, high) range, or a (count, denominator) pair with ``measure``."""
    rows = []
    for (ind, loc), value in counts.items():
        row = {"indicator": ind, "label": ind.upper(), "locality": loc, "is_total": False}
        if measure is not None:
            (low, high), row["denominator"], row["measure"] = (value[0],) * 2, value[1], measure
        else:
            low, high = value if isinstance(value, tuple) else (value, value)
        rows.append({**row, "count_low": float(low), "count_high": float(high)})
    table = pd.DataFrame(rows)
    table.attrs.update(scheme="test", period=period)
    return table


def test_the_trend_takes_each_localitys_last_five_periods_that_hold_it():
    """A locality missing from a period is tested over its last five periods, not given up;
    four periods are too few; a range among the last five makes the trend incalculable, one
    before them does not."""
    from localitymap.statistics.compare import trends
    from localitymap.statistics.methods import recent_trend

    north = [10, 15, 22, 33, 50, None, 112]  # not in the sixth period
    series = {
        ("cp", "North"): north,
        ("cp", "South"): [None, None, None, 10, 20, 40, 80],
        ("cp", "East"): [10, 10, 10, 10, (0, 4), 10, 10],
        ("cp", "West"): [(0, 4), (0, 4), 10, 14, 19, 25, 33],
    }
    history = [
        _period(f"p{k}", {key: v[k] for key, v in series.items() if v[k] is not None})
        for k in range(7)
    ]
    changes = compare(history[0], history[-1], history).set_index("locality")
    last_five = [15, 22, 33, 50, 112]
    assert recent_trend(last_five) == "increasing"
    assert changes["trend"].to_dict() == {
        "North": "increasing",
        "East": "cannot be calculated",
        "West": "increasing",
        "South": "cannot be calculated",
    }
    assert changes.loc["South", "presence"] == "after only"
    assert trends(history) == {("cp", loc): v for loc, v in changes["trend"].items()}


def test_the_trend_of_a_proportion_follows_the_latest_periods_measure():
    """40, 45, 50, 55, 60 out of 100: a proportion rising significantly (Cochran-Armitage), a
    rate that is not (Poisson); the latest period's measure decides which test applies."""
    counts = [40, 45, 50, 55, 60]

    def history(last_measure):
        return [
            _period(f"p{k}", {("neet", "North"): (c, 100)},
                    measure=last_measure if k == 4 else "per 10,000")
            for k, c in enumerate(counts)
        ]  # fmt: skip

    as_share = history("%")
    assert compare(as_share[0], as_share[-1], as_share)["trend"].tolist() == ["increasing"]
    as_rate = history("per 10,000")
    assert compare(as_rate[0], as_rate[-1], as_rate)["trend"].tolist() == ["no significant change"]


def test_compare_columns_keep_their_types():
    """Text stays pandas text (not categories or objects), ranks nullable integers, counts
    floats: the report, workbook and CSV writers rely on these types."""
    scheme = load_scheme("icn6")
    tables = [rollup(read_indicators(period=p), scheme) for p in bundled_periods()]
    for t in tables[:1]:
        for c in ("indicator", "label", "domain", "locality"):
            assert t[c].dtype == "str", c
        assert str(t["rank"].dtype) == "Int64" and t["count_low"].dtype == float
    changes = compare(tables[0], tables[-1], tables)
    for c in ("indicator", "label", "locality", "presence", "direction", "trend", "ci_change"):
        assert changes[c].dtype == "str", c
    for c in ("rank_before", "rank_after", "rank_change"):
        assert str(changes[c].dtype) == "Int64", c
    assert changes["is_total"].dtype == bool and changes["change"].dtype == float
    # Columns a comparison does not read make no difference.
    extra = [t.assign(unused=t["count_low"] * 2) for t in tables]
    pd.testing.assert_frame_equal(compare(extra[0], extra[-1], extra), changes)
