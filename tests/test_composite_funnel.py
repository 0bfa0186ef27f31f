"""Composite demand index and funnel plots."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError, InvalidInput
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import rollup
from localitymap.statistics.composite import composite, load_weights
from localitymap.statistics.funnel import funnel_points, render_funnel
from localitymap.statistics.rates import add_rates, read_population

from .conftest import FEB2019

runner = CliRunner()


@pytest.fixture(scope="module")
def rated():
    data, scheme, pop = read_indicators(FEB2019), load_scheme("icn6"), read_population()
    return add_rates(rollup(data, scheme), data, scheme, pop), data, pop


def test_share_index_is_the_weighted_mean_share_and_adds_to_one(rated):
    table = rated[0]
    c = composite(table, load_weights("equal")).set_index("locality")
    assert c["index"].sum() == pytest.approx(1.0)
    body = table[~table.is_total]
    expected = body.groupby("locality")["share"].mean()
    for loc in c.index:
        assert c.loc[loc, "index"] == pytest.approx(expected[loc])
    assert c["rank"].tolist() == [3, 4, 1, 5, 6, 2] and (c["indicators"] == 14).all()


def test_toxic_trio_and_rate_basis(rated):
    table = rated[0]
    trio = composite(table, load_weights("toxic_trio")).set_index("locality")
    assert (trio["indicators"] == 3).all() and trio["rank"].idxmin() == "Central West"
    by_rate = composite(table, load_weights("toxic_trio"), basis="rate").set_index("locality")
    rows = table[
        table.indicator.isin(["domestic_abuse", "adult_mental_health", "parental_substance_misuse"])
    ]
    ratio = (
        rows[~rows.is_total].set_index(["indicator", "locality"])["rate"]
        / rows[rows.is_total].set_index("indicator")["rate"]
    )
    assert by_rate.loc["Central East", "index"] == pytest.approx(
        ratio.xs("Central East", level="locality").mean()
    )
    assert by_rate["rank"].idxmin() == "Central East"  # per child, not volume, leads here


def test_weights_files_are_validated(write, rated):
    with pytest.raises(InvalidInput) as info:
        load_weights(write("w.csv", "indicator,weight\ncp_plans,two\nlac,-1\nlac,1\n"))
    assert (
        len(info.value.report.errors) == 2
    )  # 'two' and -1; the repeat of lac after a bad row is fine
    with pytest.raises(InputError, match="not in the data: young_carers"):
        composite(rated[0], load_weights(write("w2.csv", "indicator,weight\nyoung_carers,1\n")))
    with pytest.raises(InputError, match="every weight is 0"):
        load_weights(write("w3.csv", "indicator,weight\ncp_plans,0\n"))
    with pytest.raises(InputError, match="needs rates"):
        composite(rollup(FEB2019, "icn6"), load_weights("equal"), basis="rate")


def test_suppression_gives_index_bounds(write):
    data = read_indicators(write("d.csv", "ward,cp_plans\n" + "".join(
        f"{c},{'<5' if c == 'E05011468' else 3}\n" for c in read_population().index)))  # fmt: skip
    c = composite(rollup(data, load_scheme("icn6")), {"cp_plans": 1.0}).set_index("locality")
    cw = c.loc["Central West"]
    assert cw["index_low"] < cw["index_high"] and pd.isna(cw["index"])


def test_funnel_points_sit_where_their_limits_say(rated):
    table, data, pop = rated
    points, borough_rate, band, per = funnel_points(table, data, pop, "neet")
    assert (
        band == "persons_16_29"
        and per == 10_000
        and borough_rate == pytest.approx(410 / 62_086 * 10_000)
    )
    where = {p["name"]: p["position"] for p in points}
    assert (
        where["South East"] == "higher"
        and where["South West"] == "lower"
        and where["Central West"] == "similar"
    )
    wards, *_ = funnel_points(table, data, pop, "cp_plans", level="ward")
    assert len(wards) == 28


def test_funnel_renders_deterministically_with_its_labels(rated):
    table, data, pop = rated
    svg = render_funnel(table, data, pop, "neet", fmt="svg")
    assert svg == render_funnel(table, data, pop, "neet", fmt="svg")
    text = svg.decode()
    for needle in [
        "NEETs: rate by locality",
        "95% limits",
        "99.8% limits",
        "South East",
        "ILLUSTRATIVE DATA",
    ]:
        assert needle in text, needle
    with pytest.raises(InputError, match="needs rates"):
        render_funnel(rollup(FEB2019, "icn6"), data, pop, "neet")


def test_composite_and_funnel_cli(tmp_path):
    table = runner.invoke(app, ["composite", "-s", "icn6"])
    assert (
        table.exit_code == 0
        and "Composite demand index (equal weights, share of borough)" in table.stdout
    )
    csv = runner.invoke(
        app, ["composite", "-s", "icn6", "-w", "toxic_trio", "--basis", "rate", "-f", "csv"]
    )
    df = pd.read_csv(io.StringIO(csv.stdout))
    assert (
        df.loc[df["rank"] == 1, "locality"].item() == "Central East"
        and (df["basis"] == "rate").all()
    )
    out = tmp_path / "f.png"
    result = runner.invoke(app, ["funnel", "-i", "cp_plans", "-o", str(out), "--dpi", "72"])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def test_funnel_table_carries_limits_and_positions(rated):
    from localitymap.statistics.funnel import funnel_table
    from localitymap.statistics.methods import funnel_count_limits

    table, data, pop = rated
    wards = funnel_table(table, data, pop, "cp_plans", level="ward").set_index("name")
    # Drawn below the 95% limit by the old (confidence-interval) limits; within the prediction ones.
    assert wards.loc["Kenley", "position_95"] == "within"
    assert wards.attrs["method"] == "Poisson prediction limits as Fingertips"
    total = table[(table.indicator == "cp_plans") & table.is_total].iloc[0]
    row = wards.loc["Kenley"]
    assert row["expected"] == pytest.approx(total["rate"] / 10_000 * row["population"])
    lo, hi = funnel_count_limits([row["expected"]], 0.998)
    assert (row["lower_998"], row["upper_998"]) == pytest.approx(
        (lo[0] / row["population"] * 10_000, hi[0] / row["population"] * 10_000)
    )
    assert set(wards.columns) >= {
        "population", "expected", "lower_95", "upper_95", "lower_998", "upper_998",
        "position_95", "position_998",
    }  # fmt: skip
    assert set(wards["position_95"]) <= {"within", "above", "below", "uncertain", "suppressed"}
    loc = funnel_table(table, data, pop, "neet").set_index("name")
    assert loc.loc["South East", "position_95"] == "above"
    assert loc.loc["South West", "position_95"] == "below"
