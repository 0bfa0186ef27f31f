"""Invariants of the rollup for any authority, scheme and data, checked with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from localitymap.errors import Report
from localitymap.inputs.indicators import Count, Indicator, IndicatorData, parse_count
from localitymap.inputs.schemes import Scheme
from localitymap.inputs.wards import WardRegister
from localitymap.model.rollup import TOTAL, rollup

CELLS = st.one_of(
    st.integers(0, 400).map(lambda n: Count(n, n, "value")),
    st.sampled_from([Count(1, 4, "suppressed", "<5"), Count(1, 9, "suppressed", "<10")]),
    st.just(Count(0, None, "suppressed", "*")),
    st.just(Count(0, None, "missing")),
)


@st.composite
def cases(draw, exact_only: bool = False):
    n_wards = draw(st.integers(1, 30))
    codes = tuple(f"E05{900000 + i:06d}" for i in range(n_wards))
    register = WardRegister(
        codes, tuple(f"Ward {i}" for i in range(n_wards)), "E09999999", "Testshire", "T1", "t"
    )
    n_loc = draw(st.integers(1, min(8, n_wards)))
    # Every locality gets at least one ward; the rest are placed at random.
    owner = list(range(n_loc)) + draw(
        st.lists(st.integers(0, n_loc - 1), min_size=n_wards - n_loc, max_size=n_wards - n_loc)
    )
    owner = draw(st.permutations(owner))
    localities = {
        f"L{k}": tuple(c for c, o in zip(codes, owner, strict=True) if o == k) for k in range(n_loc)
    }
    n_ind = draw(st.integers(1, 3))
    cell = st.integers(0, 400).map(lambda n: Count(n, n, "value")) if exact_only else CELLS
    rows = []
    for i in range(n_ind):
        for c in codes:
            v = draw(cell)
            rows.append((c, f"ind{i}", v))
    values = pd.DataFrame(
        {
            "ward_code": [r[0] for r in rows],
            "ward_name": [register.name_of(r[0]) for r in rows],
            "indicator": [r[1] for r in rows],
            "low": [float(r[2].low) for r in rows],
            "high": [np.nan if r[2].high is None else float(r[2].high) for r in rows],
            "status": [r[2].status for r in rows],
            "marker": [r[2].marker for r in rows],
            "period": "",
            "file": "t",
            "row": 0,
        }
    )
    data = IndicatorData(
        values, [Indicator(f"ind{i}", f"Ind {i}") for i in range(n_ind)], register, Report(), ["t"]
    )
    scheme = Scheme("s", "s", localities, "s.toml")
    return data, scheme, rows


def _competition_rank(values: list[float]) -> list[int]:
    return [1 + sum(o > v for o in values) for v in values]


@settings(max_examples=150, deadline=None)
@given(cases())
def test_locality_bounds_add_up_to_the_borough(case):
    data, scheme, _ = case
    t = rollup(data, scheme)
    for _, grp in t.groupby("indicator"):
        body, total = grp[~grp.is_total], grp[grp.is_total].iloc[0]
        assert body["count_low"].sum() == total["count_low"]
        if body["count_high"].notna().all():
            assert body["count_high"].sum() == total["count_high"]
        else:
            assert math.isnan(total["count_high"])
        assert body["wards"].sum() == total["wards"] == len(data.register)


@settings(max_examples=150, deadline=None)
@given(cases(exact_only=True))
def test_exact_data_conserves_counts_and_ranks_are_competition_ranks(case):
    data, scheme, rows = case
    t = rollup(data, scheme)
    for ind, grp in t.groupby("indicator"):
        body = grp[~grp.is_total]
        assert body["exact"].all()
        assert body["count"].sum() == sum(r[2].low for r in rows if r[1] == ind)
        ranks = body["rank"].astype(int).tolist()
        assert ranks == _competition_rank(body["count"].tolist())
        assert (body["rank_best"] == body["rank"]).all() and (
            body["rank_worst"] == body["rank"]
        ).all()
        if body["count"].is_unique:
            assert sorted(ranks) == list(range(1, len(body) + 1))  # a permutation
        if grp[grp.is_total]["count"].iloc[0] > 0:
            assert math.isclose(body["share"].sum(), 1.0)


@settings(max_examples=150, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_any_true_value_inside_the_bounds_is_inside_every_reported_range(case, rnd):
    """Fill every suppressed or missing cell with a value it could really be; the real locality
    totals, shares and ranks must then lie inside what the rollup reported."""
    data, scheme, rows = case
    t = rollup(data, scheme)
    truth = {}
    for code, ind, c in rows:
        hi = c.high if c.high is not None else c.low + rnd.choice([0, 1, 50, 10_000])
        truth[(code, ind)] = rnd.randint(c.low, hi)
    for ind, grp in t.groupby("indicator"):
        body = grp[~grp.is_total & (grp.locality != TOTAL)]
        real = [sum(truth[(c, ind)] for c in scheme.localities[loc]) for loc in body["locality"]]
        total = sum(real)
        ranks = _competition_rank(real)
        for (_, r), value, rank in zip(body.iterrows(), real, ranks, strict=True):
            assert r["count_low"] <= value
            assert math.isnan(r["count_high"]) or value <= r["count_high"]
            assert r["rank_best"] <= rank <= r["rank_worst"]
            if total > 0 and not math.isnan(r["share_low"]):
                assert r["share_low"] - 1e-12 <= value / total <= r["share_high"] + 1e-12


@given(st.integers(0, 10**9))
def test_any_count_written_with_thousands_separators_reads_back(n):
    assert parse_count(f"{n:,}") == Count(n, n, "value")
    assert parse_count(f" {n} ") == Count(n, n, "value")
