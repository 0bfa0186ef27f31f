"""Rates per child on the real ONS denominators, with suppression carried into the intervals."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InvalidInput
from localitymap.inputs.indicators import Indicator, read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import TOTAL, rollup
from localitymap.statistics.methods import rate_ci
from localitymap.statistics.rates import RATE_COLUMNS, add_rates, read_population

from .conftest import FEB2019


@pytest.fixture(scope="module")
def rated():
    data, scheme = read_indicators(FEB2019), load_scheme("icn6")
    return add_rates(rollup(data, scheme), data, scheme, read_population())


def _row(t, ind, loc):
    return t[(t.indicator == ind) & (t.locality == loc)].iloc[0]


def test_shipped_population_is_the_real_ons_total():
    pop = read_population()
    assert (
        len(pop) == 28
        and pop["persons_0_15"].sum() == 85_672
        and pop["persons_all_ages"].sum() == 386_710
    )


def test_locality_rates_use_the_catalogue_band_and_sum_of_ward_populations(rated):
    pop = read_population()
    scheme = load_scheme("icn6")
    cw = _row(rated, "cp_plans", "Central West")
    assert cw["denominator_band"] == "persons_0_15"
    assert (
        cw["denominator"] == pop.loc[list(scheme.localities["Central West"]), "persons_0_15"].sum()
    )
    expected = rate_ci(113, cw["denominator"])
    assert (cw["rate"], cw["lcl_95"], cw["ucl_95"]) == pytest.approx(
        (expected.rate, expected.lower, expected.upper)
    )
    assert _row(rated, "neet", TOTAL)["denominator_band"] == "persons_16_29"
    assert _row(rated, "cp_plans", TOTAL)["denominator"] == 85_672


def test_volume_is_not_need(rated):
    """The 2019 caveat: Central West has the most CP plans, but per child it is like the rest."""
    cw, sw = _row(rated, "cp_plans", "Central West"), _row(rated, "cp_plans", "South West")
    assert cw["rank"] == 1 and cw["vs_rest_95"] == "similar"
    assert sw["vs_rest_95"] == "lower" and sw["vs_rest_998"] == "lower"
    assert _row(rated, "neet", "South East")["vs_rest_998"] == "higher"
    assert set(rated.loc[~rated.is_total, "vs_rest_95"]) <= {"higher", "similar", "lower"}


def test_suppressed_cells_widen_intervals_instead_of_vanishing(write):
    text = "ward,cp_plans\n" + "".join(
        f"{c},{'<5' if c == 'E05011469' else 10}\n" for c in read_population().index
    )
    data, scheme = read_indicators(write("d.csv", text)), load_scheme("icn6")
    t = add_rates(rollup(data, scheme), data, scheme, read_population())
    sw = _row(t, "cp_plans", "South West")  # Kenley is in South West
    assert math.isnan(sw["rate"]) and sw["rate_low"] < sw["rate_high"]
    pop = sw["denominator"]
    assert sw["lcl_95"] == pytest.approx(rate_ci(sw["count_low"], pop).lower)
    assert sw["ucl_95"] == pytest.approx(rate_ci(sw["count_high"], pop).upper)
    assert t.attrs["population_source"].endswith("croydon_ward_population_mye2019.csv")


def test_user_population_is_validated_like_indicator_files(write):
    bad = write("pop.csv", "ward,children_0_17\nFairfield,c\nWaddon,1200\n")
    with pytest.raises(InvalidInput) as info:
        read_population(bad)
    messages = [p.message for p in info.value.report.errors]
    assert any("Fairfield: children_0_17 is suppressed" in m for m in messages)
    assert sum("has no population" in m for m in messages) == 26


def test_a_catalogue_can_point_an_indicator_at_another_band(write):
    pop_text = "ward,children_0_17\n" + "".join(f"{c},1000\n" for c in read_population().index)
    pop = read_population(write("pop.csv", pop_text))
    counts = write("d.csv", "ward,cp_plans\n" + "".join(f"{c},5\n" for c in pop.index))
    catalogue = [Indicator("cp_plans", "CP plans", denominator="children_0_17")]
    data = read_indicators(counts, catalogue=catalogue)
    scheme = load_scheme("areas3")
    t = add_rates(rollup(data, scheme), data, scheme, pop)
    assert _row(t, "cp_plans", TOTAL)["rate"] == pytest.approx(50.0)  # 140 / 28,000 * 10,000
    assert t.attrs["denominators"] == {"cp_plans": "children_0_17"}


def test_indicator_without_a_denominator_is_said_not_guessed(write):
    data = read_indicators(
        write("d.csv", "ward,Young carers\n" + "".join(f"{c},2\n" for c in read_population().index))
    )
    scheme = load_scheme("icn6")
    t = add_rates(rollup(data, scheme), data, scheme, read_population())
    assert t["rate"].isna().all() and set(t["vs_rest_95"]) == {"no denominator"}
    assert t.attrs["no_denominator"] == ["young_carers"]


def test_rollup_rates_cli():
    runner = CliRunner()
    result = runner.invoke(
        app, ["rollup", "-s", "icn6", "--rates", "-i", "cp_plans"], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.stderr
    assert "Child protection plans: rate per 10,000 aged 0–15" in result.stdout
    assert "▼ lower" in result.stdout and "Looked-after" not in result.stdout
    csv = runner.invoke(
        app,
        ["rollup", "-s", "icn6", "--period", "2019-02", "--rates", "--per", "1000", "-f", "csv"],
    )
    df = pd.read_csv(io.StringIO(csv.stdout), comment="#")
    assert set(RATE_COLUMNS) <= set(df.columns) and len(df) == 98
    total = df[(df.indicator == "cp_plans") & (df.locality == TOTAL)].iloc[0]
    assert total["rate"] == pytest.approx(405 / 85_672 * 1000, abs=1e-4)
    unknown = runner.invoke(app, ["rollup", "-s", "icn6", "-i", "cp plan"])
    assert unknown.exit_code == 1 and "did you mean cp_plans" in unknown.stderr


def _absentees_as_a_proportion(write):
    """Persistent absentees as a proportion of the 0-15 population, 50 in every ward but
    Fairfield's 400 (it stands out): the rated rollup, its data and the population."""
    from localitymap.inputs.indicators import load_catalogue

    pop = read_population()
    counts = {c: (400 if c == "E05011468" else 50) for c in pop.index}
    catalogue = write(
        "cat.csv",
        "id,label,domain,denominator,statistic\n"
        "persistent_absentees,Persistent absentees,Education,persons_0_15,proportion\n",
    )
    rows = "".join(f"{c},{v}\n" for c, v in counts.items())
    data = read_indicators(
        write("d.csv", "ward,persistent_absentees\n" + rows), catalogue=load_catalogue(catalogue)
    )
    scheme = load_scheme("icn6")
    return add_rates(rollup(data, scheme), data, scheme, pop), data, pop


