"""Hand-offs counted exactly on an address history whose moves are known by construction."""

from __future__ import annotations

import pandas as pd
import pytest

from localitymap import load_scheme
from localitymap.errors import InputError
from localitymap.inputs.addresses import read_address_history
from localitymap.model.geo import load_boundaries
from localitymap.model.handoffs import count_handoffs, handoff_table, locate, moves

FIXTURE = __import__("pathlib").Path(__file__).with_name("fixtures") / "address_history.csv"


@pytest.fixture(scope="module")
def located(register):
    return locate(read_address_history(FIXTURE, register), load_boundaries())


def test_points_are_placed_in_their_wards_and_outside(located):
    c05 = located[located["person_id"] == "C05"]["ward_code"].tolist()
    assert c05 == ["E05011469", "E05011468", "OUTSIDE"]  # Kenley, Fairfield, beyond the borough
    c03 = located[located["person_id"] == "C03"]["ward_code"].tolist()
    assert c03 == ["E05011486", "OUTSIDE", "E05011479"]  # another authority's ward is outside


def test_handoffs_on_icn6_are_exact(located, register):
    r = count_handoffs(moves(located, wards=set(register.codes)), load_scheme("icn6"))
    # C01 NW->CW; C05 SW->CW; C06 NE->CE and CE->NE; C08 CW->CE (its rows are out of order).
    assert r["handoff_moves"] == 5
    assert r["children_handed_off"] == 4
    # Within the borough: C01 2, C02 1, C05 1, C06 3, C07 1 (same ward), C08 1.
    assert (r["moves_within"], r["children_moving"]) == (9, 6)
    assert (r["moves_into"], r["moves_out_of"]) == (1, 2)  # C03 out and back; C05 out
    assert (r["moves_unlocated"], r["moves_outside"]) == (1, 0)  # C09's last address
    flows = {(f, t): n for f, t, n in r["flows"].itertuples(index=False)}
    assert flows == {
        ("North West", "Central West"): 1,
        ("South West", "Central West"): 1,
        ("North East", "Central East"): 1,
        ("Central East", "North East"): 1,
        ("Central West", "Central East"): 1,
    }


def test_handoffs_by_period_and_by_scheme(located, register):
    m = moves(located, since="2022-01-01", wards=set(register.codes))
    table = handoff_table(m, [load_scheme("icn6"), load_scheme("areas3")]).set_index("scheme")
    # From 2022 C06's two 2020-21 moves drop out (one of them a hand-off).
    assert table.loc["icn6", ["moves_within", "handoff_moves", "children_handed_off"]].tolist() == [
        7,
        4,
        4,
    ]
    # areas3 joins CW and CE, so C08's move is no hand-off there.
    assert table.loc["areas3", ["handoff_moves", "children_handed_off"]].tolist() == [3, 3]
    until = moves(located, until="2023-12-31", wards=set(register.codes))
    assert count_handoffs(until, load_scheme("icn6"))["handoff_moves"] == 3  # C01, C06 twice


def test_outputs_never_hold_identifiers(located, register):
    r = count_handoffs(moves(located, wards=set(register.codes)), load_scheme("icn6"))
    text = repr({k: v for k, v in r.items() if k != "flows"}) + r["flows"].to_csv()
    assert "C0" not in text


def test_reader_reports_bad_rows_by_row_not_by_child(write):
    bad = write("h.csv", "child_id,start_date,ward\nX9,2024-13-45,Waddon\nX9,2024-01-01,Wadon\n")
    with pytest.raises(InputError) as err:
        read_address_history(bad)
    problems = [p.one_line() for p in err.value.report]
    assert any(":2:" in p and "start date" in p for p in problems)
    assert any(":3:" in p and "did you mean 'Waddon'" in p for p in problems)
    assert not any("X9" in p for p in problems)
    with pytest.raises(InputError, match="child identifier"):
        read_address_history(write("n.csv", "start,ward\n2024-01-01,Waddon\n"))


def test_moves_need_the_columns():
    with pytest.raises(InputError, match="person_id"):
        moves(pd.DataFrame({"start": [], "ward_code": []}))


def test_an_ssd_address_extract_counts_the_same(located, register, write):
    # The fixture's moves as the SSD writes them: coordinates in addr_address_json, no wards.
    from localitymap.model.geo import load_boundaries

    centres = {
        c: (round(p.x), round(p.y))
        for c, p in zip(
            load_boundaries().frame.index,
            load_boundaries().frame.geometry.representative_point(),
            strict=True,
        )
    }
    lines = [
        "addr_table_id,addr_person_id,addr_address_type,addr_address_start_date,"
        "addr_address_end_date,addr_address_postcode,addr_address_json"
    ]
    for i, r in enumerate(located.itertuples(), start=1):
        if r.ward_code in centres:
            x, y = centres[r.ward_code]
        elif r.ward_code == "OUTSIDE":
            x, y = 525000, 175000
        else:
            x = y = ""
        blob = f'"{{""UPRN"": """", ""EASTING"": ""{x}"", ""NORTHING"": ""{y}""}}"'
        lines.append(f"{i},{r.person_id},Home,{r.start},{r.end or ''},CR01AA,{blob}")
    path = write("ssd_address.csv", "\n".join(lines) + "\n")
    history = locate(read_address_history(path, register), load_boundaries())
    got = count_handoffs(moves(history, wards=set(register.codes)), load_scheme("icn6"))
    want = count_handoffs(moves(located, wards=set(register.codes)), load_scheme("icn6"))
    for key in ("moves_within", "handoff_moves", "children_handed_off", "moves_into",
                "moves_out_of", "moves_unlocated"):  # fmt: skip
        assert got[key] == want[key], key
    assert got["handoff_moves"] == 5
