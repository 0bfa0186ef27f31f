"""Disclosure control: policies, suppression, and attackers that try to undo it.

The attackers here are deliberately not the library's own (an integer programme): one narrows
every hidden cell by subtraction and interval arithmetic over every published sum until nothing
changes; the other tries every whole-number filling of the hidden cells of small tables.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from localitymap.errors import InputError, Report
from localitymap.inputs.indicators import Indicator, IndicatorData, read_indicators
from localitymap.inputs.schemes import Scheme, load_scheme
from localitymap.inputs.wards import WardRegister
from localitymap.model.rollup import rollup
from localitymap.publication.disclosure import (
    POLICIES,
    Constraint,
    get_policy,
    protect,
    public_table,
    public_wards,
    round_to,
    statement,
    suppress,
)
from localitymap.statistics.rates import add_rates, read_population

from .conftest import FEB2019

T5 = get_policy("threshold5")


# --- attackers -------------------------------------------------------------------------------


def propagate(
    bounds: dict[object, tuple[float, float]], sums: list[tuple[object, list[object]]]
) -> dict[object, tuple[float, float]]:
    """Subtraction and interval arithmetic over every sum, repeated until nothing narrows."""
    b = dict(bounds)
    for _ in range(200):
        changed = False
        for total, parts in sums:
            lt, ut = b[total]
            lows, highs = [b[p][0] for p in parts], [b[p][1] for p in parts]
            new_t = (max(lt, sum(lows)), min(ut, sum(highs)))
            updates = {total: new_t}
            for i, p in enumerate(parts):
                others_low = sum(lows) - lows[i]
                others_high = sum(highs) - highs[i]
                lo = max(b[p][0], new_t[0] - others_high)
                hi = min(b[p][1], new_t[1] - others_low)
                updates[p] = (lo, hi)
            for k, v in updates.items():
                if v != b[k]:
                    b[k] = v
                    changed = True
        if not changed:
            break
    return b


def brute_force(
    bounds: dict[object, tuple[float, float]],
    sums: list[tuple[object, list[object]]],
    hidden: list[object],
    limit: int = 20_000,
) -> dict[object, set[int]] | None:
    """Every value each hidden cell takes in some whole-number filling that satisfies every sum
    (None when a cell is unbounded or there are too many fillings to try)."""
    if any(not math.isfinite(bounds[h][1]) for h in hidden):
        return None
    ranges = [range(int(bounds[h][0]), int(bounds[h][1]) + 1) for h in hidden]
    if math.prod(len(r) for r in ranges) > limit:
        return None
    seen: dict[object, set[int]] = {h: set() for h in hidden}
    for combo in itertools.product(*ranges):
        value = {**{k: v[0] for k, v in bounds.items()}, **dict(zip(hidden, combo, strict=True))}
        if all(value[t] == sum(value[p] for p in ps) for t, ps in sums):
            for h, v in zip(hidden, combo, strict=True):
                seen[h].add(v)
    return seen


# --- small synthetic authorities --------------------------------------------------------------


@st.composite
def authorities(draw, max_count: int = 12):
    n_loc = draw(st.integers(2, 4))
    sizes = [draw(st.integers(1, 3)) for _ in range(n_loc)]
    codes = [f"E05{900000 + i:06d}" for i in range(sum(sizes))]
    register = WardRegister(
        tuple(codes), tuple(f"Ward {i}" for i in range(len(codes))), "E09999999", "Testshire",
        "T1", "t",
    )  # fmt: skip
    it = iter(codes)
    localities = {f"L{k}": tuple(next(it) for _ in range(n)) for k, n in enumerate(sizes)}
    small = st.one_of(st.integers(0, 6), st.integers(0, max_count))
    n_ind = draw(st.integers(1, 2))
    rows = [(c, f"ind{i}", draw(small)) for i in range(n_ind) for c in codes]
    values = pd.DataFrame(
        {
            "ward_code": [r[0] for r in rows],
            "ward_name": [register.name_of(r[0]) for r in rows],
            "indicator": [r[1] for r in rows],
            "low": [float(r[2]) for r in rows],
            "high": [float(r[2]) for r in rows],
            "status": "value",
            "marker": "",
            "period": "",
            "file": "t",
            "row": 0,
        }
    )
    data = IndicatorData(
        values, [Indicator(f"ind{i}", f"Ind {i}") for i in range(n_ind)], register, Report(), ["t"]
    )
    return data, Scheme("s", "s", localities, "s.toml")


def published_knowledge(table: pd.DataFrame, wards: pd.DataFrame, scheme: Scheme, ind: str):
    """What a reader of the output knows, from the published tables alone: each cell's interval
    (hidden cells: at least 1, since zeros are always shown) and the sums that tie them."""
    bounds: dict[object, tuple[float, float]] = {}
    for r in table[table.indicator == ind].itertuples():
        key = ("loc", r.locality)
        if r.disclosure == "suppressed":
            bounds[key] = (1.0, math.inf)
        else:
            bounds[key] = (r.count_low, r.count_low if r.exact else math.inf)
    for r in wards[wards.indicator == ind].itertuples():
        bounds[("ward", r.ward_code)] = (
            (1.0, math.inf) if r.status == "suppressed" else (r.low, r.high)
        )
    sums = [
        (("loc", loc), [("ward", c) for c in codes]) for loc, codes in scheme.localities.items()
    ]
    sums.append((("loc", "Borough total"), [("loc", loc) for loc in scheme.localities]))
    return bounds, sums


def truth(data: IndicatorData, scheme: Scheme, ind: str) -> dict[object, int]:
    v = data.values[data.values.indicator == ind].set_index("ward_code")["low"]
    out: dict[object, int] = {("ward", c): int(x) for c, x in v.items()}
    for loc, codes in scheme.localities.items():
        out[("loc", loc)] = sum(out[("ward", c)] for c in codes)
    out[("loc", "Borough total")] = int(v.sum())
    return out


# --- tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "policy, value, text",
    [
        ("threshold5", 0, "0"), ("threshold5", 1, "[c]"), ("threshold5", 4, "[c]"),
        ("threshold5", 5, "5"), ("dfe", 5, "c"), ("dfe", 6, "6"), ("nhsd", 7, "*"),
        ("nhsd", 8, "10"), ("nhsd", 12, "10"), ("nhsd", 13, "15"), ("nhsd", 0, "0"),
        ("none", 1, "1"),
    ],
)  # fmt: skip
def test_each_policy_shows_a_lone_count_as_documented(policy, value, text):
    # One locality holding everything: the total equals it, so both are hidden or shown alike.
    table = rollup(_one_ward_each([value, 40]), _two_localities())
    cells = protect(table, policy).cells
    assert cells[cells.area == "A"]["text"].iloc[0] == text


def _two_localities() -> Scheme:
    return Scheme("two", "two", {"A": ("E05900000",), "B": ("E05900001",)}, "t")


def _one_ward_each(counts: list[int]) -> IndicatorData:
    codes = tuple(f"E05{900000 + i:06d}" for i in range(len(counts)))
    reg = WardRegister(codes, tuple(f"W{i}" for i in codes), "E09999999", "T", "T1", "t")
    values = pd.DataFrame(
        {
            "ward_code": codes, "ward_name": [f"W{i}" for i in codes], "indicator": "x",
            "low": [float(c) for c in counts], "high": [float(c) for c in counts],
            "status": "value", "marker": "", "period": "", "file": "t", "row": 0,
        }
    )  # fmt: skip
    return IndicatorData(values, [Indicator("x", "X")], reg, Report(), ["t"])


def test_every_policy_is_documented_and_unknown_names_are_refused():
    for p in POLICIES.values():
        # Public text names the policy in words, never by its id.
        assert p.title in statement(p) and p.id not in statement(p) and len(p.description) > 40
    assert not get_policy("none").public and get_policy("nhsd").public
    with pytest.raises(InputError) as exc:
        get_policy("threshold10")
    assert exc.value.one_line().endswith("choose one of threshold5, dfe, nhsd, none")


def test_rounding_is_half_up_to_five():
    assert [round_to(x, 5) for x in (8, 10, 12, 12.5, 13, 17, 18)] == [10, 10, 10, 15, 15, 15, 20]


def test_a_lone_hidden_cell_in_a_sum_gets_its_smallest_useful_sibling_hidden_too():
    # 50 = 3 + 1 + 8 + 38: 3 and 1 are primary; hidden together they would read as 4 = 3 + 1,
    # leaving each only 1 to 3 (three values, fewer than the "1 to 4" the policy claims), so the
    # smallest sibling that gives enough room (8) is hidden too: 12 = ? + ? + ?, each 1 to 10.
    status, primary = suppress(
        [50, 3, 1, 8, 38], [50, 3, 1, 8, 38], [Constraint(0, [1, 2, 3, 4])], T5
    )
    assert primary == [False, True, True, False, False]
    assert status == ["shown", "suppressed", "suppressed", "suppressed", "shown"]
    # 21 = 1 + 1 + 19: two hidden 1s would add up to 2, which only 1 + 1 makes, so the sibling
    # is hidden too (not the total, which readers need more).
    status, _ = suppress([21, 1, 1, 19], [21, 1, 1, 19], [Constraint(0, [1, 2, 3])], T5)
    assert status == ["shown", "suppressed", "suppressed", "suppressed"]


def test_a_sum_with_no_other_non_zero_part_hides_its_total_and_moves_up():
    # Locality A = wards 3 + 0; the borough = A + B. Hiding ward 3 alone leaves A = 3 + 0.
    cons = [Constraint(0, [1, 2]), Constraint(4, [0, 3])]
    status, _ = suppress([3, 3, 0, 30, 33], [3, 3, 0, 30, 33], cons, T5)
    assert status[:3] == ["suppressed", "suppressed", "shown"]  # the locality is 1-4 itself
    assert "suppressed" in (status[3], status[4])  # and the borough sum protects it


@settings(max_examples=120, deadline=None)
@given(authorities(), st.sampled_from(["threshold5", "dfe", "nhsd"]))
def test_no_hidden_small_count_can_be_recovered_from_the_published_tables(case, policy):
    data, scheme = case
    table = rollup(data, scheme)
    prot = protect(table, policy, data=data, scheme=scheme)
    pub, wards = public_table(table, prot), public_wards(prot, data)
    pol = get_policy(policy)
    half = pol.rounding // 2
    for ind in pub.indicator.unique():
        real = truth(data, scheme, ind)
        bounds, sums = published_knowledge(pub, wards, scheme, ind)
        if pol.rounding:  # a rounded figure v stands for v-2..v+2 (never 1..7)
            bounds = {
                k: (max(pol.threshold + 1, lo - half), lo + half)
                if lo == hi and lo > 0
                else (lo, hi)
                for k, (lo, hi) in bounds.items()
            }
        small = [k for k, v in real.items() if 1 <= v <= pol.threshold]
        # Nothing published gives a small count away directly...
        for k in small:
            assert bounds[k] == (1.0, math.inf), f"{k} = {real[k]} published under {policy}"
        # ...every figure shown is the real one (or its rounding)...
        for k, (lo, hi) in bounds.items():
            assert lo <= real[k] <= hi
        # ...and neither attacker can pin a hidden small count down to one value.
        narrowed = propagate(bounds, sums)
        for k in small:
            lo, hi = narrowed[k]
            assert hi - lo >= 1, f"{k} = {real[k]} recovered by subtraction under {policy}"
        hidden = [k for k, b in bounds.items() if b[1] == math.inf or b[0] != b[1]]
        filled = brute_force(narrowed, sums, hidden)
        event("brute force ran" if filled is not None else "brute force skipped")
        if filled is not None:
            for k in small:
                assert len(filled[k]) >= 2, f"{k} = {real[k]} is the only filling"


@settings(max_examples=60, deadline=None)
@given(authorities(max_count=9))
def test_shares_ranks_and_rates_of_hidden_cells_are_hidden(case):
    data, scheme = case
    table = rollup(data, scheme)
    pub = public_table(table, protect(table, "threshold5"))
    hidden = pub[pub.disclosure == "suppressed"]
    assert hidden[["count", "count_low", "count_high", "share", "share_low"]].isna().all().all()
    assert hidden["rank"].isna().all()
    shown = pub[(pub.disclosure == "shown") & pub.exact]
    assert not ((shown["count"] >= 1) & (shown["count"] <= 4)).any()
    # Shares of shown localities are their count over the published total.
    for _, grp in pub.groupby("indicator"):
        total = grp[grp.is_total].iloc[0]
        if total.disclosure == "shown" and total["count"] > 0:
            body = grp[~grp.is_total & grp.exact]
            assert np.allclose(body["share"], body["count"] / total["count"])


def test_bundled_data_with_many_small_counts_still_reconciles_and_hides_them():
    data = read_indicators(FEB2019)
    v = data.values.copy()
    v["low"] = (v["low"] // 9).astype(float)
    v["high"] = v["low"]
    small = replace(data, values=v)
    scheme = load_scheme("icn6")
    table = rollup(small, scheme)
    prot = protect(table, "threshold5", data=small, scheme=scheme)
    summary = prot.summary()
    assert summary["suppressed"] > 100 and "secondary" not in summary  # never published
    assert 0 < prot.secondary_count() < summary["suppressed"]
    pub = public_table(table, prot)
    wards = public_wards(prot, small)
    for ind in pub.indicator.unique():
        bounds, sums = published_knowledge(pub, wards, scheme, ind)
        narrowed = propagate(bounds, sums)
        real = truth(small, scheme, ind)
        for k, value in real.items():
            if 1 <= value <= 4:
                assert narrowed[k][1] - narrowed[k][0] >= 1, (ind, k)
    rated = add_rates(pub, small, scheme, read_population())
    hidden = rated[rated.disclosure == "suppressed"]
    assert hidden["rate"].isna().all() and hidden["lcl_95"].isna().all()
    assert set(hidden["vs_rest_95"]) <= {"suppressed", "no denominator"}
    assert rated.attrs["disclosure_policy"] == "threshold5"


def test_under_nhsd_every_published_count_is_zero_or_a_multiple_of_five_from_ten():
    data = read_indicators(FEB2019)
    scheme = load_scheme("icn6")
    table = rollup(data, scheme)
    prot = protect(table, "nhsd", data=data, scheme=scheme)
    pub = public_table(table, prot)
    counts = pd.concat([pub["count"].dropna(), public_wards(prot, data)["low"].dropna()])
    assert ((counts == 0) | ((counts % 5 == 0) & (counts >= 10))).all()
    neet = pub[pub.indicator == "neet"]
    # Shares of the rounded counts over the rounded total (independently rounded: 405 vs 410).
    total = neet[neet.is_total]["count"].iloc[0]
    assert total == 410 and neet[~neet.is_total]["count"].sum() == 405
    assert np.allclose(neet[~neet.is_total]["share"], neet[~neet.is_total]["count"] / total)