def test_proportion_indicators_get_wilson_intervals_and_fishers_test(write):
    from localitymap.statistics.methods import compare_proportions, wilson_ci

    t = _absentees_as_a_proportion(write)[0]
    cw = _row(t, "persistent_absentees", "Central West")
    n = cw["denominator"]
    p, lower, upper = wilson_ci(cw["count"], n)
    assert cw["measure"] == "%" and cw["ci_method"] == "Wilson"
    assert (cw["rate"], cw["lcl_95"], cw["ucl_95"]) == pytest.approx(
        (p * 100, lower * 100, upper * 100)
    )
    total = _row(t, "persistent_absentees", TOTAL)
    expected = compare_proportions(
        cw["count"], n, total["count"] - cw["count"], total["denominator"] - n
    )
    assert cw["vs_rest_95"] == expected == "higher"


def test_catalogue_statistic_must_be_rate_or_proportion(write):
    from localitymap.errors import InputError
    from localitymap.inputs.indicators import load_catalogue

    with pytest.raises(InputError, match="statistic for 'x' is 'ratio'"):
        load_catalogue(write("c.csv", "id,label,statistic\nx,X,ratio\n"))
    assert load_catalogue(write("c2.csv", "id,label\nx,X\n"))[0].statistic == "rate"


def test_proportion_funnels_are_binomial_in_percent_and_the_footer_says_wilson(write):
    from localitymap.renderers.figures import render_funnel
    from localitymap.renderers.terminal import rates_notes
    from localitymap.statistics.funnel import funnel_table
    from localitymap.statistics.methods import _z

    t, data, pop = _absentees_as_a_proportion(write)
    f = funnel_table(t, data, pop, "persistent_absentees").set_index("name")
    p = data.values["low"].sum() / pop["persons_0_15"].sum()
    cw = f.loc["Central West"]
    n = cw["population"]
    assert cw["expected_count"] == pytest.approx(p * n)  # a count, not a rate per 10,000 of one
    assert cw["lower_95"] == pytest.approx(100 * (p - _z(0.95) * (p * (1 - p) / n) ** 0.5))
    assert cw["upper_998"] == pytest.approx(100 * (p + _z(0.998) * (p * (1 - p) / n) ** 0.5))
    assert cw["measure"] == "%" and cw["position_95"] == "above"
    assert f.attrs["method"] == "Binomial prediction limits as Fingertips"
    svg = render_funnel(t, data, pop, "persistent_absentees", fmt="svg").decode()
    assert "Binomial prediction limits as Fingertips" in svg and "Percent" in svg
    assert "Rate per" not in svg
    notes = rates_notes(t)
    assert "Wilson" in notes and "Fisher" in notes and "Byar" not in notes
    rate_notes = rates_notes(
        add_rates(rollup(read_indicators(), "icn6"), read_indicators(), load_scheme("icn6"), pop)
    )
    assert "Byar" in rate_notes and "Wilson" not in rate_notes


