"""Crosswalks between ward sets: counts are conserved exactly, whatever the weights."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InvalidInput, Report
from localitymap.inputs.indicators import Indicator, IndicatorData, read_indicators
from localitymap.inputs.wards import load_register
from localitymap.model.crosswalk import (
    Lookup,
    crosswalk,
    lookup_from_boundaries,
    read_lookup,
    split_count,
    split_range,
    to_csv,
)
from localitymap.model.geo import load_boundaries

TARGET = load_register()


@given(st.integers(0, 10_000), st.lists(st.floats(0.01, 1.0), min_size=1, max_size=8))
def test_split_count_conserves_and_stays_proportional(count, weights):
    parts = split_count(count, weights)
    assert sum(parts) == count and all(p >= 0 for p in parts)
    total = sum(weights)
    assert all(abs(p - count * w / total) < 1 + 1e-9 for p, w in zip(parts, weights, strict=True))


@st.composite
def lookups_and_counts(draw):
    n_old = draw(st.integers(1, 12))
    olds = [f"OLD{i:02d}" for i in range(n_old)]
    rows = []
    for old in olds:
        targets = draw(st.lists(st.sampled_from(TARGET.codes), min_size=1, max_size=4, unique=True))
        raw = [draw(st.floats(0.05, 1.0)) for _ in targets]
        rows += [(old, t, w / sum(raw)) for t, w in zip(targets, raw, strict=True)]
    values = []
    for old in olds:
        kind = draw(st.sampled_from(["value", "value", "range", "open"]))
        low = draw(st.integers(0, 500))
        high = {"value": low, "range": low + draw(st.integers(1, 9)), "open": math.nan}[kind]
        values.append((old, low, high, "value" if kind == "value" else "suppressed"))
    return pd.DataFrame(rows, columns=["old_code", "new_code", "weight"]), values


@settings(max_examples=100, deadline=None)
@given(lookups_and_counts())
def test_crosswalk_conserves_exact_totals_and_covers_ranges(case):
    table, values = case
    lookup = Lookup(table, "test")
    data = _old_data(values, lookup)
    frame = data.values
    out = crosswalk(data, lookup, TARGET)
    exact = frame["status"].eq("value")
    if exact.all():
        assert out["low"].sum() == frame["low"].sum() == out["high"].sum()
    # Ranges widen (each new ward takes its own extremes) but never lose a possible total.
    assert out["low"].sum() <= frame["low"].sum()
    if frame["high"].notna().all():
        assert out["high"].sum() >= frame["high"].sum()
    else:
        assert out["high"].isna().any()


def _old_data(values, lookup):
    frame = pd.DataFrame({
        "ward_code": [v[0] for v in values], "ward_name": [v[0] for v in values], "indicator": "x",
        "low": [float(v[1]) for v in values], "high": [float(v[2]) for v in values],
        "status": [v[3] for v in values], "marker": "", "period": "", "file": "t", "row": 0,
    })  # fmt: skip
    return IndicatorData(frame, [Indicator("x", "X")], lookup.old_register(), Report(), ["t"])


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 60), st.one_of(st.integers(1, 12), st.none()),
    st.lists(st.floats(0.001, 1.0), min_size=1, max_size=6),
)  # fmt: skip
def test_every_possible_split_lies_in_its_published_range(low, width, weights):
    high = math.nan if width is None else low + width
    ranges = split_range(low, high, weights)
    top = low + (width if width is not None else 80)  # unbounded: try well beyond the low end
    for count in range(low, top + 1):
        for part, (lo, hi) in zip(split_count(count, weights), ranges, strict=True):
            assert lo <= part and (math.isnan(hi) or part <= hi)
    # ...and no range is wider than the splits need: its ends are reached.
    if width is not None:
        splits = [split_count(c, weights) for c in range(low, high + 1)]
        assert ranges == [(min(col), max(col)) for col in zip(*splits, strict=True)]


def test_a_suppressed_split_is_monotone_where_largest_remainder_is_not():
    # The case: <10 (1-9) split 0.057/0.297/0.646. Splitting 1 and 9 alone gives the
    # first ward 0..0, yet 8 would give it 1.
    weights = [0.057, 0.297, 0.646]
    assert split_count(8, weights)[0] == 1 and split_count(9, weights)[0] == 0
    assert split_range(1, 9, weights)[0] == (0, 1)


@settings(max_examples=40, deadline=None)
@given(lookups_and_counts())
def test_crosswalk_then_rollup_keeps_every_bound(tmp_path_factory, case):
    from localitymap.inputs.schemes import load_scheme
    from localitymap.model.rollup import TOTAL, rollup

    table, values = case
    lookup = Lookup(table, "test")
    out = crosswalk(_old_data(values, lookup), lookup, TARGET)
    # Wards no old ward reaches hold 0, so the borough's bounds are the crosswalk's alone.
    absent = [c for c in TARGET.codes if c not in set(out["ward_code"])]
    zeros = pd.DataFrame({"ward_code": absent, "ward_name": [TARGET.name_of(c) for c in absent],
                          "indicator": "x", "period": "", "low": 0, "high": 0.0,
                          "status": "value"})  # fmt: skip
    out = pd.concat([out, zeros], ignore_index=True)
    path = tmp_path_factory.mktemp("rt") / "new.csv"
    path.write_text(to_csv(out, lookup, illustrative=False))
    back = read_indicators(path, register=TARGET)
    got = back.values.set_index("ward_code").sort_index()
    want = out.set_index("ward_code").sort_index()
    assert got["low"].tolist() == want["low"].tolist()  # no range read back as missing
    assert got["high"].fillna(-1).tolist() == want["high"].fillna(-1).tolist()
    scheme = load_scheme("icn6")
    total = rollup(back, scheme)
    borough = total[total["locality"] == TOTAL].iloc[0]
    assert borough["count_low"] == out["low"].sum()
    high = out["high"].sum() if out["high"].notna().all() else math.nan
    assert borough["count_high"] == high or (math.isnan(high) and math.isnan(borough["count_high"]))


@pytest.fixture(scope="module")
def merged_old_wards(tmp_path_factory):
    """14 'old wards', each two of today's wards merged (real geometry, invented history)."""
    new = load_boundaries()
    frame = new.frame.reset_index(drop=True)
    frame["old"] = [f"E05OLD{i // 2:03d}" for i in range(len(frame))]
    old = frame.dissolve(by="old", as_index=False)[["old", "geometry"]]
    old = old.rename(columns={"old": "ward_code"})
    old["ward_name"] = [f"Old ward {i}" for i in range(len(old))]
    path = tmp_path_factory.mktemp("old") / "old_wards.gpkg"
    gpd.GeoDataFrame(old, geometry="geometry", crs=27700).to_file(path)
    return path, dict(zip(frame["ward_code"], frame["old"], strict=True))


