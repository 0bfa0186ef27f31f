"""Ward geometry: boundaries, contiguity, locality shapes and geographic exports."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError, SchemeError
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.geo import (
    check_contiguity,
    load_boundaries,
    locality_layer,
    shared_borders,
    ward_layer,
)
from localitymap.model.rollup import rollup

from .conftest import FEB2019

runner = CliRunner()


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


@pytest.fixture(scope="module")
def icn6_layers(boundaries):
    data, scheme = read_indicators(FEB2019), load_scheme("icn6")
    table = rollup(data, scheme)
    return (
        table,
        locality_layer(table, scheme, boundaries),
        ward_layer(table, data.values, scheme, boundaries),
    )


def test_bundled_boundaries(boundaries):
    frame = boundaries.frame
    assert frame.crs.to_epsg() == 27700 and len(frame) == 28
    assert frame.geometry.is_valid.all() and not boundaries.report.problems
    assert frame.geometry.area.sum() / 1e6 == pytest.approx(86.53, abs=0.01)  # km², as published
    assert boundaries.register.lad_code == "E09000008"


def test_shared_borders_match_the_published_adjacency(boundaries):
    names = {c: boundaries.register.name_of(c) for c in boundaries.register.codes}
    borders = {
        frozenset((names[a], names[b])): v for (a, b), v in shared_borders(boundaries.frame).items()
    }
    # lengths from data/wards/README.md, computed independently from the same boundaries
    for a, b, metres in [
        ("Addiscombe East", "Addiscombe West", 1620),
        ("Coulsdon Town", "Old Coulsdon", 3555),
        ("Selsdon & Addington Village", "Selsdon Vale & Forestdale", 5058),
        ("Purley & Woodcote", "Waddon", 303),
        ("Selhurst", "West Thornton", 178),
    ]:
        assert borders[frozenset((a, b))] == pytest.approx(metres, rel=0.02, abs=3)
    # the two corner contacts (under 10 m) are short, so they do not join localities
    assert borders[frozenset(("Bensham Manor", "South Norwood"))] < 10
    assert borders[frozenset(("Norbury & Pollards Hill", "Thornton Heath"))] < 10
    assert frozenset(("Kenley", "Fairfield")) not in borders
    assert sum(v >= 10 for v in borders.values()) == 60


@pytest.mark.parametrize("scheme", ["icn6", "areas3"])
def test_bundled_schemes_are_contiguous(boundaries, scheme):
    assert not check_contiguity(load_scheme(scheme), boundaries).problems


def test_exclave_is_reported_by_name(boundaries, write):
    path = write(
        "x.toml",
        '[localities.A]\nwards = ["Bensham Manor", "West Thornton", "Kenley"]\n'
        '[localities.B]\nwards = ["Fairfield", "Waddon"]\n',
    )
    (problem,) = check_contiguity(load_scheme(path), boundaries).errors
    assert "locality 'A' is not contiguous: Kenley" in problem.message


def test_corner_contact_joins_only_with_a_lower_tolerance(boundaries, write):
    path = write("c.toml", '[localities.A]\nwards = ["Bensham Manor", "South Norwood"]\n')
    assert check_contiguity(load_scheme(path), boundaries).errors  # 7-9 m corner: not contiguous
    assert not check_contiguity(load_scheme(path), boundaries, min_shared=5).errors


def test_locality_shapes_conserve_area_and_counts(icn6_layers, boundaries):
    table, localities, _ = icn6_layers
    assert localities["locality"].tolist() == [
        "North West", "North East", "Central West", "Central East", "South West", "South East",
    ]  # fmt: skip
    assert localities.geometry.area.sum() == pytest.approx(
        boundaries.frame.geometry.area.sum(), rel=1e-3
    )
    assert localities["wards"].sum() == 28
    total = table[table.is_total].set_index("indicator")["count"]
    for ind in ["cp_plans", "lac", "send_support"]:
        assert localities[ind].sum() == total[ind]
    assert localities.loc[localities.locality == "Central West", "cp_plans_rank"].item() == 1
    # each locality is one polygon here (all are contiguous)
    assert (shapely.get_num_geometries(localities.geometry.to_numpy()) == 1).all()


def test_ward_layer_carries_counts_and_localities(icn6_layers):
    _, _, wards = icn6_layers
    assert len(wards) == 28 and wards["locality"].notna().all()
    row = wards.loc["E05011468"]
    assert (
        row["locality"] == "Central West"
        and row["cp_plans"] == row["cp_plans_low"] == row["cp_plans_high"]
    )


def test_locality_shapes_refuse_a_scheme_that_leaves_wards_out(boundaries, write):
    data = read_indicators(write("d.csv", "ward,cp_plans\nFairfield,3\nWaddon,4\n"))
    scheme = load_scheme(write("s.toml", '[localities.A]\nwards = ["Fairfield", "Waddon"]\n'))
    table = rollup(data, scheme)
    with pytest.raises(SchemeError) as info:
        locality_layer(table, scheme, boundaries)
    missing = [p.message for p in info.value.report.errors]
    assert len(missing) == 26 and "ward Kenley (E05011469) is in no locality" in missing


def test_user_boundaries_in_another_crs_with_an_invalid_ward(tmp_path):
    bowtie = shapely.Polygon([(0, 0), (1000, 1000), (1000, 0), (0, 1000)])  # self-intersecting
    frame = gpd.GeoDataFrame(
        {
            "WD23CD": ["E05000001", "E05000002", "E05000003"],
            "WD23NM": ["Alpha", "Beta", "Gamma"],
            "LAD23CD": ["E09000099"] * 3,
            "LAD23NM": ["Testshire"] * 3,
        },
        geometry=[box(0, 0, 1000, 1000), bowtie.__class__(bowtie.exterior.coords), None],
        crs=27700,
    ).to_crs(4326)
    path = tmp_path / "wards.geojson"
    frame.to_file(path)
    b = load_boundaries(path)
    assert b.frame.crs.to_epsg() == 27700
    assert b.frame.loc["E05000001"].geometry.area == pytest.approx(1e6, rel=1e-3)
    assert b.frame.geometry.dropna().is_valid.all()
    messages = [p.message for p in b.report.warnings]
    assert any("Beta (E05000002) had invalid geometry and was repaired" in m for m in messages)
    assert any("Gamma (E05000003) has no geometry" in m for m in messages)
    assert (b.register.lad_code, b.register.lad_name, b.register.vintage) == (
        "E09000099",
        "Testshire",
        "WD23",
    )


def test_boundary_file_without_code_column_or_crs(tmp_path):
    frame = gpd.GeoDataFrame({"label": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=27700)
    frame.to_file(tmp_path / "a.gpkg")
    with pytest.raises(InputError, match="no ward code column"):
        load_boundaries(tmp_path / "a.gpkg")
    assert load_boundaries(tmp_path / "a.gpkg", code_column="label").frame.index.tolist() == ["A"]


def test_rollup_gpkg_and_geojson_exports(tmp_path):
    out = tmp_path / "loc.gpkg"
    result = runner.invoke(app, ["rollup", "-s", "icn6", "--period", "2019-02", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    import pyogrio

    assert sorted(n for n, _ in pyogrio.list_layers(out)) == ["about", "localities", "wards"]
    loc = gpd.read_file(out, layer="localities")
    assert loc.crs.to_epsg() == 27700 and loc["cp_plans"].sum() == 405
    about = gpd.read_file(out, layer="about").set_index("key")["value"]
    assert about["illustrative"] == "yes" and "December 2019 boundaries" in about["boundaries"]
    assert "Crown copyright" in about["attribution"]
    gj = runner.invoke(app, ["rollup", "-s", "areas3", "-f", "geojson", "--level", "ward"])
    doc = json.loads(gj.stdout)
    assert len(doc["features"]) == 28 and doc["localitymap"]["scheme"].endswith("(areas3)")
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert -0.2 < lon < 0.0 and 51.2 < lat < 51.5  # WGS84, as GeoJSON requires


def test_schemes_check_cli(write):
    ok = runner.invoke(app, ["schemes", "check", "icn6"])
    assert ok.exit_code == 0 and "each is contiguous" in ok.stdout
    bad = write("x.toml", '[localities.A]\nwards = ["Bensham Manor", "Kenley"]\n')
    result = runner.invoke(app, ["schemes", "check", str(bad)], env={"COLUMNS": "150"})
    assert result.exit_code == 3
    assert "not contiguous" in result.stdout and "Kenley" in result.stdout
    assert "is in no locality" in result.stdout


def test_projected_copy_matches_the_original_boundaries():
    """The EPSG:27700 copy read at start-up is the ONS file reprojected, to the centimetre."""
    from localitymap.model.geo import DEFAULT_BOUNDARIES, DEFAULT_BOUNDARIES_BNG
    from localitymap.paths import data_dir

    original = gpd.read_file(data_dir() / "wards" / DEFAULT_BOUNDARIES).to_crs(27700)
    copy = gpd.read_file(data_dir() / "wards" / DEFAULT_BOUNDARIES_BNG)
    assert copy.crs.to_epsg() == 27700
    assert copy["ward_code"].tolist() == original["ward_code"].tolist()
    assert copy["ward_name"].tolist() == original["ward_name"].tolist()
    distances = original.geometry.hausdorff_distance(copy.geometry, align=False)
    assert distances.max() < 0.01
