"""Composite demand index and funnel plots."""

from __future__ import annotations

import io
import itertools

import pandas as pd
import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError, InvalidInput
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import rollup
from localitymap.renderers.figures import render_funnel
from localitymap.statistics.composite import composite, load_weights
from localitymap.statistics.funnel import funnel_points
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
    assert csv.stdout.startswith("# NOT FOR PUBLICATION")
    df = pd.read_csv(io.StringIO(csv.stdout), comment="#")
    assert (
        df.loc[df["rank"] == 1, "locality"].item() == "Central East"
        and (df["basis"] == "rate").all()
    )
    out = tmp_path / "f.png"
    result = runner.invoke(
        app, ["funnel", "-s", "icn6", "-i", "cp_plans", "-o", str(out), "--dpi", "72"]
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def _funnel_figure(monkeypatch, rated, indicator, level):
    import localitymap.renderers.maps as maps

    table, data, pop = rated
    seen = {}

    def keep(fig, fmt, dpi=200):
        seen["fig"] = fig
        return b""

    monkeypatch.setattr(maps, "save", keep)
    render_funnel(table, data, pop, indicator, level=level)
    return seen["fig"]


@pytest.mark.parametrize("indicator", ["neet", "cp_plans", "early_help"])
def test_funnel_labels_overlap_nothing_and_axes_have_thousands_separators(
    monkeypatch, rated, indicator
):
    fig = _funnel_figure(monkeypatch, rated, indicator, "ward")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]  # the words, not the leader
    assert boxes
    for i, a in enumerate(boxes):
        assert all(not a.overlaps(b) for b in boxes[i + 1 :]), ax.texts[i].get_text()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    big = [t for t in ticks if t and float(t.replace(",", "")) >= 1000]
    assert big and all("," in t for t in big)


def test_points_beyond_99_8_are_filled_and_beyond_95_only_hollow(monkeypatch, rated):
    fig = _funnel_figure(monkeypatch, rated, "early_help", "locality")
    ax = fig.axes[0]
    marks = {
        line.get_label(): line.get_markerfacecolor()
        for line in ax.get_lines()
        if line.get_marker() in ("^", "v") and not line.get_label().startswith("_")
    }
    assert any("99.8%" in k for k in marks), marks
    for label, face in marks.items():
        assert (face == "white") == label.endswith("only"), (label, face)


@pytest.mark.parametrize("indicator", ["neet", "cp_plans", "lac"])
def test_locality_funnel_labels_cross_no_line(monkeypatch, rated, indicator):
    import numpy as np
    from matplotlib.text import Text

    fig = _funnel_figure(monkeypatch, rated, indicator, "locality")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    for line in ax.get_lines():
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        if len(xy) > 1:  # limit curves and the borough line (points are checked by placement)
            xy = np.vstack([np.linspace(a, b, 50) for a, b in itertools.pairwise(xy)])
        for t in ax.texts:
            box = Text.get_window_extent(t, renderer)
            hit = (
                (xy[:, 0] > box.x0)
                & (xy[:, 0] < box.x1)
                & (xy[:, 1] > box.y0)
                & (xy[:, 1] < box.y1)
            )
            assert not hit.any(), (t.get_text(), line.get_label())


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
