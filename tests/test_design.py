"""Designing localities: contiguous, complete, better balanced than icn6, deterministic."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localitymap import load_scheme, read_indicators
from localitymap.errors import InputError, SchemeError
from localitymap.inputs.schemes import check_scheme
from localitymap.model.design import (
    Graph,
    adjacency,
    apply_moves,
    balance,
    compare,
    design,
    locality_totals,
    parse_move,
    partition,
    scheme_toml,
    ward_demand,
)
from localitymap.model.geo import check_contiguity, load_boundaries


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


@pytest.fixture(scope="module")
def graph(boundaries):
    return adjacency(boundaries)


@pytest.fixture(scope="module")
def demand():
    return ward_demand(read_indicators(), ["cp_plans", "lac"])


def test_ward_demand_sums_the_chosen_indicators(demand):
    data = read_indicators()
    v = data.values
    waddon = v[(v.ward_code == "E05011487") & v.indicator.isin(["cp_plans", "lac"])]["low"].sum()
    assert demand["E05011487"] == waddon
    assert demand.sum() == v[v.indicator.isin(["cp_plans", "lac"])]["low"].sum()
    share = ward_demand(data, ["cp_plans", "lac"], basis="share")
    assert share.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("compact", [False, True])
def test_proposed_six_is_contiguous_complete_and_better_balanced_than_icn6(
    demand, graph, boundaries, register, compact
):
    icn6 = load_scheme("icn6")
    proposed = design(demand, graph, 6, seed=0, compact=compact, current=icn6, register=register)
    assert len(proposed.localities) == 6
    assert check_scheme(proposed, register).ok  # every ward in exactly one locality
    assert sorted(c for w in proposed.localities.values() for c in w) == sorted(register.codes)
    assert check_contiguity(proposed, boundaries).ok  # as `schemes check` judges it
    _, stats, moved = compare(icn6, proposed, demand, register)
    assert stats["proposed"]["max_min_ratio"] < stats["current"]["max_min_ratio"]
    assert stats["proposed"]["cv"] < stats["current"]["cv"]
    assert stats["current"]["max_min_ratio"] == pytest.approx(338 / 129)  # icn6, 2020-02
    assert stats["proposed"]["max_min_ratio"] < 1.25
    assert 0 < len(moved) < 28
    assert set(moved["from"]) <= set(icn6.localities)


def test_design_is_deterministic_with_a_seed(demand, graph):
    a = partition(demand, graph, 6, seed=7)
    assert a == partition(demand, graph, 6, seed=7)


def test_scheme_file_round_trips_through_load_scheme(demand, graph, register, tmp_path):
    icn6 = load_scheme("icn6")
    proposed = design(demand, graph, 6, seed=0, current=icn6, register=register)
    path = tmp_path / "proposed.toml"
    path.write_text(scheme_toml(proposed, register, ["Advice for planning, not a decision."]))
    assert tomllib.loads(path.read_text())["id"] == "proposed6"
    loaded = load_scheme(path)
    assert loaded.localities == proposed.localities
    assert "Advice for planning" in path.read_text()


def test_toml_escapes_awkward_names(register, tmp_path):
    from localitymap.inputs.schemes import Scheme

    icn6 = load_scheme("icn6")
    odd = Scheme("odd", 'Name with "quotes" \\ and ]]', {'A "x"': icn6.localities["North West"],
                 "B ]] 'C'": tuple(c for c in register.codes if c not in icn6.localities["North West"])},
                 "<odd>")  # fmt: skip
    path = tmp_path / "odd.toml"
    path.write_text(scheme_toml(odd, register))
    assert list(load_scheme(path).localities) == ['A "x"', "B ]] 'C'"]


def test_balance_figures():
    b = balance([200, 100, 150])
    assert b["max_min_ratio"] == 2.0
    assert b["cv"] == pytest.approx((((50**2 + 50**2) / 3) ** 0.5) / 150)


# A path of wards 0-1-2-...-n-1: every contiguous partition is k runs; the balanced one is known.
@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=4, max_size=10), st.integers(2, 4))
def test_partition_of_a_path_is_contiguous_and_complete(values, k):
    wards = [f"W{i:02d}" for i in range(len(values))]
    nb = {w: frozenset(wards[j] for j in (i - 1, i + 1) if 0 <= j < len(wards))
          for i, w in enumerate(wards)}  # fmt: skip
    groups = partition(dict(zip(wards, values, strict=True)), Graph(nb), k, seed=0, restarts=5)
    assert len(groups) == k and sorted(w for g in groups for w in g) == wards
    for g in groups:  # a run of consecutive wards
        idx = sorted(wards.index(w) for w in g)
        assert idx == list(range(idx[0], idx[0] + len(idx)))


def test_partition_finds_the_perfect_balance_on_a_path():
    wards = [f"W{i}" for i in range(6)]
    nb = {w: frozenset(wards[j] for j in (i - 1, i + 1) if 0 <= j < 6) for i, w in enumerate(wards)}
    values = dict(zip(wards, [5, 5, 1, 9, 7, 3], strict=True))  # runs 10 | 10 | 10
    groups = partition(values, Graph(nb), 3, seed=3)
    assert sorted(sum(values[w] for w in g) for g in groups) == [10, 10, 10]


def test_partition_refuses_impossible_requests(demand, graph):
    with pytest.raises(InputError, match="k = 40"):
        partition(demand, graph, 40)
    split = Graph({"A": frozenset(), "B": frozenset()})
    with pytest.raises(InputError, match="separate groups"):
        partition({"A": 1, "B": 1}, split, 1)


def test_whatif_moves_and_refuses_exclaves(graph, register, demand):
    icn6 = load_scheme("icn6")
    move = parse_move("Thornton Heath=North West", icn6, register)
    assert move == ("E05011486", "North West")
    moved = apply_moves(icn6, [move], graph, register)
    assert "E05011486" in moved.localities["North West"]
    assert "E05011486" not in moved.localities["North East"]
    before, after = locality_totals(icn6, demand), locality_totals(moved, demand)
    assert after["North West"] - before["North West"] == demand["E05011486"]
    assert sum(after.values()) == sum(before.values())
    # Kenley (far south) in North West is an exclave: refused unless allowed.
    kenley = parse_move("kenley=north west", icn6, register)
    with pytest.raises(SchemeError) as err:
        apply_moves(icn6, [kenley], graph, register)
    assert "Kenley" in err.value.report.errors[0].message
    allowed = apply_moves(icn6, [kenley], graph, register, allow_exclaves=True)
    assert "E05011469" in allowed.localities["North West"]
    with pytest.raises(InputError, match="no locality 'Far North'"):
        parse_move("Kenley=Far North", icn6, register)
    with pytest.raises(InputError) as unknown:
        parse_move("Kenly=North West", icn6, register)
    assert "did you mean 'Kenley'" in unknown.value.one_line()
    with pytest.raises(InputError, match="WARD=LOCALITY"):
        parse_move("Kenley", icn6, register)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.lists(
            st.lists(st.integers(0, 20).map(float), min_size=4, max_size=4), min_size=r, max_size=r
        )
    )
)
def test_matching_is_the_best_one_to_one_assignment(weights):
    import itertools

    from localitymap.model.design import _matching

    picks = _matching(weights)
    used = [c for c in picks if c is not None]
    assert len(used) == len(set(used))
    got = sum(weights[r][c] for r, c in enumerate(picks) if c is not None)
    cols = [*range(4), *([None] * len(weights))]
    brute = max(
        sum(weights[r][c] for r, c in enumerate(perm) if c is not None)
        for perm in itertools.permutations(cols, len(weights))
    )
    assert got == brute


def test_more_localities_than_the_current_scheme_get_new_names(demand, graph, register):
    proposed = design(demand, graph, 8, seed=0, current=load_scheme("icn6"), register=register)
    names = list(proposed.localities)
    assert len(names) == 8 and len(set(names)) == 8
    assert set(load_scheme("icn6").localities) < set(names)
    assert {n for n in names if n.startswith("Locality ")} == {"Locality 1", "Locality 2"}
