"""Team sizing: posts conserved exactly, published caseloads reproduced, suppression as ranges."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localitymap import read_indicators, rollup
from localitymap.errors import InputError
from localitymap.inputs.workforce import caseload
from localitymap.model.allocate import (
    ADVICE,
    allocate,
    largest_remainder,
    locality_demand,
    posts_needed,
)


def _demand(values, highs=None):
    highs = values if highs is None else highs
    return pd.DataFrame(
        {
            "locality": [f"L{i}" for i in range(len(values))],
            "low": [float(v) for v in values],
            "high": [float(h) for h in highs],
        }
    )


@settings(max_examples=200, deadline=None)
@given(
    demand=st.lists(st.integers(0, 5_000), min_size=1, max_size=12).filter(lambda d: sum(d) > 0),
    staff=st.integers(1, 500),
    flex=st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.5, 0.9]),
    fte=st.booleans(),
)
def test_allocation_conserves_posts_exactly(demand, staff, flex, fte):
    a = allocate(_demand(demand), staff, flex, fte=fte)
    step = 0.1 if fte else 1
    units = [round(p / step) for p in a["posts"]]
    pool_units = round(a.attrs["pool"] / step)
    assert sum(units) + pool_units == round(staff / step)  # every post placed, none invented
    assert sum(round(p / step) for p in a["pool_posts"]) == pool_units
    for q, u in zip(a["quota"], units, strict=True):  # each is its quota rounded down or up
        assert math.floor(q / step + 1e-6) <= u <= math.ceil(q / step - 1e-6)
    zero = [i for i, d in enumerate(demand) if d == 0]
    assert all(units[i] == 0 for i in zero)


@given(st.lists(st.floats(0, 100), min_size=1, max_size=10), st.integers(0, 50))
def test_largest_remainder_adds_up(weights, total):
    if sum(weights) == 0:
        return
    quotas = [total * w / sum(weights) for w in weights]
    out = largest_remainder(quotas, total)
    assert sum(out) == total
    assert all(math.floor(q + 1e-9) <= o <= math.floor(q + 1e-9) + 1 for q, o in
               zip(quotas, out, strict=True))  # fmt: skip


def test_croydon_cases_at_its_published_caseload_give_its_published_fte():
    # 3,448 cases at Croydon's 19.1 per FTE (2025): the published 180.6 case-holding FTE.
    # Split across six localities, the localities' needs still add up to the borough's.
    d = _demand([700, 650, 900, 400, 350, 448])
    need = posts_needed(d, caseload("authority", lad_code="E09000008"))
    total = need["needed_fte"].sum()
    assert total == pytest.approx(3448 / 19.1)
    assert abs(total - 180.6) < 0.15  # 19.1 is itself rounded
    england = posts_needed(d, caseload("england"))["needed_fte"].sum()
    assert round(england) == 227 and england == pytest.approx(3448 / 15.2)
    assert (need["posts"] >= need["needed_fte"]).all()
    assert need["posts"].sum() == sum(math.ceil(v / 19.1) for v in [700, 650, 900, 400, 350, 448])
    assert "Croydon, 2025" in need.attrs["inputs"][0][1]
    assert need.attrs["advice"] == ADVICE


def test_pool_goes_to_the_busiest_locality_first():
    a = allocate(_demand([90, 30, 30]), staff=10, flex=0.2).set_index("locality")
    # 8 posts by demand 90:30:30 -> quotas 4.8, 1.6, 1.6 -> 5, 2, 1 (then pool 2 posts).
    assert a["posts"].tolist() == [5, 2, 1]
    assert a["caseload"].tolist() == [18.0, 15.0, 30.0]
    # The pool first goes to L2 (30 per post), then L0 (18 per post vs L2's 15).
    assert a["pool_posts"].tolist() == [1, 0, 1]
    assert a["caseload_with_pool"].tolist() == [15.0, 15.0, 15.0]
    assert a.attrs["pool"] == 2 and a.attrs["allocated"] == 8


def test_fte_allows_tenths_and_refuses_fractions_of_whole_posts():
    a = allocate(_demand([1, 1, 1]), staff=10, flex=0.0, fte=True)
    assert sorted(a["posts"]) == pytest.approx([3.3, 3.3, 3.4])
    assert a["posts"].sum() == pytest.approx(10)
    with pytest.raises(InputError, match="whole posts"):
        allocate(_demand([1, 1]), staff=10.5)
    with pytest.raises(InputError, match="flex"):
        allocate(_demand([1, 1]), staff=10, flex=1.0)


def test_suppressed_demand_gives_ranges_never_zero_filled():
    # L1 holds a suppressed ward of 1-4: its demand is 10-13, not 10.
    a = allocate(_demand([50, 10, 40], highs=[50, 13, 40]), staff=20, flex=0.0)
    assert a["posts"].isna().all() and a["caseload"].isna().all()
    row = a.set_index("locality").loc["L1"]
    assert row["quota_low"] == pytest.approx(20 * 10 / 100)
    assert row["quota_high"] == pytest.approx(20 * 13 / 103)
    assert (row["posts_low"], row["posts_high"]) == (2, 3)
    assert a.attrs["total_demand_low"] == 100 and a.attrs["total_demand_high"] == 103
    # Unbounded: L1 could take every post (and L0 none); at its least, 10 of 60 cases.
    u = allocate(_demand([50, 10], highs=[50, math.inf]), staff=10, flex=0.0)
    assert u["posts_high"].tolist() == [9, 10] and u["posts_low"].tolist() == [0, 1]
    need = posts_needed(_demand([50, 10], highs=[50, math.inf]), caseload("10"))
    assert need["needed_fte"].isna().tolist() == [False, True]
    assert math.isinf(need["needed_high"].iloc[1])


def test_weighted_caseload_from_the_bundled_rollup():
    table = rollup(read_indicators(period="2019-02"), "icn6")
    plain = locality_demand(table, ["cp_plans", "cin_plans"]).set_index("locality")
    weighted = locality_demand(table, ["cp_plans", "cin_plans"], {"cp_plans": 2.0}).set_index(
        "locality"
    )
    # Central West: 113 CP plans, 336 CIN plans (the README's table).
    assert plain.loc["Central West", "low"] == 113 + 336
    assert weighted.loc["Central West", "low"] == 2 * 113 + 336
    a = allocate(weighted.reset_index(), staff=67, flex=0.2)
    assert int(a["posts"].sum()) + a.attrs["pool"] == 67 and a.attrs["pool"] == 13
    with pytest.raises(InputError, match="not in the data"):
        locality_demand(table, ["caseloads"])


def test_hidden_locality_counts_are_open_ranges_not_zeros():
    table = pd.DataFrame(
        {
            "indicator": ["lac"] * 3,
            "locality": ["A", "B", "Borough total"],
            "is_total": [False, False, True],
            "count_low": [40.0, float("nan"), float("nan")],
            "count_high": [40.0, float("nan"), float("nan")],
        }
    )
    d = locality_demand(table, ["lac"])
    assert d["low"].tolist() == [40.0, 0.0] and math.isinf(d["high"].iloc[1])
    a = allocate(d, staff=10, flex=0.0)
    assert a["posts"].isna().all() and a["posts_high"].tolist() == [10, 10]