def _scalar_rates(rec, band, pop_of, borough_pop, total, per, proportion):
    """The row-at-a-time definition the array code must reproduce exactly (scalar methods)."""
    import math

    from localitymap.statistics.methods import (
        compare_bounded,
        compare_proportions,
        count_limits,
        wilson_ci,
    )

    pop = borough_pop if rec["is_total"] else pop_of
    low, high = float(rec["count_low"]), float(rec["count_high"])
    mult = 100.0 if proportion else per
    scale = mult / pop
    row = {"denominator": pop, "rate_low": low * scale,
           "rate": low * scale if low == high else math.nan,
           "rate_high": high * scale if math.isfinite(high) else math.nan}  # fmt: skip
    methods = set()
    for level, sfx in ((0.95, "95"), (0.998, "998")):
        if proportion:
            lcl = wilson_ci(min(low, pop), pop, level)[1] * pop
            ucl = (
                wilson_ci(min(high, pop), pop, level)[2] * pop if math.isfinite(high) else math.nan
            )
            methods.add("Wilson")
        else:
            lcl, _, m1 = count_limits(low, level)
            methods.add(m1)
            ucl = math.nan
            if math.isfinite(high):
                _, ucl, m2 = count_limits(high, level)
                methods.add(m2)
        row[f"lcl_{sfx}"], row[f"ucl_{sfx}"] = lcl * scale, ucl * scale
    row["ci_method"] = " / ".join(sorted(methods))
    if not rec["is_total"] and rec["locality"] != "Unassigned":
        rest = (
            float(total["count_low"]) - low,
            float(total["count_high"]) - high,
            borough_pop - pop,
        )
        for level, sfx in ((0.95, "95"), (0.998, "998")):
            row[f"vs_rest_{sfx}"] = compare_bounded(
                low, high, pop, rest[0], rest[1], rest[2], level,
                test=compare_proportions if proportion else None)  # fmt: skip
    return row


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_array_rates_equal_the_row_by_row_definition(write, seed):
    """Vectorised rates, limits and comparisons are the scalar methods' values, bit for bit."""
    import numpy as np

    from localitymap.inputs.indicators import load_catalogue

    rng = np.random.default_rng(seed)
    pop = read_population()
    catalogue = write("cat.csv", "id,label,domain,denominator,statistic\n"
                      "a,A,X,persons_0_15,rate\nb,B,X,persons_16_29,rate\n"
                      "c,C,X,persons_0_15,proportion\nd,D,X,persons_0_15,rate\n")  # fmt: skip
    lines = []
    for code in pop.index:
        cells = []
        for scale in (40, 8, 300, 2):
            n = int(rng.poisson(scale * rng.uniform(0.3, 2.0)))
            cells.append(
                "<5"
                if 0 < n < 5 and rng.random() < 0.5
                else ("c" if rng.random() < 0.02 else str(n))
            )
        lines.append(f"{code}," + ",".join(cells))
    data = read_indicators(write("d.csv", "ward,a,b,c,d\n" + "\n".join(lines) + "\n"),
                           catalogue=load_catalogue(catalogue), suppressed_range=(0, 9))  # fmt: skip
    scheme = load_scheme("icn6" if seed != 2 else "areas3")
    t = add_rates(rollup(data, scheme), data, scheme, pop)
    members = {loc: list(codes) for loc, codes in scheme.localities.items()}
    statistic = {i.id: i.statistic for i in data.indicators}
    totals = {r["indicator"]: r for r in t.to_dict("records") if r["is_total"]}
    checked = 0
    for rec in t.to_dict("records"):
        band = rec["denominator_band"]
        ref = _scalar_rates(rec, band, float(pop.loc[members.get(rec["locality"], []), band].sum()),
                            float(pop[band].sum()), totals[rec["indicator"]], 10_000,
                            statistic[rec["indicator"]] == "proportion")  # fmt: skip
        for key, want in ref.items():
            got = rec[key]
            assert got == want or (got != got and want != want), (rec["locality"], key, got, want)
            checked += 1
    assert checked > 150
    assert (~t["exact"]).sum() >= 3  # ranges from suppressed cells are among the rows checked


def test_only_the_shipped_population_is_credited_to_the_ons(tmp_path):
    import shutil

    from localitymap.paths import data_dir
    from localitymap.statistics.rates import population_credit, read_population

    shipped = read_population()
    assert shipped.attrs["ons"]
    own = tmp_path / "our_population.csv"
    shutil.copy(next((data_dir() / "population").glob("*.csv")), own)
    theirs = read_population(own)
    assert not theirs.attrs["ons"]
    assert population_credit({"population_source": "our_population.csv",
                              "population_ons": theirs.attrs["ons"]}) == "our_population.csv"  # fmt: skip
