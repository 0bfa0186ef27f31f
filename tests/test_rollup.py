from __future__ import annotations

import math

import pandas as pd
import pytest

from localitymap.errors import SchemeError
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import TOTAL, UNASSIGNED, leaders, rollup

from .conftest import FEB2019

SERVICE = [
    "early_help", "cf_assessments", "cp_plans", "cin_plans", "lac", "cwd", "ehc_plans",
    "send_support", "persistent_absentees", "exclusions", "neet",
]  # fmt: skip


@pytest.fixture(scope="module")
def icn6() -> pd.DataFrame:
    return rollup(FEB2019, "icn6")


def _row(table, indicator, locality):
    return table[(table.indicator == indicator) & (table.locality == locality)].iloc[0]


def test_published_findings_hold_under_icn6(icn6):
    ld = leaders(icn6).set_index("indicator")
    assert all(ld.loc[i, "highest"] == "Central West" for i in SERVICE)
    assert round(_row(icn6, "cp_plans", "Central West")["share"] * 100) == 28
    assert round(_row(icn6, "lac", "Central West")["share"] * 100) == 27
    for i in ["early_help", "cf_assessments", "ehc_plans", "exclusions", "neet"]:
        assert ld.loc[i, "second"] == "South East", i
    for i in ["cin_plans", "lac", "cwd", "persistent_absentees"]:
        assert ld.loc[i, "second"] == "North West", i
    assert (ld.loc["domestic_abuse", "highest"], ld.loc["domestic_abuse", "second"]) == (
        "Central West", "South East",
    )  # fmt: skip
    da = icn6[(icn6.indicator == "domestic_abuse") & (icn6["rank"] == 3)]
    assert da["locality"].tolist() == ["North East"]
    assert ld.loc["adult_mental_health", "highest"] == "North East = Central West"
    psm = ld.loc["parental_substance_misuse"]
    assert (psm["highest"], psm["second"]) == ("Central East", "Central West")
    assert ld["certain"].all()


def test_localities_reconcile_exactly_with_the_ward_total(icn6):
    data = read_indicators(FEB2019)
    ward_totals = data.values.groupby("indicator")["low"].sum()
    body = icn6[~icn6.is_total].groupby("indicator")["count"].sum()
    totals = icn6[icn6.is_total].set_index("indicator")["count"]
    pd.testing.assert_series_equal(body.sort_index(), ward_totals.sort_index(), check_names=False)
    pd.testing.assert_series_equal(totals.sort_index(), ward_totals.sort_index(), check_names=False)
    assert (icn6[icn6.is_total]["wards"] == 28).all()
    assert icn6[~icn6.is_total].groupby("indicator")["share"].sum().round(12).eq(1).all()


def test_table_shape_and_order(icn6):
    assert len(icn6) == 14 * 7
    first = icn6[icn6.indicator == "early_help"]["locality"].tolist()
    assert first == [
        "North West",
        "North East",
        "Central West",
        "Central East",
        "South West",
        "South East",
        TOTAL,
    ]
    assert icn6.attrs["scheme"] == "icn6" and icn6.attrs["illustrative"] is True
    assert icn6.attrs["period"] == "2019-02"


def test_areas3_equals_sums_of_its_icn6_groups(icn6):
    a3 = rollup(FEB2019, "areas3")
    for ind in ["cp_plans", "send_support"]:
        north = _row(a3, ind, "North")["count"]
        assert (
            north == _row(icn6, ind, "North West")["count"] + _row(icn6, ind, "North East")["count"]
        )


def _data(write, text, **kw):
    return read_indicators(write("d.csv", text), **kw)


def _scheme(write, text):
    return load_scheme(write("s.toml", text))


SMALL = '[localities.A]\nwards = ["Fairfield", "Waddon"]\n[localities.B]\nwards = ["Kenley"]\n'


def test_suppressed_ward_makes_a_range_not_a_zero(write):
    data = _data(write, "ward,cp_plans\nFairfield,10\nWaddon,<5\nKenley,12\n")
    t = rollup(data, _scheme(write, SMALL))
    a, b, tot = (_row(t, "cp_plans", x) for x in ("A", "B", TOTAL))
    assert (a["count_low"], a["count_high"], a["exact"]) == (11, 14, False)
    assert math.isnan(a["count"]) and a["suppressed_wards"] == 1
    assert (tot["count_low"], tot["count_high"]) == (23, 26)
    assert a["share_low"] == pytest.approx(11 / 23) and a["share_high"] == pytest.approx(14 / 26)
    assert b["share_low"] == pytest.approx(12 / 26) and b["share_high"] == pytest.approx(12 / 23)
    assert (a["rank_best"], a["rank_worst"], b["rank_best"], b["rank_worst"]) == (1, 2, 1, 2)
    assert not leaders(t).iloc[0]["certain"]


