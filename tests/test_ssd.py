"""The SSD address table: reading its real column names and JSON, and the as-at rule."""

from __future__ import annotations

import pandas as pd
import pytest

from localitymap.errors import InputError
from localitymap.inputs.ssd import address_as_at, find_columns, read_ssd_address

HEADER = (
    "addr_table_id,addr_address_json,addr_person_id,addr_address_type,"
    "addr_address_start_date,addr_address_end_date,addr_address_postcode\n"
)


def _json(e: str, n: str, uprn: str = "") -> str:
    inner = (
        f'{{"ROOM": "", "FLOOR": "", "FLAT": "", "BUILDING": "", "HOUSE": "", "STREET": "", '
        f'"TOWN": "", "UPRN": "{uprn}", "EASTING": "{e}", "NORTHING": "{n}"}}'
    )
    return '"' + inner.replace('"', '""') + '"'


def test_reads_ssd_columns_json_and_dates(write):
    path = write(
        "ssd_address.csv",
        HEADER
        + f"1,{_json('532000', '165000', '100020')},P1,Home,2018-01-01 00:00:00.000,,CR02AB\n"
        + f"2,{_json('', '')},P2,Placement,28/02/2019,31/03/2019,CR7 6AA\n"
        + f"3,{_json('x', '')},P3,Home,not a date,,\n",
    )
    a = read_ssd_address(path)
    assert a.index.tolist() == [2, 3, 4]
    assert a.loc[2, "easting"] == 532000.0 and a.loc[2, "northing"] == 165000.0
    assert a.loc[2, "uprn"] == "100020"
    assert pd.isna(a.loc[3, "easting"]) and a.loc[3, "postcode"] == "CR7 6AA"
    assert a.loc[3, "start"] == pd.Timestamp("2019-02-28")
    assert a.loc[3, "end"] == pd.Timestamp("2019-03-31")
    assert pd.isna(a.loc[4, "start"]) and a.attrs["unreadable_dates"] == 1
    assert pd.isna(a.loc[4, "easting"])


def test_unquoted_json_keys_as_the_ssd_guidance_writes_them(write):
    inner = '{ ROOM: "", UPRN: "7", EASTING: "531500.5", NORTHING: "166000" }'
    path = write("a.csv", HEADER + f'1,"{inner.replace(chr(34), chr(34) * 2)}",P1,Home,,,\n')
    a = read_ssd_address(path)
    assert a.loc[2, ["easting", "northing"]].tolist() == [531500.5, 166000.0]


def test_missing_person_column_is_an_error_naming_the_file(write):
    path = write("bad.csv", "id,postcode\n1,CR02AB\n")
    with pytest.raises(InputError, match=r"bad\.csv: no person id"):
        read_ssd_address(path)


def test_find_columns_by_stem():
    roles = find_columns(["Child_Person_ID", "Address Start Date", "Address End Date", "Post Code"])
    assert roles["person_id"] == "Child_Person_ID"
    assert roles["start"] == "Address Start Date" and roles["end"] == "Address End Date"


def _history() -> pd.DataFrame:
    rows = [
        # person, start, end, postcode
        ("A", "2018-01-01", "2019-02-28", "OLD"),  # ends on the date: not valid (end exclusive)
        ("A", "2019-02-28", None, "NEW"),  # starts on the date: valid
        ("B", None, None, "OPEN"),  # open both ends
        ("C", "2019-01-01", "2019-12-31", "PLACEMENT"),  # overlap: latest start wins
        ("C", "2017-05-01", None, "HOME"),
        ("D", "2019-03-01", None, "LATER"),  # not yet moved in
        ("E", "2016-01-01", "2018-12-31", "GONE"),  # left before
    ]
    return pd.DataFrame(
        {
            "person_id": [r[0] for r in rows],
            "address_type": "Home",
            "start": pd.to_datetime([r[1] for r in rows]),
            "end": pd.to_datetime([r[2] for r in rows]),
            "postcode": [r[3] for r in rows],
            "easting": float("nan"),
            "northing": float("nan"),
            "uprn": None,
        },
        index=pd.Index(range(2, 2 + len(rows)), name="row"),
    )


def test_as_at_rule_on_two_dates():
    chosen, notes = address_as_at(_history(), "2019-02-28")
    assert dict(zip(chosen["person_id"], chosen["postcode"], strict=True)) == {
        "A": "NEW", "B": "OPEN", "C": "PLACEMENT"
    }  # fmt: skip
    assert notes == {"people": 5, "with address": 3, "several valid": 1, "open start": 1,
                     "no person id": 0}  # fmt: skip
    chosen, notes = address_as_at(_history(), "2018-06-30")
    assert dict(zip(chosen["person_id"], chosen["postcode"], strict=True)) == {
        "A": "OLD", "B": "OPEN", "C": "HOME", "E": "GONE"
    }  # fmt: skip
    assert notes["several valid"] == 0


def test_as_at_filters_address_types():
    h = _history()
    h.loc[5, "address_type"] = "Placement"  # C's later address
    chosen, _ = address_as_at(h, "2019-02-28", address_types=["home"])
    assert chosen.set_index("person_id").loc["C", "postcode"] == "HOME"