def test_area_lookup_sends_each_old_ward_to_the_wards_it_covers(merged_old_wards):
    path, new_to_old = merged_old_wards
    lookup = lookup_from_boundaries(load_boundaries(path), load_boundaries())
    sums = lookup.table.groupby("old_code")["weight"].sum()
    assert np.allclose(sums, 1.0) and len(sums) == 14
    big = lookup.table[lookup.table["weight"] > 0.01]
    assert all(new_to_old[r.new_code] == r.old_code for r in big.itertuples())
    assert lookup.weighting == "area overlap (EPSG:27700)"


def test_crosswalk_cli_with_area_weights(merged_old_wards, tmp_path):
    path, new_to_old = merged_old_wards
    old_codes = sorted(set(new_to_old.values()))
    counts = tmp_path / "old.csv"
    counts.write_text(
        "ward_code,cp_plans,lac\n" + "".join(f"{c},{10 + i},<5\n" for i, c in enumerate(old_codes))
    )
    out = tmp_path / "new.csv"
    result = CliRunner().invoke(
        app, ["crosswalk", "-d", str(counts), "--from-wards", str(path), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "crosswalk weighting: area overlap" in result.stderr
    text = out.read_text()
    assert "# crosswalk weighting: area overlap (EPSG:27700)" in text
    back = read_indicators(out)
    assert len(back.wards()) == 28
    cp = back.values[back.values.indicator == "cp_plans"]
    assert cp["low"].sum() == sum(10 + i for i in range(14))
    lac = pd.read_csv(out, comment="#").query("indicator == 'lac'")
    assert lac["value"].isna().all() and lac["value_low"].sum() <= 14
    assert lac["value_high"].sum() >= 14 * 4
    read_back = back.values[back.values.indicator == "lac"]
    assert (read_back["status"] == "suppressed").all()  # ranges, not missing
    assert read_back["low"].sum() == lac["value_low"].sum()
    assert read_back["high"].sum() == lac["value_high"].sum()
    assert (tmp_path / "new.csv.manifest.json").is_file()


def test_lookup_files_are_checked(write, tmp_path):
    bad = write(
        "lk.csv", "old_code,new_code,weight\nA,E05011468,0.6\nA,Fairfeld,0.3\nB,E05011487,x\n"
    )
    with pytest.raises(InvalidInput) as info:
        read_lookup(bad, TARGET)
    messages = [p.message for p in info.value.report.errors]
    assert any("new unknown ward 'Fairfeld'" in m for m in messages) and any(
        "not a number" in m for m in messages
    )
    short = write(
        "lk2.csv",
        "# weighting: 2019 population\nold_code,new_code,weight\nA,Fairfield,0.6\nA,Waddon,0.3\n",
    )
    with pytest.raises(InvalidInput, match="1 problem") as info:
        read_lookup(short, TARGET)
    assert "weights of old ward A add up to 0.9" in info.value.report.errors[0].message
    ok = read_lookup(
        write(
            "lk3.csv",
            "# weighting: 2019 population\nold_code,new_code,weight\nA,Fairfield,0.6\nA,Waddon,0.4\n",
        ),
        TARGET,
    )
    assert ok.weighting == "2019 population" and ok.table["new_code"].tolist() == [
        "E05011468",
        "E05011487",
    ]
    # Without a weighting note the output says which file the weights came from, by name only.
    deep = tmp_path / "private" / "folder"
    deep.mkdir(parents=True)
    plain = deep / "lk4.csv"
    plain.write_text("old_code,new_code,weight\nA,Fairfield,0.6\nA,Waddon,0.4\n")
    assert read_lookup(plain, TARGET).weighting == "weights from lk4.csv"


def test_a_lookup_is_an_input_of_the_run(write, tmp_path):
    """The lookup is listed in the manifest and, like every input, never written over."""
    import hashlib
    import json

    from localitymap.inputs.files import inputs_read

    lookup = write(
        "lookup.csv",
        "# weighting: 2019 population\nold_code,new_code,weight\n"
        "A,Fairfield,0.6\nA,Waddon,0.4\nB,Selhurst,1\n",
    )
    read_lookup(lookup, TARGET)
    assert lookup.resolve() in inputs_read()
    counts = write("old.csv", "ward_code,cp_plans\nA,10\nB,7\n")
    out = tmp_path / "new.csv"
    args = ["crosswalk", "-d", str(counts), "--lookup", str(lookup)]
    result = CliRunner().invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "new.csv.manifest.json").read_text())
    digest = hashlib.sha256(lookup.read_bytes()).hexdigest()
    assert {"role": "lookup", "path": "lookup.csv", "sha256": digest} in manifest["inputs"]
    before = lookup.read_bytes()
    over = CliRunner().invoke(app, [*args, "-o", str(lookup), "--force"])
    assert over.exit_code != 0 and "one of this run's inputs" in over.stderr
    assert lookup.read_bytes() == before