def test_bare_marker_gives_a_lower_bound_unless_a_range_is_stated(write):
    text = "ward,cp_plans\nFairfield,10\nWaddon,c\nKenley,2\n"
    t = rollup(_data(write, text), _scheme(write, SMALL))
    a = _row(t, "cp_plans", "A")
    assert a["count_low"] == 10 and math.isnan(a["count_high"])
    assert _row(t, "cp_plans", "B")["share_low"] == 0.0  # A could be any size
    assert (a["rank"], a["rank_best"], a["rank_worst"]) == (1, 1, 1)  # 10+ beats 2 regardless
    stated = rollup(_data(write, text, suppressed_range=(1, 4)), _scheme(write, SMALL))
    assert (
        _row(stated, "cp_plans", "A")["count_low"],
        _row(stated, "cp_plans", "A")["count_high"],
    ) == (11, 14)


def test_unassigned_wards_stop_the_run_by_name(write):
    data = _data(write, "ward,cp_plans\nFairfield,10\nWaddon,1\nKenley,12\nSelhurst,4\n")
    with pytest.raises(
        SchemeError, match=r"1 ward\(s\) in the data are in no locality of s: Selhurst"
    ):
        rollup(data, _scheme(write, SMALL))
    t = rollup(data, _scheme(write, SMALL), allow_unassigned=True)
    un = _row(t, "cp_plans", UNASSIGNED)
    assert un["count"] == 4 and pd.isna(un["rank"])
    assert _row(t, "cp_plans", TOTAL)["count"] == 27
    assert leaders(t).iloc[0]["highest"] == "B"


def test_scheme_wards_without_data_stop_the_run_by_name(write):
    data = _data(write, "ward,cp_plans\nFairfield,10\nKenley,12\n")
    with pytest.raises(SchemeError, match="1 ward\\(s\\) of s have no data: Waddon"):
        rollup(data, _scheme(write, SMALL))
    t = rollup(data, _scheme(write, SMALL), allow_missing_wards=True)
    a = _row(t, "cp_plans", "A")
    assert a["count_low"] == 10 and math.isnan(a["count_high"]) and a["missing_wards"] == 1
    assert t.attrs["wards_without_data"] == ["Waddon"]


def test_ward_in_two_localities_always_stops(write):
    data = _data(write, "ward,cp_plans\nFairfield,10\nKenley,12\n")
    scheme = _scheme(
        write,
        '[localities.A]\nwards = ["Fairfield"]\n[localities.B]\nwards = ["Fairfield", "Kenley"]\n',
    )
    with pytest.raises(SchemeError) as info:
        rollup(data, scheme, allow_unassigned=True, allow_missing_wards=True)
    assert (
        "Fairfield (E05011468) is in two localities: 'A' and 'B'"
        in info.value.report.errors[0].message
    )


def test_ties_share_a_rank_and_second_is_the_next_value(write):
    data = _data(write, "ward,cp_plans\nFairfield,5\nWaddon,5\nKenley,10\n")
    scheme = _scheme(
        write,
        '[localities.A]\nwards = ["Fairfield"]\n[localities.B]\nwards = ["Waddon"]\n'
        '[localities.C]\nwards = ["Kenley"]\n',
    )
    t = rollup(data, scheme)
    assert t[~t.is_total]["rank"].tolist() == [2, 2, 1]
    ld = leaders(t).iloc[0]
    assert (ld["highest"], ld["second"]) == ("C", "A = B")


def test_zero_total_gives_no_share(write):
    t = rollup(
        _data(write, "ward,cp_plans\nFairfield,0\nWaddon,0\nKenley,0\n"), _scheme(write, SMALL)
    )
    assert t["share"].isna().all() and (t[~t.is_total]["rank"] == 1).all()


def test_rollup_accepts_paths_and_ids(write):
    path = write("d.csv", "ward,cp_plans\nFairfield,10\nWaddon,1\nKenley,12\n")
    t = rollup(path, write("s.toml", SMALL))
    assert _row(t, "cp_plans", TOTAL)["count"] == 23


def test_leaders_are_certain_when_only_places_further_down_are_open():
    """Suppressed figures further down do not make the top two uncertain; one that could reach
    second place does."""
    import numpy as np
    import pandas as pd

    from localitymap.model.rollup import competition_ranks, leaders

    def table(lows, highs):
        lo, hi = np.array([lows], float), np.array([highs], float)
        rank, best, worst = competition_ranks(lo, hi)
        n = len(lows)
        return pd.DataFrame({
            "indicator": "x", "label": "X", "locality": list("ABCD")[:n], "is_total": False,
            "count_low": lows, "count_high": highs, "share": np.nan,
            "rank": rank[0], "rank_best": best[0], "rank_worst": worst[0],
        })  # fmt: skip

    settled = leaders(table([100, 50, 0], [100, 50, 10])).iloc[0]
    assert (settled["highest"], settled["second"], settled["certain"]) == ("A", "B", True)
    open_second = leaders(table([100, 50, 40], [100, 50, 60])).iloc[0]
    assert open_second["second"] == "B" and not open_second["certain"]
    open_first = leaders(table([100, 50, 0], [100, 50, 120])).iloc[0]
    assert not open_first["certain"]
